/* pipeline.c: materialize or stream. N log lines made in memory; keep the WARN and ERROR
 * lines, upper-case each, fold them into one digest (pipeline.h). Materialized, each stage
 * allocates its output (the lines, the kept lines, the upper-cased lines); streamed, one
 * pass over views of the text into one reused builder. For each way at N and 2N: the
 * allocations, the bytes asked for and the peak, beside the text's size. make pipeline-05;
 * ARGS=N (default 10,000). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "countalloc.h"
#include "pipeline.h"
#include "report.h"

#define PROG "pipeline"
#define N_DEFAULT 10000
#define N_MAX 1000000

struct way {
    const char *name;
    int (*run)(const char *text, size_t len, struct pipeline_result *out);
};

static const struct way ways[2] = {
    {"materialized", pipeline_materialize},
    {"streamed", pipeline_stream},
};

/* One way on the text: its counts (peak reset first) and its result. */
static struct countalloc_stats measure(const struct way *w, const char *text, size_t len,
                                       struct pipeline_result *r)
{
    struct countalloc_stats start, d;
    int rc;

    countalloc_measure_begin(&start);
    rc = w->run(text, len, r);
    d = countalloc_measure_end(&start);
    if (rc != 0)
        cli_oom(PROG, w->name);
    return d;
}

/* Both ways on n lines; returns 0 when their results agree. */
static int rows(size_t n)
{
    struct pipeline_result r[2];
    char nb[32], tb[32], a[32], b[32], p[32], k[32];
    size_t len;
    char *text = pipeline_text(n, &len);

    if (text == NULL)
        cli_oom(PROG, "making the text");
    for (int i = 0; i < 2; i++) {
        struct countalloc_stats d = measure(&ways[i], text, len, &r[i]);

        printf("  %9s  %10s  %-12s  %9s  %11s  %11s  %7.2fx  %9s  %016llx\n",
               i == 0 ? report_count(n, nb, 32) : "", i == 0 ? report_bytes((double)len, tb, 32) : "",
               ways[i].name, report_count(d.mallocs, a, 32),
               report_bytes((double)d.total_alloc, b, 32), report_bytes((double)d.peak, p, 32),
               (double)d.peak / (double)len, report_count(r[i].kept, k, 32),
               (unsigned long long)r[i].digest);
    }
    free(text);
    return r[0].kept == r[1].kept && r[0].bytes == r[1].bytes && r[0].digest == r[1].digest
               ? 0 : -1;
}

int main(int argc, char **argv)
{
    size_t n = N_DEFAULT;
    int bad = 0;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = (size_t)cli_u64(PROG, "N", argv[1], 1, N_MAX / 2);

    printf("N log lines made in memory (the text: one allocation, not counted); keep the WARN\n"
           "and ERROR lines (every other line), upper-case each, fold them into one FNV-1a\n"
           "digest. Materialized: an array of line copies, one of the kept copies, one of the\n"
           "upper-cased strings, freed at the end. Streamed: one pass, each line a view into\n"
           "the text, upper-cased into one reused builder (sb.h). Peak: the highest heap above\n"
           "where the way started; peak/text: the peak over the text's size.\n");
    printf("  %9s  %10s  %-12s  %9s  %11s  %11s  %8s  %9s  %16s\n", "N", "text", "way", "allocs",
           "bytes asked", "peak", "peak/text", "kept", "digest");
    bad |= rows(n);
    bad |= rows(2 * n);
    printf("the same kept lines, bytes and digest both ways: %s\n", bad ? "NO (a bug)" : "yes");
    return bad ? 1 : 0;
}
