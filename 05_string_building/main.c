/* main.c: lesson 05 side by side: three ways to join strings that allocate per part
 * against three that allocate per growth, then how the naive way scales.
 *
 *   main [--heavy|--light] [N]    N parts of PART_LEN bytes (default 10,000); with no
 *                                 argument at all, also the scaling tables
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "strbuild.h"

#define PROG "05_string_building"
#define PART_LEN 10          /* bytes per part, as in BenchmarkConcat* (bench.c, go/) */
#define DEFAULT_N 10000
#define MAX_N 100000         /* the naive ways copy N * N * PART_LEN / 2 bytes */
#define SCALE_FIRST 1000     /* scaling rows: n = 1,000, 2,000, 4,000 ... */
#define SCALE_ROWS 6         /* ... 32,000: the naive row stays around a second */

typedef int (*build_fn)(const struct strbuild_parts *in, struct strbuild_out *out);

struct job {
    build_fn fn;
    const struct strbuild_parts *in;
    struct strbuild_out out;
};

static int run_job(void *ctx)
{
    struct job *j = ctx;

    return j->fn(j->in, &j->out);
}

static uint64_t get_copied(const struct strbuild_out *o) { return o->copied; }
static uint64_t get_moves(const struct strbuild_out *o) { return o->moves; }

/* One more row under report_table's, in its column widths. */
static void extra_row(const char *name, const struct job *jobs, size_t n, bool bytes,
                      uint64_t (*get)(const struct strbuild_out *))
{
    char buf[32];

    printf("%-16s", name);
    for (size_t i = 0; i < n; i++) {
        uint64_t v = get(&jobs[i].out);
        if (jobs[i].out.hidden && get == get_moves)
            printf("%14s", "unseen"); /* inside libc */
        else
            printf("%14s", bytes ? report_bytes((double)v, buf, sizeof buf)
                                 : report_count(v, buf, sizeof buf));
    }
    if (n == 2 && get(&jobs[1].out) > 0 && get(&jobs[0].out) > 0 && !jobs[1].out.hidden) {
        double r = (double)get(&jobs[0].out) / (double)get(&jobs[1].out);
        if (r >= 100)
            printf("%15sx", report_count((unsigned long long)(r + 0.5), buf, sizeof buf));
        else
            printf("%15.1fx", r);
    }
    putchar('\n');
}


/* Run the chosen sides of one pair, print their table, check the bytes against ref
 * (the first string made, kept by the caller). Returns 0 if they match. */
static int compare(const char *title, const char *heavy_what, const char *light_what,
                   build_fn heavy, build_fn light, const struct strbuild_parts *in,
                   bool run_heavy, bool run_light, struct strbuild_out *ref)
{
    struct job jobs[2] = {0};
    struct report_run runs[2] = {0};
    size_t n = 0;
    int bad = 0;

    printf("%s\n  heavy: %s\n  light: %s\n\n", title, heavy_what, light_what);
    if (run_heavy) {
        jobs[n] = (struct job){heavy, in, {0}};
        if (report_measure("heavy", run_job, &jobs[n], &runs[n]) != 0)
            cli_oom(PROG, "joining the parts");
        n++;
    }
    if (run_light) {
        jobs[n] = (struct job){light, in, {0}};
        if (report_measure("light", run_job, &jobs[n], &runs[n]) != 0)
            cli_oom(PROG, "joining the parts");
        n++;
    }
    report_table(stdout, runs, n);
    extra_row("bytes copied", jobs, n, true, get_copied);
    extra_row("moves", jobs, n, false, get_moves);
    for (size_t i = 0; i < n; i++) {
        if (ref->s == NULL) {
            *ref = jobs[i].out;
            continue;
        }
        if (jobs[i].out.len != ref->len || memcmp(jobs[i].out.s, ref->s, ref->len) != 0)
            bad = 1;
        free(jobs[i].out.s);
    }
    printf("same bytes as every other way: %s\n\n", bad ? "NO (a bug)" : "yes");
    return bad;
}

/* ---- scaling ---- */

struct scale_row {
    uint64_t n, allocs[2], copied[2];
    struct report_run run[2]; /* time: the median of several runs, and their spread */
};

static char *growth(double now, double before, char *buf, size_t size)
{
    if (before <= 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "x%.1f", now / before);
    return buf;
}

static void scaling(void)
{
    static const build_fn fns[2] = {heavy_concat, light_builder};
    struct scale_row rows[SCALE_ROWS];
    char a[32], b[32], c[32], d[32], e[32], f[32];

    for (int r = 0; r < SCALE_ROWS; r++) {
        struct strbuild_parts in;

        rows[r].n = (uint64_t)SCALE_FIRST << r;
        if (strbuild_parts_make(&in, rows[r].n, PART_LEN) != 0)
            cli_oom(PROG, "making the parts");
        for (int s = 0; s < 2; s++) {
            struct job j = {fns[s], &in, {0}};
            struct report_run run;
            if (report_measure(s == 0 ? "concat" : "builder", run_job, &j, &run) != 0) {
                strbuild_parts_free(&in);
                cli_oom(PROG, "joining the parts");
            }
            rows[r].allocs[s] = run.d.mallocs;
            rows[r].copied[s] = j.out.copied;
            rows[r].run[s] = run;
            free(j.out.s);
        }
        strbuild_parts_free(&in);
    }

    printf("scaling: s = concat(s, part) against struct sb, parts of %d B; each row doubles n\n",
           PART_LEN);
    printf("(growth: this row's figure over the row above; n^2 shows as x4.0, n as x2.0)\n\n");
    printf("%10s  %14s %16s %7s  %14s %16s %7s\n", "n", "concat allocs", "concat copied",
           "growth", "sb allocs", "sb copied", "growth");
    for (int r = 0; r < SCALE_ROWS; r++) {
        double pc0 = r ? (double)rows[r - 1].copied[0] : 0;
        double pc1 = r ? (double)rows[r - 1].copied[1] : 0;
        printf("%10s  %14s %16s %7s  %14s %16s %7s\n", report_count(rows[r].n, a, sizeof a),
               report_count(rows[r].allocs[0], b, sizeof b),
               report_count(rows[r].copied[0], c, sizeof c),
               growth((double)rows[r].copied[0], pc0, d, sizeof d),
               report_count(rows[r].allocs[1], e, sizeof e),
               report_count(rows[r].copied[1], f, sizeof f),
               growth((double)rows[r].copied[1], pc1, (char[32]){0}, 32));
    }
    /* how many runs varies with the machine (a budget of time): this line stays the same */
    printf("\n(times: the median of REPORT_RUNS runs, 5 unless set, fewer where a run is long; "
           "fastest-slowest in brackets)\n");
    printf("%10s  %28s %7s  %28s %7s  %10s\n", "n", "concat time", "growth", "sb time",
           "growth", "concat/sb");
    for (int r = 0; r < SCALE_ROWS; r++) {
        printf("%10s  %28s %7s  %28s %7s  %10s\n", report_count(rows[r].n, a, sizeof a),
               report_time_spread(&rows[r].run[0], b, sizeof b),
               growth(rows[r].run[0].ns, r ? rows[r - 1].run[0].ns : 0, c, sizeof c),
               report_time_spread(&rows[r].run[1], d, sizeof d),
               growth(rows[r].run[1].ns, r ? rows[r - 1].run[1].ns : 0, e, sizeof e),
               report_time_ratio(&rows[r].run[0], &rows[r].run[1], f, sizeof f));
    }
}

int main(int argc, char **argv)
{
    bool run_heavy, run_light;
    uint64_t n = DEFAULT_N;
    struct strbuild_parts in;
    struct strbuild_out ref = {0};
    char cnt[32], buf[32];
    int argi, bad = 0;

    cli_close_stdout_at_exit(PROG);
    argi = cli_side(argc, argv, &run_heavy, &run_light);
    cli_max_args(PROG, argc - argi + 1, 1, "[--heavy|--light] [N]");
    if (argi < argc)
        n = cli_u64(PROG, "N", argv[argi], 1, MAX_N);

    if (strbuild_parts_make(&in, n, PART_LEN) != 0)
        cli_oom(PROG, "making the parts");
    printf("%s: %s parts of %d B joined into one string of %s\n\n", PROG,
           report_count(n, cnt, sizeof cnt), PART_LEN, report_bytes((double)in.total, buf, sizeof buf));
    bad |= compare("concat vs builder",
                   "s = concat(s, part): a new block and a full copy of s per part",
                   "struct sb (sb.h): append into spare room, double when full",
                   heavy_concat, light_builder, &in, run_heavy, run_light, &ref);
    bad |= compare("exact realloc vs reserve",
                   "s = realloc(s, len + part + 1) per part: the exact size, every time",
                   "sb_reserve(&b, total) once, then appends that never grow",
                   heavy_realloc, light_reserve, &in, run_heavy, run_light, &ref);
    bad |= compare("asprintf vs open_memstream",
                   "asprintf(&t, \"%s%s\", s, part) per part: format everything again",
                   "open_memstream + fwrite per part: libc's own growing buffer",
                   heavy_asprintf, light_memstream, &in, run_heavy, run_light, &ref);
    free(ref.s);
    strbuild_parts_free(&in);
    if (run_heavy && run_light && argi == argc)
        scaling();
    return bad;
}
