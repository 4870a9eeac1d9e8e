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
#include "driver.h"
#include "strbuild.h"

#define PART_LEN 10          /* bytes per part, as in BenchmarkConcat* (bench.c, go/) */
#define SCALE_FIRST 1000     /* scaling rows: n = 1,000, 2,000, 4,000 ... */
#define SCALE_ROWS 6         /* ... 32,000: the naive row stays around a second */

/* N up to 100,000: the naive ways copy N * N * PART_LEN / 2 bytes */
static const struct driver_prog prog = {.name = "05_string_building", .default_n = 10000,
                                        .max_n = 100000};

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

static int run_side(void *ctx, uint64_t n, uint64_t *digest)
{
    (void)n;
    (void)digest;
    return run_job(ctx);
}

static uint64_t get_copied(const struct strbuild_out *o) { return o->copied; }
static uint64_t get_moves(const struct strbuild_out *o) { return o->moves; }

/* One more row under report_table's, in its column widths. */
static void extra_row(const char *name, const struct driver_job *job,
                      const struct driver_result *r, bool bytes,
                      uint64_t (*get)(const struct strbuild_out *))
{
    const struct strbuild_out *out[2];
    char buf[32];

    printf("%-16s", name);
    for (size_t i = 0; i < r->n; i++) {
        out[i] = &((const struct job *)job->side[r->side[i]].ctx)->out;
        uint64_t v = get(out[i]);
        if (out[i]->hidden && get == get_moves)
            printf("%14s", "unseen"); /* inside libc */
        else
            printf("%14s", bytes ? report_bytes((double)v, buf, sizeof buf)
                                 : report_count(v, buf, sizeof buf));
    }
    if (r->n == 2 && get(out[1]) > 0 && get(out[0]) > 0 && !out[1]->hidden) {
        double ratio = (double)get(out[0]) / (double)get(out[1]);
        if (ratio >= 100)
            printf("%15sx", report_count((unsigned long long)(ratio + 0.5), buf, sizeof buf));
        else
            printf("%15.1fx", ratio);
    }
    putchar('\n');
}

static void rows(const struct driver *d, const struct driver_job *job,
                 const struct driver_result *r)
{
    (void)d;
    extra_row("bytes copied", job, r, true, get_copied);
    extra_row("moves", job, r, false, get_moves);
}

/* The bytes of every side against ref, the first string made (kept for the next jobs);
 * the others are freed here. */
static int check(const struct driver *d, const struct driver_job *job,
                 const struct driver_result *r)
{
    struct strbuild_out *ref = job->arg;
    int same = 1;

    (void)d;
    for (size_t i = 0; i < r->n; i++) {
        struct strbuild_out *out = &((struct job *)job->side[r->side[i]].ctx)->out;
        if (ref->s == NULL) {
            *ref = *out;
            continue;
        }
        if (out->len != ref->len || memcmp(out->s, ref->s, ref->len) != 0)
            same = 0;
        free(out->s);
    }
    return same;
}

static struct strbuild_parts parts; /* the input of every pair */
static struct strbuild_out ref;
static struct job pairs[3][2] = {
    {{heavy_concat, &parts, {0}}, {light_builder, &parts, {0}}},
    {{heavy_realloc, &parts, {0}}, {light_reserve, &parts, {0}}},
    {{heavy_asprintf, &parts, {0}}, {light_memstream, &parts, {0}}},
};

/* Pair p of the table, after its title: heavy and light joining the same parts. */
#define PAIR(p)                                                                         \
    .side = {{"heavy", run_side, &pairs[p][0], NULL}, {"light", run_side, &pairs[p][1], NULL}}, \
    .oom = "joining the parts", .rows = rows, .same = "same bytes as every other way",  \
    .check = check, .arg = &ref

static const struct driver_job jobs[] = {
    {.title = "concat vs builder\n"
              "  heavy: s = concat(s, part): a new block and a full copy of s per part\n"
              "  light: struct sb (sb.h): append into spare room, double when full\n\n",
     PAIR(0)},
    {.title = "\nexact realloc vs reserve\n"
              "  heavy: s = realloc(s, len + part + 1) per part: the exact size, every time\n"
              "  light: sb_reserve(&b, total) once, then appends that never grow\n\n",
     PAIR(1)},
    {.title = "\nasprintf vs open_memstream\n"
              "  heavy: asprintf(&t, \"%s%s\", s, part) per part: format everything again\n"
              "  light: open_memstream + fwrite per part: libc's own growing buffer\n\n",
     PAIR(2)},
};

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
            cli_oom(prog.name, "making the parts");
        for (int s = 0; s < 2; s++) {
            struct job j = {fns[s], &in, {0}};
            struct report_run run;
            if (report_measure(s == 0 ? "concat" : "builder", run_job, &j, &run) != 0) {
                strbuild_parts_free(&in);
                cli_oom(prog.name, "joining the parts");
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
    struct driver d;
    char cnt[32], buf[32];
    int bad;

    driver_args(&d, &prog, argc, argv);
    if (strbuild_parts_make(&parts, d.n, PART_LEN) != 0)
        cli_oom(prog.name, "making the parts");
    printf("%s: %s parts of %d B joined into one string of %s\n\n", prog.name,
           report_count(d.n, cnt, sizeof cnt), PART_LEN,
           report_bytes((double)parts.total, buf, sizeof buf));
    bad = driver_jobs(&d, jobs, sizeof jobs / sizeof jobs[0]);
    printf("\n");
    free(ref.s);
    strbuild_parts_free(&parts);
    if (d.heavy && d.light && !d.n_given)
        scaling();
    return bad;
}
