/* main.c: lesson 01 side by side: where allocations come from, and what each costs.
 *
 *   main [--heavy|--light] [N]    N appends, N boxed values and N lines (default 1,000,000)
 *
 * Both sides by default, then libc's hidden allocations; --heavy or --light runs one side
 * of each job (massif profiles them one at a time). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "basics.h"
#include "boxing.h"
#include "cli.h"
#include "growth.h"
#include "hidden.h"
#include "report.h"

#define PROG "01_allocation_basics"
#define DEFAULT_N 1000000
#define MAX_N 10000000

/* ---- growing an array ---- */

struct fill_job {
    size_t n;
    enum vec_growth g;
    int reserve;
    int64_t sum;
    size_t moves;
};

static int run_fill(void *ctx)
{
    struct fill_job *j = ctx;

    return vec_fill(j->n, j->g, j->reserve, &j->sum, &j->moves);
}

/* by one is the heavy side, reserved the light one; x1.5 and x2 run only beside both. */
static bool growth_runs(int i, bool run_heavy, bool run_light)
{
    return i == 0 ? run_heavy : i == 3 ? run_light : run_heavy && run_light;
}

static int growth(size_t n, bool run_heavy, bool run_light)
{
    struct fill_job jobs[4] = {
        {n, VEC_BY_ONE, 0, 0, 0},
        {n, VEC_X1_5, 0, 0, 0},
        {n, VEC_X2, 0, 0, 0},
        {n, VEC_X2, 1, 0, 0},
    };
    static const char *const names[4] = {"by one", "x1.5", "x2", "reserved"};
    struct report_run runs[4];
    size_t nruns = 0;
    char cnt[32];

    printf("growing an array: %s appends of int64_t (Go: append; Python: list.append)\n",
           report_count(n, cnt, sizeof cnt));
    printf("  by one: realloc to len + 1    x1.5, x2: grow the capacity    "
           "reserved: make([]T, 0, n) first\n\n");
    for (int i = 0; i < 4; i++) {
        if (growth_runs(i, run_heavy, run_light) &&
            report_measure(names[i], run_fill, &jobs[i], &runs[nruns++]) != 0)
            cli_oom(PROG, "growing an array");
    }
    report_table(stdout, runs, nruns);
    printf("%-16s", "moved (copied)");
    for (int i = 0; i < 4; i++) {
        if (growth_runs(i, run_heavy, run_light))
            printf("%14s", report_count(jobs[i].moves, cnt, sizeof cnt));
    }
    printf("\n");
    if (run_heavy && run_light) {
        bool same = jobs[0].sum == jobs[1].sum && jobs[1].sum == jobs[2].sum &&
                    jobs[2].sum == jobs[3].sum;
        printf("same sum from all four: %s\n", same ? "yes" : "NO (a bug)");
        return same ? 0 : 1;
    }
    return 0;
}

/* ---- boxing ---- */

struct sum_job {
    int (*fn)(size_t n, int64_t *sum);
    size_t n;
    int64_t sum;
};

static int run_sum(void *ctx)
{
    struct sum_job *j = ctx;

    return j->fn(j->n, &j->sum);
}

static int boxing(size_t n, bool run_heavy, bool run_light)
{
    struct sum_job jobs[2] = {{box_sum_boxed, n, 0}, {box_sum_values, n, 0}};
    struct report_run runs[2];
    size_t nruns = 0;
    char cnt[32];

    printf("\nboxing: %s int64_t in a list of void * (Go: []any; Python: list of int)\n",
           report_count(n, cnt, sizeof cnt));
    printf("  boxed: malloc per value, the list holds pointers    "
           "values: one int64_t array\n\n");
    if (run_heavy && report_measure("boxed", run_sum, &jobs[0], &runs[nruns++]) != 0)
        cli_oom(PROG, "boxing values");
    if (run_light && report_measure("values", run_sum, &jobs[1], &runs[nruns++]) != 0)
        cli_oom(PROG, "storing values");
    report_table(stdout, runs, nruns);
    if (run_heavy && run_light) {
        bool same = jobs[0].sum == jobs[1].sum;
        printf("same sum from both: %s\n", same ? "yes" : "NO (a bug)");
        return same ? 0 : 1;
    }
    return 0;
}

/* ---- the heavy/light job: reading lines, collecting fields ---- */

struct collect_job {
    int (*fn)(FILE *in, struct fields *out);
    FILE *in;
    struct fields out;
};

static int run_collect(void *ctx)
{
    struct collect_job *j = ctx;

    return j->fn(j->in, &j->out);
}

static int collect(size_t n, bool run_heavy, bool run_light)
{
    struct collect_job jobs[2] = {{heavy_collect, NULL, FIELDS_INIT},
                                  {light_collect, NULL, FIELDS_INIT}};
    static const char *const names[2] = {"heavy", "light"};
    bool run[2] = {run_heavy, run_light};
    struct report_run runs[2];
    size_t nruns = 0, len;
    char *text, iobuf[BUFSIZ], cnt[32];
    int bad = 0;

    if (basics_make_input(n, &text, &len) != 0)
        cli_oom(PROG, "making the input");
    printf("\nreading lines, collecting fields: %s lines \"user,bytes\" (%s)\n",
           report_count(n, cnt, sizeof cnt), report_bytes((double)len, (char[32]){0}, 32));
    printf("  heavy: getline buffer, strndup and realloc per line    "
           "light: one buffer, fields in place, x2\n\n");
    for (int i = 0; i < 2; i++) {
        if (!run[i])
            continue;
        jobs[i].in = basics_open(text, len, iobuf, sizeof iobuf);
        if (jobs[i].in == NULL || report_measure(names[i], run_collect, &jobs[i], &runs[nruns++]) != 0) {
            if (jobs[i].in != NULL)
                fclose(jobs[i].in);
            basics_fields_free(&jobs[0].out);
            free(text);
            cli_oom(PROG, "collecting fields");
        }
        fclose(jobs[i].in);
    }
    report_table(stdout, runs, nruns);
    if (run_heavy && run_light) {
        bool same = basics_fields_equal(&jobs[0].out, &jobs[1].out);
        printf("same fields from both: %s\n", same ? "yes" : "NO (a bug)");
        bad = !same;
    }
    basics_fields_free(&jobs[0].out);
    basics_fields_free(&jobs[1].out);
    free(text);
    return bad;
}

/* ---- libc's hidden allocations ---- */

static void hidden(const struct countalloc_stats *first_printf)
{
    printf("\nhidden allocations: one libc call each, counted by countalloc\n\n");
    hidden_print_head(stdout);
    hidden_print_row(stdout, "printf(...), first call to stdout", first_printf,
                     "stdout's buffer (Go: bufio.NewWriter)");
    for (size_t i = 0; i < hidden_nprobes; i++) {
        struct countalloc_stats d;

        if (hidden_probes[i].run(&d) != 0)
            cli_oom(PROG, hidden_probes[i].call);
        hidden_print_row(stdout, hidden_probes[i].call, &d, hidden_probes[i].note);
    }
}

int main(int argc, char **argv)
{
    bool run_heavy, run_light;
    struct countalloc_stats before, after, first_printf;
    uint64_t n = DEFAULT_N;
    int argi, bad = 0;

    cli_close_stdout_at_exit(PROG);
    argi = cli_side(argc, argv, &run_heavy, &run_light);
    cli_max_args(PROG, argc - argi + 1, 1, "[--heavy|--light] [N]");
    if (argi < argc)
        n = cli_u64(PROG, "N", argv[argi], 1, MAX_N);

    countalloc_read(&before); /* the first output of the process: stdout gets its buffer */
    printf("%s: where allocations come from\n\n", PROG);
    countalloc_read(&after);
    first_printf = countalloc_diff(&after, &before);

    bad |= growth((size_t)n, run_heavy, run_light);
    bad |= boxing((size_t)n, run_heavy, run_light);
    bad |= collect((size_t)n, run_heavy, run_light);
    if (run_heavy && run_light)
        hidden(&first_printf);
    return bad;
}
