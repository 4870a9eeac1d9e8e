/* main.c: lesson 03 side by side: N records formatted with asprintf per record (heavy)
 * and into one reused buffer (light), the same bytes out of both.
 *
 *   main [--heavy|--light] [N]    N records (default 10,000)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "benchmem.h"
#include "cli.h"
#include "report.h"

#define PROG "03_benchmem"
#define DEFAULT_N 10000
#define MAX_N 10000000

struct job {
    int (*fn)(const struct record *recs, size_t n, const struct benchmem_sink *out);
    const struct record *recs;
    size_t n;
    struct benchmem_digest out;
};

static int run_job(void *ctx)
{
    struct job *j = ctx;
    struct benchmem_sink sink = {benchmem_digest_write, &j->out};

    j->out = (struct benchmem_digest){BENCHMEM_DIGEST_START, 0};
    return j->fn(j->recs, j->n, &sink);
}

/* Per-record figures of one run: "2.00 allocs, 141.4 B". */
static void per_record(const struct report_run *r, size_t n)
{
    printf("  %-6s %6.2f allocs/record  %8.1f B/record\n", r->name,
           (double)r->d.mallocs / (double)n, (double)r->d.total_alloc / (double)n);
}

int main(int argc, char **argv)
{
    bool run_heavy, run_light;
    uint64_t n = DEFAULT_N;
    struct record *recs;
    struct job jobs[2];
    struct report_run runs[2];
    size_t nruns = 0;
    char cnt[32], bytes[32];
    int argi, rc = 0;

    cli_close_stdout_at_exit(PROG);
    argi = cli_side(argc, argv, &run_heavy, &run_light);
    cli_max_args(PROG, argc - argi + 1, 1, "[--heavy|--light] [N]");
    if (argi < argc)
        n = cli_u64(PROG, "N", argv[argi], 1, MAX_N);

    recs = malloc(n * sizeof *recs); /* the input, made before anything is measured */
    if (recs == NULL)
        cli_oom(PROG, "making the records");
    benchmem_records_make(recs, n);
    jobs[0] = (struct job){heavy_format, recs, n, {0, 0}};
    jobs[1] = (struct job){light_format, recs, n, {0, 0}};

    printf("%s: %s records formatted as text lines, e.g.\n  ", PROG,
           report_count(n, cnt, sizeof cnt));
    printf(BENCHMEM_FORMAT, BENCHMEM_ARGS(&recs[0])); /* also makes stdout's buffer, before measuring */
    printf("  heavy: asprintf per record, freed after writing    light: one reused buffer\n\n");
    if (run_heavy && report_measure("heavy", run_job, &jobs[0], &runs[nruns++]) != 0) {
        free(recs);
        cli_oom(PROG, "formatting with asprintf");
    }
    if (run_light && report_measure("light", run_job, &jobs[1], &runs[nruns++]) != 0) {
        free(recs);
        cli_oom(PROG, "formatting into one buffer");
    }
    report_table(stdout, runs, nruns);
    printf("\nper record (what B/op and allocs/op would say with one record per op)\n");
    for (size_t i = 0; i < nruns; i++)
        per_record(&runs[i], n);
    printf("\noutput: %s in %s lines\n",
           report_bytes((double)jobs[run_heavy ? 0 : 1].out.bytes, bytes, sizeof bytes),
           report_count(n, cnt, sizeof cnt));
    if (run_heavy && run_light) {
        bool same = jobs[0].out.h == jobs[1].out.h && jobs[0].out.bytes == jobs[1].out.bytes;
        printf("same output from both: %s\n", same ? "yes" : "NO (a bug)");
        rc = same ? 0 : 1;
    }
    free(recs);
    return rc;
}
