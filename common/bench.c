/* bench.c: see bench.h. Go's testing.B, carried over:
 *
 *   - n grows as in Go 1.19's launch(): run once with n = 1, then predict the n that
 *     fills -benchtime from the last run (plus 20%), at least one more than before, at
 *     most 100x more, at most 1e9, until a run lasts -benchtime.
 *   - B/op and allocs/op are the counts of the timed region divided by n, rounded
 *     down, as Go's AllocedBytesPerOp and AllocsPerOp do.
 *   - lines are Go's: name padded and a tab, "%8d" iterations, ns/op with Go's
 *     value-dependent precision, "%8d B/op\t%8d allocs/op".
 *
 * Where it differs from Go: a benchmark's name has no -GOMAXPROCS suffix (the body runs
 * on one thread unless it starts its own); allocations are counted in the same pass as
 * the time, so ns/op includes the counting allocator's cost (make bench-common measures
 * it per malloc+free pair, beside glibc's own cost, in the same run); -benchmem is on by default; after the Go lines
 * comes a heavy-vs-light summary when pairs are given.
 *
 * ALLOCATOR=glibc|jemalloc|mimalloc|tcmalloc runs the benchmarks under that allocator: the
 * harness replaces the process by its twin DIR/next/NAME (the same objects, but with countalloc's
 * back-end countalloc_next.c, forwarding to the next malloc in lookup order; the Makefile
 * builds it beside every bench) with the allocator's library in LD_PRELOAD. The twin
 * prints a `malloc: LIBRARY` header line naming the library that serves malloc. */
#include "bench.h"

#include <dlfcn.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "countalloc.h"
#include "report.h"

#define MAX_N 1000000000ULL
#define MAX_METRICS 4

/* The harness's bookkeeping behind a struct bench. */
struct bench_state {
    bool running;                    /* timer on */
    double start_ns;                 /* when the timer last started */
    double ns;                       /* timed so far */
    struct countalloc_stats mark;    /* counters when the timer last started */
    uint64_t allocs, bytes;          /* counted while the timer ran */
    uint64_t set_bytes;              /* b.SetBytes */
    int nmetrics;
    double metric[MAX_METRICS];      /* b.ReportMetric */
    const char *metric_unit[MAX_METRICS];
};

/* One finished run, as Go's BenchmarkResult. */
struct result {
    uint64_t n;
    double ns;
    uint64_t allocs, bytes, set_bytes;
    int nmetrics;
    double metric[MAX_METRICS];
    const char *metric_unit[MAX_METRICS];
};

/* Options, with Go's defaults except -benchmem. */
struct options {
    const char *pattern;   /* -bench */
    double benchtime_ns;   /* -benchtime 1s */
    uint64_t fixed_n;      /* -benchtime 100x */
    unsigned count;        /* -count */
    bool benchmem;         /* -benchmem */
    const char *list;      /* -list */
};

void bench_start_timer(struct bench *b)
{
    struct bench_state *s = b->priv;

    if (!s->running) {
        countalloc_measure_begin(&s->mark);
        s->start_ns = report_now_ns();
        s->running = true;
    }
}

void bench_stop_timer(struct bench *b)
{
    struct bench_state *s = b->priv;
    struct countalloc_stats d;

    if (s->running) {
        s->ns += report_now_ns() - s->start_ns;
        d = countalloc_measure_end(&s->mark);
        s->allocs += d.mallocs;
        s->bytes += d.total_alloc;
        s->running = false;
    }
}

void bench_reset_timer(struct bench *b)
{
    struct bench_state *s = b->priv;

    if (s->running) {
        countalloc_measure_begin(&s->mark);
        s->start_ns = report_now_ns();
    }
    s->ns = 0;
    s->allocs = 0;
    s->bytes = 0;
    s->nmetrics = 0; /* Go's ResetTimer clears b.extra, what ReportMetric recorded */
}

void bench_set_bytes(struct bench *b, uint64_t bytes)
{
    b->priv->set_bytes = bytes;
}

void bench_report_metric(struct bench *b, double value, const char *unit)
{
    struct bench_state *s = b->priv;

    for (int i = 0; i < s->nmetrics; i++) {
        if (strcmp(s->metric_unit[i], unit) == 0) {
            s->metric[i] = value;
            return;
        }
    }
    if (s->nmetrics < MAX_METRICS) {
        s->metric_unit[s->nmetrics] = unit;
        s->metric[s->nmetrics++] = value;
    }
}

/* Go's runN: one call of the benchmark with b.N = n. */
static struct result run_n(const struct bench_def *def, uint64_t n)
{
    struct bench_state s = {0};
    struct bench b = {.n = n, .priv = &s};
    struct result r;

    bench_start_timer(&b);
    def->fn(&b);
    bench_stop_timer(&b);
    r = (struct result){.n = n, .ns = s.ns, .allocs = s.allocs, .bytes = s.bytes,
                        .set_bytes = s.set_bytes, .nmetrics = s.nmetrics};
    memcpy(r.metric, s.metric, sizeof r.metric);
    memcpy(r.metric_unit, s.metric_unit, sizeof r.metric_unit);
    return r;
}

/* Go 1.19's predictN: the next n from the last run's time. */
uint64_t bench_predict_n(double goal_ns, uint64_t prev_n, double prev_ns, uint64_t last)
{
    double n;

    if (prev_ns <= 0)
        prev_ns = 1; /* round up, as Go does, to avoid dividing by zero */
    n = goal_ns * (double)prev_n / prev_ns;
    n += n / 5;                        /* run more than we think we need */
    if (n > 100.0 * (double)last)      /* but not more than 100x the last */
        n = 100.0 * (double)last;
    if (n < (double)last + 1)          /* and at least one more */
        n = (double)last + 1;
    if (n > (double)MAX_N)
        n = (double)MAX_N;
    return (uint64_t)n;
}

/* Go's launch: grow n until a run lasts the bench time (or run a fixed n). */
static struct result launch(const struct bench_def *def, const struct options *o)
{
    struct result r = run_n(def, 1);

    if (o->fixed_n > 0) {
        if (o->fixed_n > 1)
            r = run_n(def, o->fixed_n);
        return r;
    }
    while (r.ns < o->benchtime_ns && r.n < MAX_N)
        r = run_n(def, bench_predict_n(o->benchtime_ns, r.n, r.ns, r.n));
    return r;
}

/* Go's prettyPrint: the precision follows the size of the value. */
int bench_format_value(char *buf, size_t size, double x, const char *unit)
{
    double y = fabs(x);
    int width, prec;

    if (y == 0 || y >= 999.95)
        width = 10, prec = 0;
    else if (y >= 99.995)
        width = 12, prec = 1;
    else if (y >= 9.9995)
        width = 13, prec = 2;
    else if (y >= 0.99995)
        width = 14, prec = 3;
    else if (y >= 0.099995)
        width = 15, prec = 4;
    else if (y >= 0.0099995)
        width = 16, prec = 5;
    else if (y >= 0.00099995)
        width = 17, prec = 6;
    else
        width = 18, prec = 7;
    return snprintf(buf, size, "%*.*f %s", width, prec, x, unit);
}

/* One result line in Go's format, without the name, into buf. */
static void format_result(char *buf, size_t size, const struct result *r, bool benchmem)
{
    size_t len;

    len = (size_t)snprintf(buf, size, "%8llu\t", (unsigned long long)r->n);
    len += (size_t)bench_format_value(buf + len, size - len, r->ns / (double)r->n, "ns/op");
    if (r->set_bytes > 0 && r->ns > 0 && len < size)
        len += (size_t)snprintf(buf + len, size - len, "\t%7.2f MB/s",
                                (double)r->set_bytes * (double)r->n / 1e6 / (r->ns / 1e9));
    if (benchmem && len < size)
        len += (size_t)snprintf(buf + len, size - len, "\t%8llu B/op\t%8llu allocs/op",
                                (unsigned long long)(r->bytes / r->n),
                                (unsigned long long)(r->allocs / r->n));
    for (int i = 0; i < r->nmetrics && len < size; i++) {
        len += (size_t)snprintf(buf + len, size - len, "\t");
        if (len < size)
            len += (size_t)bench_format_value(buf + len, size - len, r->metric[i], r->metric_unit[i]);
    }
}

/* ---- flags ---- */

static void usage(FILE *f, const char *prog)
{
    fprintf(f, "usage: %s [-bench REGEX] [-benchtime 1s|100x] [-count N] [-benchmem[=false]] "
               "[-list REGEX]\n", prog);
}

/* Go durations as -benchtime takes them: 1s, 200ms, 1.5s, 500us, 1m; or 100x. */
static bool parse_benchtime(const char *s, struct options *o)
{
    static const struct { const char *unit; double ns; } units[] = {
        {"ns", 1}, {"us", 1e3}, {"µs", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9},
    };
    char *end;
    double v = strtod(s, &end);

    if (end == s || v <= 0 || !isfinite(v))
        return false;
    if (strcmp(end, "x") == 0) {
        if (v != floor(v) || v > (double)MAX_N)
            return false;
        o->fixed_n = (uint64_t)v;
        return true;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].unit) == 0) {
            o->benchtime_ns = v * units[i].ns;
            o->fixed_n = 0;
            return true;
        }
    }
    return false;
}

static int bad(const char *prog, const char *what)
{
    fprintf(stderr, "%s: %s (see -h)\n", prog, what);
    return 2;
}

/* Parse argv into *o; returns 0, or the exit status for a bad flag (2) or -h (0 + 1). */
static int parse_flags(int argc, char **argv, struct options *o)
{
    const char *prog = argv[0];
    char msg[256];

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        char name[32];
        const char *eq;
        size_t len;

        if (a[0] != '-') {
            snprintf(msg, sizeof msg, "unexpected argument '%s': flags start with -", a);
            return bad(prog, msg);
        }
        a += a[1] == '-' ? 2 : 1;
        eq = strchr(a, '=');
        len = eq ? (size_t)(eq - a) : strlen(a);
        if (len >= sizeof name)
            len = sizeof name - 1;
        memcpy(name, a, len);
        name[len] = '\0';
        if (eq)
            val = eq + 1;
        if (strcmp(name, "h") == 0 || strcmp(name, "help") == 0) {
            usage(stdout, prog);
            return -1;
        }
        if (strcmp(name, "benchmem") == 0) {
            if (val == NULL || strcmp(val, "true") == 0)
                o->benchmem = true;
            else if (strcmp(val, "false") == 0)
                o->benchmem = false;
            else
                return bad(prog, "-benchmem must be true or false");
            continue;
        }
        if (strcmp(name, "bench") != 0 && strcmp(name, "benchtime") != 0 &&
            strcmp(name, "count") != 0 && strcmp(name, "list") != 0) {
            snprintf(msg, sizeof msg, "unknown flag -%s", name);
            return bad(prog, msg);
        }
        if (val == NULL) {
            if (i + 1 >= argc) {
                snprintf(msg, sizeof msg, "flag -%s needs a value", name);
                return bad(prog, msg);
            }
            val = argv[++i];
        }
        if (strcmp(name, "bench") == 0) {
            o->pattern = val;
        } else if (strcmp(name, "list") == 0) {
            o->list = val;
        } else if (strcmp(name, "benchtime") == 0) {
            if (!parse_benchtime(val, o)) {
                snprintf(msg, sizeof msg, "-benchtime must be a duration (1s, 200ms) or a count "
                                          "(100x, at most 1,000,000,000x), got '%s'", val);
                return bad(prog, msg);
            }
        } else {
            char *end;
            long c = strtol(val, &end, 10);
            if (*val == '\0' || *end != '\0' || c < 1 || c > 1000) {
                snprintf(msg, sizeof msg, "-count must be a whole number from 1 to 1,000, got '%s'", val);
                return bad(prog, msg);
            }
            o->count = (unsigned)c;
        }
    }
    return 0;
}

static bool compile(const char *prog, const char *pattern, regex_t *re)
{
    if (regcomp(re, pattern, REG_EXTENDED | REG_NOSUB) != 0) {
        fprintf(stderr, "%s: -bench and -list take a POSIX regular expression, got '%s' (see -h)\n",
                prog, pattern);
        return false;
    }
    return true;
}

/* ---- the summary ---- */

struct row {                  /* one benchmark's runs, for the summary */
    const char *name;
    unsigned runs;
    double *nsop;             /* ns/op of each run */
    uint64_t bop, aop;        /* B/op and allocs/op of the last run */
};

static double median(struct row *r, double *lo, double *hi)
{
    double m = report_median(r->nsop, r->runs);

    *lo = r->nsop[0];
    *hi = r->nsop[r->runs - 1];
    return m;
}

static const struct row *find_row(const struct row *rows, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].runs > 0 && strcmp(rows[i].name, name) == 0)
            return &rows[i];
    return NULL;
}

/* "1.14 ns", "16.9 ns", "249 ns", then report_duration's units. */
static char *fmt_ns(double ns, char *buf, size_t size)
{
    if (ns < 100)
        snprintf(buf, size, "%#.3g ns", ns); /* three digits: "14.0 ns" beside "13.9 ns" */
    else if (ns < 1000)
        snprintf(buf, size, "%.0f ns", ns);
    else
        report_duration(ns, buf, size);
    return buf;
}

static void summary(struct row *rows, size_t nrows, const struct bench_pair *pairs, size_t npairs)
{
    bool header = false;

    for (size_t p = 0; p < npairs; p++) {
        struct row *side[2] = {(struct row *)find_row(rows, nrows, pairs[p].heavy),
                               (struct row *)find_row(rows, nrows, pairs[p].light)};
        double med[2], lo[2], hi[2];
        char t[2][3][32], a[32];

        if (side[0] == NULL || side[1] == NULL)
            continue;
        if (!header) {
            printf("\nheavy vs light (median ns/op of %u runs, min-max)\n", side[0]->runs);
            printf("%-28s %12s %23s %12s %12s\n", "benchmark", "ns/op", "min - max", "B/op", "allocs/op");
            header = true;
        }
        for (int s = 0; s < 2; s++) {
            char range[48];
            med[s] = median(side[s], &lo[s], &hi[s]);
            fmt_ns(med[s], t[s][0], 32);
            fmt_ns(lo[s], t[s][1], 32);
            fmt_ns(hi[s], t[s][2], 32);
            snprintf(range, sizeof range, "%s - %s", t[s][1], t[s][2]);
            printf("%-28s %12s %23s %12s %12s\n", side[s]->name, t[s][0], range,
                   report_count(side[s]->bop, a, 32),
                   report_count(side[s]->aop, (char[32]){0}, 32));
        }
        printf("%-28s %11.1fx\n", "  heavy/light", med[1] > 0 ? med[0] / med[1] : 0.0);
    }
}

/* ---- ALLOCATOR=... ---- */

#define ALLOCATOR_ENV "ALLOCATOR"
#define ALLOCATOR_TWIN_ENV "BENCH_ALLOCATOR" /* set in the twin, instead of ALLOCATOR */

/* The allocator's shared library, found where libc itself lives: the highest
 * lib<base>.so.<major> there (libmimalloc.so.2 on Debian 12, .so.3 on 13), so no release's
 * soname is written down here. Returns 0 with its path in out, or -1 if there is none. */
static int find_library(const char *base, char *out, size_t outsz)
{
    char pattern[PATH_MAX], prefix[128];
    Dl_info info;
    glob_t g;
    long best = -1;
    int n;

    if (dladdr((void *)&printf, &info) == 0 || info.dli_fname == NULL)
        return -1;
    const char *slash = strrchr(info.dli_fname, '/');
    if (slash == NULL)
        return -1;
    n = snprintf(prefix, sizeof prefix, "lib%s.so.", base);
    if (n < 0 || (size_t)n >= sizeof prefix)
        return -1;
    snprintf(pattern, sizeof pattern, "%.*s/%s*", (int)(slash - info.dli_fname), info.dli_fname,
             prefix);
    if (glob(pattern, 0, NULL, &g) != 0)
        return -1;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *name = strrchr(g.gl_pathv[i], '/') + 1 + n, *end;
        char *stop;
        long major = strtol(name, &stop, 10);

        end = stop;
        if (end == name || *end != '\0' || major <= best) /* lib<base>.so.<major> only */
            continue;
        best = major;
        snprintf(out, outsz, "%s", g.gl_pathv[i]);
    }
    globfree(&g);
    return best >= 0 ? 0 : -1;
}

/* With ALLOCATOR set, exec the twin with that allocator preloaded. Returns only when
 * ALLOCATOR is unset or empty; an unknown name is bad input (status 2). */
static int exec_allocator_twin(char **argv)
{
    static const struct { const char *name, *lib; } libs[] = {
        {"glibc", ""},
        {"jemalloc", "jemalloc"},
        {"mimalloc", "mimalloc"},
        {"tcmalloc", "tcmalloc_minimal"},
    };
    char lib[PATH_MAX];
    const char *name = getenv(ALLOCATOR_ENV);
    char self[PATH_MAX], twin[PATH_MAX + 8];
    char *slash;

    if (name == NULL || *name == '\0')
        return 0;
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        if (strcmp(name, libs[i].name) != 0)
            continue;
        lib[0] = '\0';
        if (*libs[i].lib != '\0' && find_library(libs[i].lib, lib, sizeof lib) != 0) {
            fprintf(stderr, "%s: ALLOCATOR=%s: lib%s.so.N is not installed (make deps)\n",
                    argv[0], name, libs[i].lib);
            return 2;
        }
        if (cli_exe_path(self, sizeof self) != 0) {
            fprintf(stderr, "%s: cannot read /proc/self/exe to find next/\n", argv[0]);
            return 1;
        }
        slash = strrchr(self, '/');
        snprintf(twin, sizeof twin, "%.*s/next/%s", (int)(slash - self), self, slash + 1);
        if (setenv(ALLOCATOR_TWIN_ENV, name, 1) != 0 || unsetenv(ALLOCATOR_ENV) != 0 ||
            (*lib != '\0' && setenv("LD_PRELOAD", lib, 1) != 0)) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
        execv(twin, argv);
        fprintf(stderr, "%s: cannot run %s (make %s builds it)\n", argv[0], twin, twin);
        return 1;
    }
    fprintf(stderr, "%s: ALLOCATOR must be glibc, jemalloc, mimalloc or tcmalloc, got '%s'\n",
            argv[0], name);
    return 2;
}

/* In the twin: "malloc: LIBRARY", the library countalloc passes malloc on to. */
static void print_allocator(void)
{
    Dl_info info;
    void *next;

    if (getenv(ALLOCATOR_TWIN_ENV) == NULL)
        return;
    next = dlsym(RTLD_NEXT, "malloc");
    if (next != NULL && dladdr(next, &info) != 0 && info.dli_fname != NULL)
        printf("malloc: %s\n", info.dli_fname);
}

/* ---- main ---- */

static void print_header(const char *pkg)
{
    char line[512], cpu[256] = "unknown";
    FILE *f = fopen("/proc/cpuinfo", "r");

    if (f != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            char *colon = strchr(line, ':');
            if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
                snprintf(cpu, sizeof cpu, "%s", colon + 2);
                cpu[strcspn(cpu, "\n")] = '\0';
                break;
            }
        }
        fclose(f);
    }
    printf("goos: linux\ngoarch: amd64\npkg: %s\ncpu: %s\n", pkg, cpu);
    print_allocator();
}

int bench_main(int argc, char **argv, const char *pkg, const struct bench_def *defs,
               size_t ndefs, const struct bench_pair *pairs, size_t npairs)
{
    struct options o = {.pattern = ".", .benchtime_ns = 1e9, .count = 1, .benchmem = true};
    regex_t re;
    struct row *rows;
    size_t width = 0;
    double t0 = report_now_ns();
    int rc = exec_allocator_twin(argv);

    if (rc == 0)
        rc = parse_flags(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (!compile(argv[0], o.list ? o.list : o.pattern, &re))
        return 2;
    if (o.list) {
        for (size_t i = 0; i < ndefs; i++)
            if (regexec(&re, defs[i].name, 0, NULL, 0) == 0)
                printf("Benchmark%s\n", defs[i].name);
        regfree(&re);
        return 0;
    }
    rows = calloc(ndefs, sizeof *rows);
    if (rows == NULL) {
        regfree(&re);
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 1;
    }
    for (size_t i = 0; i < ndefs; i++) {
        rows[i].name = defs[i].name;
        if (regexec(&re, defs[i].name, 0, NULL, 0) == 0 && strlen(defs[i].name) > width)
            width = strlen(defs[i].name);
    }
    print_header(pkg);
    if (o.benchmem)
        printf("Unit B/op assume=exact\nUnit allocs/op assume=exact\n");
    for (size_t i = 0; i < ndefs && rc == 0; i++) {
        if (regexec(&re, defs[i].name, 0, NULL, 0) != 0)
            continue;
        rows[i].nsop = calloc(o.count, sizeof *rows[i].nsop);
        if (rows[i].nsop == NULL) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            rc = 1;
            break;
        }
        for (unsigned c = 0; c < o.count; c++) {
            char line[512];
            struct result r = launch(&defs[i], &o);
            format_result(line, sizeof line, &r, o.benchmem);
            printf("Benchmark%-*s\t%s\n", (int)width, defs[i].name, line);
            fflush(stdout);
            rows[i].nsop[rows[i].runs++] = r.ns / (double)r.n;
            rows[i].bop = r.bytes / r.n;
            rows[i].aop = r.allocs / r.n;
        }
    }
    if (rc == 0) {
        printf("PASS\nok  \t%s\t%.3fs\n", pkg, (report_now_ns() - t0) / 1e9);
        summary(rows, ndefs, pairs, npairs);
    }
    for (size_t i = 0; i < ndefs; i++)
        free(rows[i].nsop);
    free(rows);
    regfree(&re);
    return rc;
}
