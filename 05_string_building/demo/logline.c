/* logline.c: a log line nobody reads. A debug line written three ways (logline.h): format
 * first then check the level (vasprintf), check first then vfprintf into the sink, or a
 * macro that checks at the call site before the arguments. Each way at two call sites, an
 * int and a string, and an argument that allocates (describe(o), a malloc'd string), with
 * debug off and on: allocations, frees and bytes per line, describe's calls, lines
 * written; before that what the sink itself costs (the FILE, the stream's buffer on its
 * first write); after it the time of a line that is off. make logline-05; ARGS="L R"
 * (default 1,000 lines measured, 100,000 calls a timed run). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "countalloc.h"
#include "hash.h"
#include "logline.h"
#include "report.h"

#define PROG "logline"
#define L_DEFAULT 1000
#define L_MAX 1000000
#define R_DEFAULT 100000
#define R_MAX 10000000
#define USER "alice"
#define ID(i) (1000 + (int)((i) % 9000)) /* four digits: every line the same length */

static const char *const way_names[3] = {"(a) format first", "(b) check first", "(c) macro"};
static const char *const site_names[2] = {"request %d from %s", "%s, describe(o)"};

static _Noreturn void fail(const char *what)
{
    if (errno == ENOMEM)
        cli_oom(PROG, what);
    fprintf(stderr, "%s: %s: %s\n", PROG, what, strerror(errno));
    exit(1);
}

/* One debug line at site s, way w: the line's number i varies the id. */
static int line(struct logline *lg, int s, int w, size_t i)
{
    struct logline_obj o = {ID(i), USER, 3};

    if (s == 0)
        return logline_site_request(lg, (enum logline_way)w, ID(i), USER);
    return logline_site_order(lg, (enum logline_way)w, &o);
}

/* "1" when n divides by l, else "1.50": a count per line. */
static char *per_line(uint64_t n, size_t l, char *buf, size_t size)
{
    if (n % l == 0)
        return report_count(n / l, buf, size);
    snprintf(buf, size, "%.2f", (double)n / (double)l);
    return buf;
}

/* ---- the sink ---- */

static void sink(size_t l)
{
    struct countalloc_stats start, d;
    struct logline lg = {LOGLINE_DEBUG, NULL, 0};
    struct stat st;
    char a[32], b[32], f[32], what[64];
    static char own[4096];
    int rc = 0;

    printf("the sink: what stdio allocates, whatever the way\n");
    printf("  %-44s  %6s  %9s  %5s\n", "call", "allocs", "bytes", "frees");
    countalloc_measure_begin(&start);
    lg.sink = fopen("/dev/null", "w");
    d = countalloc_measure_end(&start);
    if (lg.sink == NULL)
        fail("fopen /dev/null");
    printf("  %-44s  %6s  %9s  %5s  the FILE\n", "fopen(\"/dev/null\", \"w\")",
           report_count(d.mallocs, a, 32), report_bytes((double)d.total_alloc, b, 32),
           report_count(d.frees, f, 32));
    if (fstat(fileno(lg.sink), &st) != 0)
        fail("fstat /dev/null");
    countalloc_measure_begin(&start);
    rc |= line(&lg, 0, LOGLINE_CHECK_FIRST, 0);
    d = countalloc_measure_end(&start);
    printf("  %-44s  %6s  %9s  %5s  the stream's buffer (st_blksize %lld)\n",
           "its first line, (b)", report_count(d.mallocs, a, 32),
           report_bytes((double)d.total_alloc, b, 32), report_count(d.frees, f, 32),
           (long long)st.st_blksize);
    countalloc_measure_begin(&start);
    for (size_t i = 1; i < l && rc == 0; i++)
        rc |= line(&lg, 0, LOGLINE_CHECK_FIRST, i);
    d = countalloc_measure_end(&start);
    if (rc != 0)
        fail("writing to /dev/null");
    snprintf(what, sizeof what, "the next %s lines, (b)", report_count(l - 1, a, 32));
    printf("  %-44s  %6s  %9s  %5s\n", what, report_count(d.mallocs, a, 32),
           report_bytes((double)d.total_alloc, b, 32), report_count(d.frees, f, 32));
    countalloc_measure_begin(&start);
    rc = fclose(lg.sink);
    d = countalloc_measure_end(&start);
    if (rc != 0)
        fail("fclose /dev/null");
    printf("  %-44s  %6s  %9s  %5s  the buffer and the FILE\n", "fclose", report_count(d.mallocs, a, 32),
           report_bytes((double)d.total_alloc, b, 32), report_count(d.frees, f, 32));

    lg.sink = fopen("/dev/null", "w");
    if (lg.sink == NULL)
        fail("fopen /dev/null");
    countalloc_measure_begin(&start);
    rc = setvbuf(lg.sink, own, _IOFBF, sizeof own);
    for (size_t i = 0; i < l && rc == 0; i++)
        rc |= line(&lg, 0, LOGLINE_CHECK_FIRST, i);
    d = countalloc_measure_end(&start);
    if (rc != 0)
        fail("writing to /dev/null");
    printf("  %-44s  %6s  %9s  %5s  the caller's buffer\n", "setvbuf(f, buf, _IOFBF, 4096), then L lines",
           report_count(d.mallocs, a, 32), report_bytes((double)d.total_alloc, b, 32),
           report_count(d.frees, f, 32));
    if (fclose(lg.sink) != 0)
        fail("fclose /dev/null");
}

/* ---- per line: l lines each way, at each site, off and on ---- */

/* l lines at site s, way w, debug on or off, into a memfd opened for it (its buffer made by
 * a first line at INFO, before the count): prints the row; *digest: what the memfd holds. */
static void lines(int s, int w, int on, size_t l, uint64_t *digest)
{
    struct logline lg = {on ? LOGLINE_DEBUG : LOGLINE_INFO, NULL, 0};
    struct countalloc_stats start, d;
    uint64_t calls, bytes;
    int fd = memfd_create("logline", MFD_CLOEXEC), rc = 0;
    char a[32], b[32], f[32], c[32], n[32], m[32];

    if (fd < 0)
        fail("memfd_create");
    if ((lg.sink = fdopen(fd, "w")) == NULL)
        fail("fdopen");
    if (logline_printf(&lg, LOGLINE_INFO, "%s", "start") != 0)
        fail("the first line");
    calls = logline_describe_calls;
    countalloc_measure_begin(&start);
    for (size_t i = 0; i < l && rc == 0; i++)
        rc = line(&lg, s, w, i);
    d = countalloc_measure_end(&start);
    calls = logline_describe_calls - calls;
    if (rc != 0)
        fail(way_names[w]);
    if (fflush(lg.sink) != 0)
        fail("fflush");
    *digest = hash_fnv(HASH_FNV_START, "", 0);
    {
        char buf[4096];
        ssize_t r;
        off_t at = 0;

        while ((r = pread(fd, buf, sizeof buf, at)) > 0) {
            *digest = hash_fnv(*digest, buf, (size_t)r);
            at += r;
        }
        bytes = (uint64_t)at;
    }
    fclose(lg.sink);
    printf("  %-18s  %-16s  %3s  %6s  %9s  %5s  %8s  %7s  %9s\n", w == 0 && on == 0 ? site_names[s] : "",
           on == 0 ? way_names[w] : "", on ? "on" : "off", per_line(d.mallocs, l, a, 32),
           per_line(d.total_alloc, l, b, 32), per_line(d.frees, l, f, 32), per_line(calls, l, c, 32),
           report_count(lg.lines - 1, n, 32), report_bytes((double)bytes, m, 32));
}

static int per_lines(size_t l)
{
    uint64_t digest[2][3][2];
    char lb[32];
    int bad = 0;

    printf("\nper line: %s debug lines each way, into a memfd (fdopen) whose buffer a first\n"
           "line at INFO made before the count; allocs, bytes and frees per line, describe's\n"
           "calls per line, lines written and the memfd's size at the end\n",
           report_count(l, lb, sizeof lb));
    printf("  %-18s  %-16s  %3s  %6s  %9s  %5s  %8s  %7s  %9s\n", "site", "way", "dbg", "allocs",
           "bytes", "frees", "describe", "written", "memfd");
    for (int s = 0; s < 2; s++)
        for (int w = 0; w < 3; w++)
            for (int on = 0; on < 2; on++)
                lines(s, w, on, l, &digest[s][w][on]);
    for (int s = 0; s < 2; s++)
        for (int w = 1; w < 3; w++)
            bad |= digest[s][w][1] != digest[s][0][1] || digest[s][w][0] != digest[s][0][0];
    printf("the same bytes written all three ways, off and on: %s\n", bad ? "NO (a bug)" : "yes");
    return bad;
}

/* ---- times: r lines that are off, each way ---- */

struct job {
    int s, w;
    size_t r;
};

static int job(void *ctx)
{
    struct job *j = ctx;
    struct logline lg = {LOGLINE_INFO, stdout, 0}; /* debug off: nothing reaches stdout */

    for (size_t i = 0; i < j->r; i++)
        if (line(&lg, j->s, j->w, i) != 0)
            return -1;
    return lg.lines == 0 ? 0 : -1;
}

static void timing(size_t r)
{
    char rb[32];

    printf("\ntimes of a line that is off: %s calls a run, the time per call, median of\n"
           "the runs (fastest - slowest); the ratio is each way's over (c)'s, ~1x where\n"
           "the runs overlap\n", report_count(r, rb, sizeof rb));
    for (int s = 0; s < 2; s++) {
        struct report_run run[3];
        char t[64], v[32];

        for (int w = 0; w < 3; w++) {
            struct job j = {s, w, r};

            if (report_measure(way_names[w], job, &j, &run[w]) != 0)
                fail(way_names[w]);
            run[w].ns /= (double)r;
            run[w].ns_min /= (double)r;
            run[w].ns_max /= (double)r;
        }
        printf("  %s (%u runs):\n", site_names[s], run[0].runs);
        for (int w = 0; w < 3; w++) {
            snprintf(t, sizeof t, "(%.1f-%.1f ns)", run[w].ns_min, run[w].ns_max);
            printf("    %-16s  %8.1f ns  %-20s  %6s\n", way_names[w], run[w].ns, t,
                   w == 2 ? "" : report_time_ratio(&run[w], &run[2], v, sizeof v));
        }
        for (int w = 0; w < 2; w++)
            if (!report_runs_overlap(&run[w], &run[2]))
                printf("    %s is slower than (c) in every run\n", way_names[w]);
    }
}

int main(int argc, char **argv)
{
    size_t l = L_DEFAULT, r = R_DEFAULT;
    int bad;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 2, "[L [R]]");
    if (argc > 1)
        l = (size_t)cli_u64(PROG, "L", argv[1], 1, L_MAX);
    if (argc > 2)
        r = (size_t)cli_u64(PROG, "R", argv[2], 1, R_MAX);

    printf("A debug line written three ways (logline.h), with debug off and on:\n"
           "  (a) format first: vasprintf into a heap string, then the level checked\n"
           "      (logline_fmt); the line written with fputs, the string freed\n"
           "  (b) check first: the level checked, then vfprintf into the sink\n"
           "      (logline_printf); the call site evaluates the arguments first\n"
           "  (c) macro: the level checked at the call site, before the arguments\n"
           "      (LOGLINE_DEBUGF); for describe(o) the check written out\n"
           "at two call sites: \"request %%d from %%s\" with an int and a string, and \"%%s\"\n"
           "with describe(o): a malloc'd \"order 4711 of alice, 3 items\" the caller frees.\n\n");
    sink(l);
    bad = per_lines(l);
    cli_flush_stdout();
    timing(r);
    return bad ? 1 : 0;
}
