/* Tests of the benchmark harness: Go's n scaling, Go's number format and line layout
 * (checked against real `go test -bench -benchmem` output from this machine), exact
 * B/op and allocs/op, the timer pausing the counts, the flags. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "report.h"

/* Lines as `go test -bench -benchmem` (Go 1.19) prints them, less the -2 GOMAXPROCS
 * suffix it adds when GOMAXPROCS is 2. */
static const char *const go_lines[] = {
    "BenchmarkWithAlloc         \t 1897389\t       661.7 ns/op\t    1024 B/op\t       1 allocs/op",
    "BenchmarkWithPool          \t35067240\t        32.82 ns/op\t      24 B/op\t       1 allocs/op",
    "BenchmarkConcatNaive       \t     522\t   2556201 ns/op\t 5320817 B/op\t     999 allocs/op",
    "BenchmarkConcatBuilderGrow \t  181160\t      5827 ns/op\t   10240 B/op\t       1 allocs/op",
};

/* ---- n scaling, as Go's predictN ---- */

Test(scaling, the_next_n_grows_at_most_100x)
{
    /* 1 op took 100 ns; 1 s would take 1e7 ops, but growth is capped at 100x */
    cr_assert_eq(bench_predict_n(1e9, 1, 100, 1), 100);
}

Test(scaling, the_next_n_aims_20_percent_past_the_goal)
{
    /* 1,000 ops took 1 ms: 1 s needs 1e6, plus 20% is 1.2e6, under the 100x cap */
    cr_assert_eq(bench_predict_n(1e9, 100000, 1e8, 100000), 1200000);
}

Test(scaling, the_next_n_is_at_least_one_more_and_at_most_1e9)
{
    cr_assert_eq(bench_predict_n(1e9, 50, 1e12, 50), 51, "a slow op still grows n by one");
    cr_assert_eq(bench_predict_n(1e9, 100000000, 1, 100000000), 1000000000);
}

/* The thread's CPU clock moves while the thread computes, and hardly while it sleeps. */
Test(clock, the_thread_clock_counts_computing_and_not_sleeping)
{
    double w0 = report_now_ns(), t0 = report_thread_ns(), t1; /* the wall interval holds the CPU one */
    struct timespec nap = {0, 50 * 1000 * 1000};

    while ((t1 = report_thread_ns()) - t0 < 5e6) /* 5 ms of this thread's CPU */
        ;
    cr_assert_geq(report_now_ns() - w0, t1 - t0,
                  "a thread cannot compute longer than the wall clock ran");
    w0 = report_now_ns();
    t0 = report_thread_ns();
    nanosleep(&nap, NULL);
    cr_assert_geq(report_now_ns() - w0, 50e6, "the nap took its 50 ms of wall clock");
    cr_assert_lt(report_thread_ns() - t0, 25e6,
                 "50 ms asleep cost this thread under 25 ms of CPU, saw %.0f ns",
                 report_thread_ns() - t0);
}

Test(scaling, a_run_of_zero_ns_counts_as_one_ns)
{
    cr_assert_eq(bench_predict_n(1e9, 1, 0, 1), 100);
}

/* ---- number format, as Go's prettyPrint ---- */

static void check_value(double x, const char *want)
{
    char buf[64];

    bench_format_value(buf, sizeof buf, x, "ns/op");
    cr_assert_str_eq(buf, want, "%g formatted as '%s', Go prints '%s'", x, buf, want);
}

Test(format, values_take_goes_precision_for_their_size)
{
    check_value(661.7, "       661.7 ns/op");
    check_value(32.82, "        32.82 ns/op");
    check_value(2556201, "   2556201 ns/op");
    check_value(5.25, "         5.250 ns/op");
    check_value(0.3141, "         0.3141 ns/op");
    check_value(0, "         0 ns/op");
}

/* ---- whole runs: capture what bench_main prints ---- */

static char out[16384];

static int run(int argc, char **argv, const struct bench_def *defs, size_t n)
{
    char path[] = "/tmp/test_bench_XXXXXX";
    int fd = mkstemp(path), saved, rc;
    ssize_t len;

    cr_assert_geq(fd, 0);
    fflush(stdout);
    saved = dup(1);
    dup2(fd, 1);
    rc = bench_main(argc, argv, "bench_test", defs, n, NULL, 0);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    len = read(fd, out, sizeof out - 1);
    out[len > 0 ? len : 0] = '\0';
    close(fd);
    unlink(path);
    return rc;
}

/* The line of benchmark `name` in the captured output. */
static char *line_of(const char *name)
{
    static char line[512];
    char key[64];
    const char *p;

    snprintf(key, sizeof key, "Benchmark%s", name);
    p = strstr(out, key);
    cr_assert_not_null(p, "no line for %s in:\n%s", name, out);
    snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
    return line;
}

static void *volatile sink;

static void bench_malloc_1024(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++) {
        void *p = malloc(1024);
        sink = p;
        free(p);
    }
}

static void bench_nothing(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++)
        bench_keep(&i);
}

static void bench_every_other(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++) {
        if (i % 2 == 0) {
            void *p = malloc(100);
            sink = p;
            free(p);
        }
    }
}

static void bench_setup_outside_timer(struct bench *b)
{
    void *setup;

    bench_stop_timer(b);
    setup = malloc(1 << 20); /* not this benchmark's cost */
    bench_start_timer(b);
    for (uint64_t i = 0; i < b->n; i++)
        bench_keep(setup);
    bench_stop_timer(b);
    free(setup);
}

static void bench_reset_after_setup(struct bench *b)
{
    void *setup = malloc(4096);

    bench_report_metric(b, 7, "setup/op"); /* forgotten by the reset, as Go's b.extra is */
    bench_reset_timer(b);
    for (uint64_t i = 0; i < b->n; i++)
        bench_keep(setup);
    bench_stop_timer(b);
    free(setup);
}

static void bench_with_bytes(struct bench *b)
{
    bench_set_bytes(b, 1000);
    bench_report_metric(b, 42, "widgets/op");
    bench_nothing(b);
}

static const struct bench_def defs[] = {
    {"Malloc1024", bench_malloc_1024},
    {"Nothing", bench_nothing},
    {"EveryOther", bench_every_other},
    {"SetupOutsideTimer", bench_setup_outside_timer},
    {"ResetAfterSetup", bench_reset_after_setup},
    {"WithBytes", bench_with_bytes},
};

#define ARGV(...) ((char *[]){"bench", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"bench", __VA_ARGS__}) / sizeof(char *)))

Test(counts, malloc_1024_is_1024_bytes_and_1_alloc_per_op)
{
    cr_assert_eq(run(ARGC("-benchtime", "1000x", "-bench", "Malloc1024"),
                     ARGV("-benchtime", "1000x", "-bench", "Malloc1024"), defs, 6), 0);
    cr_assert(strstr(line_of("Malloc1024"), "\t    1024 B/op\t       1 allocs/op") != NULL,
              "got: %s", line_of("Malloc1024"));
}

Test(counts, an_empty_loop_is_0_bytes_and_0_allocs)
{
    run(ARGC("-benchtime", "1000x", "-bench", "^Nothing$"), ARGV("-benchtime", "1000x", "-bench", "^Nothing$"), defs, 6);
    cr_assert(strstr(line_of("Nothing"), "\t       0 B/op\t       0 allocs/op") != NULL, "got: %s",
              line_of("Nothing"));
}

Test(counts, per_op_figures_are_rounded_down_as_go_does)
{
    /* n = 3: allocations at i = 0 and 2, 200 bytes: 200/3 = 66 B/op, 2/3 = 0 allocs/op */
    run(ARGC("-benchtime", "3x", "-bench", "EveryOther"), ARGV("-benchtime", "3x", "-bench", "EveryOther"), defs, 6);
    cr_assert(strstr(line_of("EveryOther"), "\t      66 B/op\t       0 allocs/op") != NULL, "got: %s",
              line_of("EveryOther"));
}

Test(counts, allocations_made_while_the_timer_is_stopped_do_not_count)
{
    run(ARGC("-benchtime", "100x", "-bench", "Setup"), ARGV("-benchtime", "100x", "-bench", "Setup"), defs, 6);
    cr_assert(strstr(line_of("SetupOutsideTimer"), "\t       0 B/op\t       0 allocs/op") != NULL,
              "got: %s", line_of("SetupOutsideTimer"));
}

Test(counts, reset_timer_forgets_the_setup_before_it)
{
    run(ARGC("-benchtime", "100x", "-bench", "Reset"), ARGV("-benchtime", "100x", "-bench", "Reset"), defs, 6);
    cr_assert(strstr(line_of("ResetAfterSetup"), "\t       0 B/op\t       0 allocs/op") != NULL,
              "got: %s", line_of("ResetAfterSetup"));
    cr_assert(strstr(line_of("ResetAfterSetup"), "setup/op") == NULL,
              "a metric reported before the reset should be gone: %s", line_of("ResetAfterSetup"));
}

/* ---- the line layout, field by field against Go's ---- */

/* Split a line at tabs into at most 8 fields. */
static int fields(const char *line, char f[8][128])
{
    int n = 0;

    while (n < 8) {
        size_t len = strcspn(line, "\t");
        snprintf(f[n++], 128, "%.*s", (int)len, line);
        if (line[len] == '\0')
            break;
        line += len + 1;
    }
    return n;
}

Test(layout, our_lines_have_gos_fields_and_widths)
{
    char ours[8][128], go[8][128];
    int n_ours, n_go;

    run(ARGC("-benchtime", "1000x", "-bench", "Malloc1024"), ARGV("-benchtime", "1000x", "-bench", "Malloc1024"), defs, 6);
    n_ours = fields(line_of("Malloc1024"), ours);
    for (size_t i = 0; i < sizeof go_lines / sizeof go_lines[0]; i++) {
        n_go = fields(go_lines[i], go);
        cr_assert_eq(n_ours, n_go, "we print %d fields, Go %d", n_ours, n_go);
        cr_assert_eq(strlen(ours[1]), strlen(go[1]), "iterations: '%s' vs Go's '%s'", ours[1], go[1]);
        cr_assert(strstr(ours[2], " ns/op") != NULL && strstr(go[2], " ns/op") != NULL);
        cr_assert_eq(strlen(ours[3]), strlen(go[3]), "B/op: '%s' vs Go's '%s'", ours[3], go[3]);
        cr_assert_eq(strlen(ours[4]), strlen(go[4]), "allocs/op: '%s' vs Go's '%s'", ours[4], go[4]);
        cr_assert_str_eq(ours[3] + 8, go[3] + 8, "the B/op unit");
        cr_assert_str_eq(ours[4] + 8, go[4] + 8, "the allocs/op unit");
    }
}

Test(layout, names_are_padded_to_the_longest_selected_name)
{
    run(ARGC("-benchtime", "10x"), ARGV("-benchtime", "10x"), defs, 6);
    cr_assert(strstr(out, "BenchmarkNothing          \t") != NULL, "Nothing padded to SetupOutsideTimer:\n%s", out);
}

Test(layout, the_header_has_gos_lines_and_marks_counts_exact)
{
    run(ARGC("-benchtime", "10x", "-bench", "Nothing"), ARGV("-benchtime", "10x", "-bench", "Nothing"), defs, 6);
    cr_assert(strncmp(out, "goos: linux\ngoarch: amd64\npkg: bench_test\ncpu: ", 44) == 0, "header:\n%s", out);
    cr_assert(strstr(out, "\nUnit B/op assume=exact\nUnit allocs/op assume=exact\n") != NULL);
    cr_assert(strstr(out, "\nPASS\nok  \tbench_test\t") != NULL);
}

Test(layout, set_bytes_adds_mb_per_s_and_report_metric_adds_its_unit)
{
    run(ARGC("-benchtime", "1000x", "-bench", "WithBytes"), ARGV("-benchtime", "1000x", "-bench", "WithBytes"), defs, 6);
    cr_assert(strstr(line_of("WithBytes"), " MB/s\t") != NULL, "got: %s", line_of("WithBytes"));
    cr_assert(strstr(line_of("WithBytes"), "42.00 widgets/op") != NULL, "got: %s", line_of("WithBytes"));
}

/* ---- flags ---- */

Test(flags, count_runs_each_benchmark_that_many_times)
{
    const char *p = out;
    int lines = 0;

    run(ARGC("-count", "3", "-benchtime", "10x", "-bench", "Nothing"),
        ARGV("-count", "3", "-benchtime", "10x", "-bench", "Nothing"), defs, 6);
    while ((p = strstr(p, "BenchmarkNothing")) != NULL) {
        lines++;
        p++;
    }
    cr_assert_eq(lines, 3);
}

Test(flags, bench_selects_by_posix_regex)
{
    run(ARGC("-benchtime", "10x", "-bench", "^(Nothing|Malloc)"), ARGV("-benchtime", "10x", "-bench", "^(Nothing|Malloc)"), defs, 6);
    cr_assert(strstr(out, "BenchmarkNothing") && strstr(out, "BenchmarkMalloc1024"));
    cr_assert_null(strstr(out, "BenchmarkEveryOther"));
}

Test(flags, list_prints_the_names_and_runs_nothing)
{
    run(ARGC("-list", "Setup|Reset"), ARGV("-list", "Setup|Reset"), defs, 6);
    cr_assert_str_eq(out, "BenchmarkSetupOutsideTimer\nBenchmarkResetAfterSetup\n");
}

Test(flags, benchmem_false_drops_the_allocation_columns)
{
    run(ARGC("-benchmem=false", "-benchtime", "10x", "-bench", "Nothing"),
        ARGV("-benchmem=false", "-benchtime", "10x", "-bench", "Nothing"), defs, 6);
    cr_assert_null(strstr(line_of("Nothing"), "B/op"));
}

Test(flags, bad_flags_and_values_exit_2_with_one_line)
{
    static const char *const bad[][3] = {
        {"-benchtime", "abc", NULL}, {"-benchtime", "0x", NULL}, {"-count", "0", NULL},
        {"-count", "-1", NULL},      {"-count", "x", NULL},      {"-bench", "[", NULL},
        {"-bogus", NULL, NULL},      {"stray", NULL, NULL},      {"-count", NULL, NULL},
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[4] = {"bench", (char *)bad[i][0], (char *)bad[i][1], NULL};
        int argc = bad[i][1] ? 3 : 2;
        cr_assert_eq(run(argc, argv, defs, 6), 2, "'%s %s' should exit 2", bad[i][0],
                     bad[i][1] ? bad[i][1] : "");
    }
}
