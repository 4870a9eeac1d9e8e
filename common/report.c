/* report.c: see report.h. */
#include "report.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#define COL 14          /* width of a figure column */
#define RUNS 5          /* runs per job unless REPORT_RUNS says otherwise */
#define RUNS_MAX 100
#define BUDGET_NS 3e9   /* repeats stop once they have taken about this long */

double report_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* How many runs report_measure times: REPORT_RUNS, else RUNS; 1 under Valgrind (whose
 * tools would follow every fork) and while a failure is being injected. */
static unsigned runs_wanted(void)
{
    static unsigned wanted;
    const char *s;

    if (wanted != 0)
        return wanted;
    wanted = RUNS;
    if ((s = getenv("REPORT_RUNS")) != NULL) {
        unsigned long v = 0;
        const char *c = s;
        for (; *c >= '0' && *c <= '9' && v <= RUNS_MAX; c++)
            v = v * 10 + (unsigned long)(*c - '0');
        if (c == s || *c != '\0' || v < 1 || v > RUNS_MAX) {
            fprintf(stderr, "REPORT_RUNS must be a number from 1 to %d, got '%s'\n", RUNS_MAX, s);
            exit(2);
        }
        wanted = (unsigned)v;
    }
    if (RUNNING_ON_VALGRIND || getenv("COUNTALLOC_FAIL_AT") != NULL)
        wanted = 1;
    return wanted;
}

/* A bad REPORT_RUNS stops the program before it prints anything. */
__attribute__((constructor)) static void report_check_env(void)
{
    runs_wanted();
}

struct once {
    struct countalloc_stats d;
    double ns;
    int rc;
};

/* Write to every resident page of every private writable mapping, changing nothing (an
 * atomic add of 0). After a fork, parent and child share their pages copy-on-write, so the
 * first write to each one faults (a copy in the child, a re-mark in the parent): a
 * microsecond job would time mostly those faults. Taken here, before the clock starts,
 * they leave the job as it would run in a fresh process. Pages never touched stay so. */
static void prefault(void)
{
    char buf[4096], line[512];
    unsigned char vec[4096];
    size_t len = 0;
    long page = sysconf(_SC_PAGESIZE);
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    ssize_t got;

    if (fd < 0 || page <= 0)
        goto out;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < got; i++) {
            unsigned long lo, hi;
            char perms[8];
            if (buf[i] != '\n') {
                if (len + 1 < sizeof line)
                    line[len++] = buf[i];
                continue;
            }
            line[len] = '\0';
            len = 0;
            if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' ||
                perms[1] != 'w' || perms[3] != 'p')
                continue;
            for (unsigned long at = lo; at < hi;) {
                size_t pages = (hi - at) / (unsigned long)page;
                if (pages > sizeof vec)
                    pages = sizeof vec;
                if (mincore((void *)at, pages * (size_t)page, vec) == 0) {
                    for (size_t k = 0; k < pages; k++)
                        if (vec[k] & 1)
                            __atomic_fetch_add((char *)at + k * (size_t)page, 0, __ATOMIC_RELAXED);
                }
                at += pages * (unsigned long)page;
            }
        }
    }
out:
    if (fd >= 0)
        close(fd);
}

/* The clock runs inside the measured interval, around the job alone. */
static void run_once(int (*fn)(void *ctx), void *ctx, struct once *o)
{
    struct countalloc_stats start;
    double t0, t1;

    countalloc_measure_begin(&start);
    t0 = report_now_ns();
    o->rc = fn(ctx);
    t1 = report_now_ns();
    o->d = countalloc_measure_end(&start);
    o->ns = t1 - t0;
}

/* Run the job in a forked child, which starts from the state the job would start from
 * here, and read back what it measured. 0 on success. The child's output goes nowhere. */
static int run_forked(int (*fn)(void *ctx), void *ctx, struct once *o)
{
    int fds[2], status;
    size_t got = 0;
    pid_t pid;

    if (pipe(fds) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    if ((pid = fork()) < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        close(fds[0]);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        prefault();
        run_once(fn, ctx, o);
        if (write(fds[1], o, sizeof *o) != (ssize_t)sizeof *o)
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    while (got < sizeof *o) {
        ssize_t n = read(fds[0], (char *)o + got, sizeof *o - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fds[0]);
    waitpid(pid, &status, 0);
    return got == sizeof *o && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static bool same_counts(const struct countalloc_stats *a, const struct countalloc_stats *b)
{
    return a->mallocs == b->mallocs && a->frees == b->frees && a->total_alloc == b->total_alloc &&
           a->heap_alloc == b->heap_alloc && a->peak == b->peak;
}

int report_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int report_measure(const char *name, int (*fn)(void *ctx), void *ctx, struct report_run *out)
{
    struct once rep[RUNS_MAX], last;
    double ns[RUNS_MAX], spent = 0;
    unsigned want = runs_wanted(), n = 0;

    /* the repeats, while they fit the budget: each starts where the real run starts */
    while (n + 1 < want && spent < BUDGET_NS) {
        double t0 = report_now_ns();
        if (run_forked(fn, ctx, &rep[n]) != 0 || rep[n].rc != 0)
            break;
        ns[n] = rep[n].ns;
        n++;
        spent += report_now_ns() - t0;
        if (spent + ns[n - 1] > BUDGET_NS)
            break;
    }
    if (n > 0)
        prefault(); /* the children shared our pages: take back write access now */
    run_once(fn, ctx, &last);
    ns[n++] = last.ns;
    for (unsigned i = 0; i + 1 < n; i++) {
        if (!same_counts(&rep[i].d, &last.d)) {
            char a[32], b[32], c[32], d[32];
            fprintf(stderr, "report: %s: a repeat counted %s allocations of %s bytes, the "
                    "measured run %s of %s: the job is not deterministic\n", name,
                    report_count(rep[i].d.mallocs, a, sizeof a), report_count(rep[i].d.total_alloc, b, sizeof b),
                    report_count(last.d.mallocs, c, sizeof c), report_count(last.d.total_alloc, d, sizeof d));
            break;
        }
    }
    out->name = name;
    out->d = last.d;
    out->rc = last.rc;
    out->runs = n;
    out->ns = report_median(ns, n);
    out->ns_min = ns[0];
    out->ns_max = ns[n - 1];
    return out->rc;
}

double report_median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, report_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

char *report_bytes(double bytes, char *buf, size_t size)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;

    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%.0f B", bytes);
    else
        snprintf(buf, size, "%.1f %s", bytes, unit[u]);
    return buf;
}

char *report_duration(double ns, char *buf, size_t size)
{
    if (ns < 1e3)
        snprintf(buf, size, "%.0f ns", ns);
    else if (ns < 1e6)
        snprintf(buf, size, "%.1f us", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, size, "%.2f ms", ns / 1e6);
    else
        snprintf(buf, size, "%.2f s", ns / 1e9);
    return buf;
}

char *report_count(unsigned long long n, char *buf, size_t size)
{
    char tmp[32];
    int len = 0, digits = 0;

    do {
        if (digits && digits % 3 == 0)
            tmp[len++] = ',';
        tmp[len++] = (char)('0' + n % 10);
        n /= 10;
        digits++;
    } while (n);
    if (size == 0)
        return buf;
    if ((size_t)len >= size)
        len = (int)size - 1;
    for (int i = 0; i < len; i++)
        buf[i] = tmp[len - 1 - i];
    buf[len] = '\0';
    return buf;
}


/* The heavy/light ratio cell: "1,000x", "2.5x", "-" when it means nothing. */
static char *ratio(double a, double b, char *buf, size_t size)
{
    if (b <= 0 || a <= 0)
        snprintf(buf, size, "-");
    else if (a / b >= 100)
        snprintf(buf, size, "%sx", report_count((unsigned long long)(a / b + 0.5), (char[32]){0}, 32));
    else
        snprintf(buf, size, "%.1fx", a / b);
    return buf;
}

enum row { ALLOCS, FREES, BYTES, PEAK, LIVE, TIME, SPREAD, NROWS };

static const char *const row_name[NROWS] = {
    "allocs", "frees", "bytes allocated", "peak heap", "live after", "time (median)", "min - max",
};

/* "11.9-13.1 ms": lo and hi in hi's unit, three significant digits. */
static char *range(double lo, double hi, char *buf, size_t size)
{
    static const char *const unit[] = {"ns", "us", "ms", "s"};
    double scale = 1;
    int u = 0;

    while (u < 3 && hi >= scale * 1e3) {
        scale *= 1e3;
        u++;
    }
    snprintf(buf, size, "%.3g-%.3g %s", lo / scale, hi / scale, unit[u]);
    return buf;
}

/* "1.9-3.4x": the time ratio from its least to its most favourable pair of runs. */
static char *ratio_range(double lo, double hi, char *buf, size_t size)
{
    char a[32], b[32];

    if (hi >= 100) /* grouped as ratio() groups them: "1,261-2,854x" */
        snprintf(buf, size, "%s-%sx", report_count((unsigned long long)(lo + 0.5), a, sizeof a),
                 report_count((unsigned long long)(hi + 0.5), b, sizeof b));
    else
        snprintf(buf, size, "%.2g-%.2gx", lo, hi);
    return buf;
}

bool report_runs_overlap(const struct report_run *a, const struct report_run *b)
{
    return a->ns_min > 0 && b->ns_min > 0 && a->ns_min / b->ns_max <= 1 && a->ns_max / b->ns_min >= 1;
}

char *report_time_ratio(const struct report_run *a, const struct report_run *b, char *buf,
                        size_t size)
{
    if (report_runs_overlap(a, b))
        snprintf(buf, size, "~1x");
    else
        ratio(a->ns, b->ns, buf, size);
    return buf;
}

char *report_time_spread(const struct report_run *r, char *buf, size_t size)
{
    char t[32], sp[32];

    snprintf(buf, size, "%s (%s)", report_duration(r->ns, t, sizeof t),
             range(r->ns_min, r->ns_max, sp, sizeof sp));
    return buf;
}

static double value(const struct report_run *r, enum row row)
{
    switch (row) {
    case ALLOCS: return (double)r->d.mallocs;
    case FREES: return (double)r->d.frees;
    case BYTES: return (double)r->d.total_alloc;
    case PEAK: return (double)r->d.peak;
    case LIVE: return (double)r->d.heap_alloc;
    default: return r->ns;
    }
}

static char *cell(const struct report_run *r, enum row row, char *buf, size_t size)
{
    switch (row) {
    case ALLOCS:
    case FREES: return report_count((unsigned long long)value(r, row), buf, size);
    case TIME: return report_duration(r->ns, buf, size);
    case SPREAD: return range(r->ns_min, r->ns_max, buf, size);
    case LIVE:
        if (r->d.heap_alloc < 0) {
            char tmp[32];
            snprintf(buf, size, "-%s", report_bytes((double)-r->d.heap_alloc, tmp, sizeof tmp));
            return buf;
        }
        return report_bytes(value(r, row), buf, size);
    default: return report_bytes(value(r, row), buf, size);
    }
}

void report_table(FILE *out, const struct report_run *runs, size_t n)
{
    char buf[64];

    fprintf(out, "%-16s", "");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%*s", COL, runs[i].name);
    if (n >= 2) {
        snprintf(buf, sizeof buf, "%s/%s", runs[0].name, runs[n - 1].name);
        fprintf(out, "%*s", COL + 2, buf);
    }
    fputc('\n', out);
    for (int row = 0; row < NROWS; row++) {
        unsigned fewest = RUNS_MAX;
        for (size_t i = 0; i < n; i++)
            fewest = runs[i].runs < fewest ? runs[i].runs : fewest;
        if (row == SPREAD) {
            snprintf(buf, sizeof buf, "min-max, %u run%s", fewest, fewest == 1 ? "" : "s");
            fprintf(out, "%-16s", buf);
        } else {
            fprintf(out, "%-16s", row_name[row]);
        }
        for (size_t i = 0; i < n; i++)
            fprintf(out, "%*s", COL, cell(&runs[i], (enum row)row, buf, sizeof buf));
        if (n >= 2 && row == TIME)
            fprintf(out, "%*s", COL + 2, report_time_ratio(&runs[0], &runs[n - 1], buf, sizeof buf));
        else if (n >= 2 && row == SPREAD && runs[0].ns_min > 0 && runs[n - 1].ns_min > 0)
            fprintf(out, "%*s", COL + 2, ratio_range(runs[0].ns_min / runs[n - 1].ns_max,
                                                     runs[0].ns_max / runs[n - 1].ns_min, buf, sizeof buf));
        else if (n >= 2 && row != LIVE)
            fprintf(out, "%*s", COL + 2,
                    ratio(value(&runs[0], (enum row)row), value(&runs[n - 1], (enum row)row), buf, sizeof buf));
        fputc('\n', out);
    }
}

double report_thread_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}
