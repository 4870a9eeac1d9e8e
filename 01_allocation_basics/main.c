/* main.c: lesson 01 side by side: where allocations come from, and what each costs.
 *
 *   main [--heavy|--light] [N]    N appends, N boxed values and N lines (default 1,000,000)
 *
 * Both sides by default, then libc's hidden allocations; --heavy or --light runs one side
 * of each job (massif profiles them one at a time). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basics.h"
#include "boxing.h"
#include "cli.h"
#include "driver.h"
#include "growth.h"
#include "hidden.h"

static const struct driver_prog prog = {.name = "01_allocation_basics", .default_n = 1000000,
                                        .max_n = 10000000};

/* ---- growing an array: by one is the heavy side, reserved the light one ---- */

struct fill_job {
    enum vec_growth g;
    int reserve;
    size_t moves;
};

static int run_fill(void *ctx, uint64_t n, uint64_t *digest)
{
    struct fill_job *j = ctx;
    int64_t sum = 0;
    int rc = vec_fill((size_t)n, j->g, j->reserve, &sum, &j->moves);

    *digest = (uint64_t)sum;
    return rc;
}

static void growth_intro(const struct driver *d, const struct driver_job *job)
{
    char cnt[32];

    (void)job;
    printf("growing an array: %s appends of int64_t (Go: append; Python: list.append)\n",
           report_count(d->n, cnt, sizeof cnt));
    printf("  by one: realloc to len + 1    x1.5, x2: grow the capacity    "
           "reserved: make([]T, 0, n) first\n\n");
}

static void growth_rows(const struct driver *d, const struct driver_job *job,
                        const struct driver_result *r)
{
    char cnt[32];

    (void)d;
    printf("%-16s", "moved (copied)");
    for (size_t i = 0; i < r->n; i++) {
        const struct fill_job *j = job->side[r->side[i]].ctx;
        printf("%14s", report_count(j->moves, cnt, sizeof cnt));
    }
    printf("\n");
}

/* ---- boxing ---- */

struct sum_job {
    int (*fn)(size_t n, int64_t *sum);
};

static int run_sum(void *ctx, uint64_t n, uint64_t *digest)
{
    const struct sum_job *j = ctx;
    int64_t sum = 0;
    int rc = j->fn((size_t)n, &sum);

    *digest = (uint64_t)sum;
    return rc;
}

static void boxing_intro(const struct driver *d, const struct driver_job *job)
{
    char cnt[32];

    (void)job;
    printf("\nboxing: %s int64_t in a list of void * (Go: []any; Python: list of int)\n",
           report_count(d->n, cnt, sizeof cnt));
    printf("  boxed: malloc per value, the list holds pointers    "
           "values: one int64_t array\n\n");
}

/* ---- the heavy/light job: reading lines, collecting fields ---- */

struct collect_job {
    int (*fn)(FILE *in, struct fields *out);
    FILE *in;
    struct fields out;
    char iobuf[BUFSIZ];
};

struct collect_input {
    char *text;
    size_t len;
    struct collect_job *side[2];
};

static int run_collect(void *ctx, uint64_t n, uint64_t *digest)
{
    struct collect_job *j = ctx;

    (void)n;
    (void)digest;
    return j->fn(j->in, &j->out);
}

static void collect_done(const struct driver_job *job)
{
    struct collect_input *input = job->arg;

    for (int i = 0; i < 2; i++) {
        if (input->side[i]->in != NULL)
            fclose(input->side[i]->in);
        input->side[i]->in = NULL;
        basics_fields_free(&input->side[i]->out);
    }
    free(input->text);
    input->text = NULL;
}

/* The input, and a stream over it for each side that runs, made before the measuring. */
static void collect_intro(const struct driver *d, const struct driver_job *job)
{
    struct collect_input *input = job->arg;
    bool run[2] = {d->heavy, d->light};
    char cnt[32], bytes[32];

    if (basics_make_input((size_t)d->n, &input->text, &input->len) != 0)
        cli_oom(prog.name, "making the input");
    printf("\nreading lines, collecting fields: %s lines \"user,bytes\" (%s)\n",
           report_count(d->n, cnt, sizeof cnt),
           report_bytes((double)input->len, bytes, sizeof bytes));
    printf("  heavy: getline buffer, strndup and realloc per line    "
           "light: one buffer, fields in place, x2\n\n");
    for (int i = 0; i < 2; i++) {
        struct collect_job *j = input->side[i];
        if (!run[i])
            continue;
        j->in = basics_open(input->text, input->len, j->iobuf, sizeof j->iobuf);
        if (j->in == NULL) {
            collect_done(job);
            cli_oom(prog.name, "collecting fields");
        }
    }
}

static int collect_check(const struct driver *d, const struct driver_job *job,
                         const struct driver_result *r)
{
    const struct collect_input *input = job->arg;

    (void)r;
    if (!(d->heavy && d->light))
        return -1;
    return basics_fields_equal(&input->side[0]->out, &input->side[1]->out);
}

/* ---- the table of jobs ---- */

static struct fill_job fill[4] = {
    {VEC_BY_ONE, 0, 0}, {VEC_X1_5, 0, 0}, {VEC_X2, 0, 0}, {VEC_X2, 1, 0},
};
static struct sum_job sums[2] = {{box_sum_boxed}, {box_sum_values}};
static struct collect_job collects[2] = {{.fn = heavy_collect, .out = FIELDS_INIT},
                                         {.fn = light_collect, .out = FIELDS_INIT}};
static struct collect_input input = {NULL, 0, {&collects[0], &collects[1]}};

static const struct driver_job jobs[] = {
    {.intro = growth_intro,
     .side = {{"by one", run_fill, &fill[0], NULL}, {"x1.5", run_fill, &fill[1], NULL},
              {"x2", run_fill, &fill[2], NULL}, {"reserved", run_fill, &fill[3], NULL}},
     .oom = "growing an array",
     .rows = growth_rows,
     .same = "same sum from all four"},
    {.intro = boxing_intro,
     .side = {{"boxed", run_sum, &sums[0], "boxing values"},
              {"values", run_sum, &sums[1], "storing values"}},
     .same = "same sum from both"},
    {.intro = collect_intro,
     .side = {{"heavy", run_collect, &collects[0], NULL},
              {"light", run_collect, &collects[1], NULL}},
     .oom = "collecting fields",
     .same = "same fields from both",
     .check = collect_check,
     .done = collect_done,
     .arg = &input},
};

/* ---- libc's hidden allocations ---- */

/* glibc sizes stdout's buffer by what fstat says of it (st_blksize), so the first row
 * depends on where the output goes: it names that. */
static const char *stdout_kind(void)
{
    struct stat st;

    if (fstat(STDOUT_FILENO, &st) != 0)
        return "stdout";
    if (isatty(STDOUT_FILENO))
        return "a terminal";
    return S_ISFIFO(st.st_mode) ? "a pipe" : S_ISREG(st.st_mode) ? "a file" : "stdout";
}

static void hidden(const struct countalloc_stats *first_printf)
{
    char what[96];

    snprintf(what, sizeof what, "stdout's buffer, sized for %s (Go: bufio.NewWriter)", stdout_kind());
    printf("\nhidden allocations: one libc call each, counted by countalloc\n\n");
    hidden_print_head(stdout);
    hidden_print_row(stdout, "printf(...), first call to stdout", first_printf, what);
    for (size_t i = 0; i < hidden_nprobes; i++) {
        struct countalloc_stats d;

        if (hidden_probes[i].run(&d) != 0)
            cli_oom(prog.name, hidden_probes[i].call);
        hidden_print_row(stdout, hidden_probes[i].call, &d, hidden_probes[i].note);
    }
}

int main(int argc, char **argv)
{
    struct countalloc_stats start, first_printf;
    struct driver d;
    int bad;

    driver_args(&d, &prog, argc, argv);
    countalloc_measure_begin(&start); /* the first output of the process: stdout's buffer */
    printf("%s: where allocations come from\n\n", prog.name);
    first_printf = countalloc_measure_end(&start);

    bad = driver_jobs(&d, jobs, sizeof jobs / sizeof jobs[0]);
    if (d.heavy && d.light)
        hidden(&first_printf);
    return bad;
}
