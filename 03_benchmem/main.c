/* main.c: lesson 03 side by side: N records formatted with asprintf per record (heavy)
 * and into one reused buffer (light), the same bytes out of both.
 *
 *   main [--heavy|--light] [N]    N records (default 10,000)
 */
#include <stdio.h>
#include <stdlib.h>

#include "benchmem.h"
#include "cli.h"
#include "driver.h"

static const struct driver_prog prog = {.name = "03_benchmem", .default_n = 10000,
                                        .max_n = 10000000};

static struct record *recs; /* the input, made before anything is measured */

struct job {
    int (*fn)(const struct record *recs, size_t n, const struct benchmem_sink *out);
    struct benchmem_digest out;
};

static int run_job(void *ctx, uint64_t n, uint64_t *digest)
{
    struct job *j = ctx;
    struct benchmem_sink sink = {benchmem_digest_write, &j->out};
    int rc;

    j->out = (struct benchmem_digest){BENCHMEM_DIGEST_START, 0};
    rc = j->fn(recs, n, &sink);
    /* the digest of the bytes, folded with how many there were */
    *digest = hash_fnv(j->out.h, &j->out.bytes, sizeof j->out.bytes);
    return rc;
}

static void intro(const struct driver *d, const struct driver_job *job)
{
    char cnt[32];

    (void)job;
    recs = malloc(d->n * sizeof *recs);
    if (recs == NULL)
        cli_oom(prog.name, "making the records");
    benchmem_records_make(recs, d->n);
    printf("%s: %s records formatted as text lines, e.g.\n  ", prog.name,
           report_count(d->n, cnt, sizeof cnt));
    printf(BENCHMEM_FORMAT, BENCHMEM_ARGS(&recs[0])); /* also makes stdout's buffer */
    printf("  heavy: asprintf per record, freed after writing    light: one reused buffer\n\n");
}

/* Per record, "2.00 allocs, 141.4 B", and the output both sides wrote. */
static void rows(const struct driver *d, const struct driver_job *job,
                 const struct driver_result *r)
{
    const struct job *first = job->side[r->side[0]].ctx;
    char cnt[32], bytes[32];

    printf("\nper record (what B/op and allocs/op would say with one record per op)\n");
    for (size_t i = 0; i < r->n; i++)
        printf("  %-6s %6.2f allocs/record  %8.1f B/record\n", r->run[i].name,
               (double)r->run[i].d.mallocs / (double)d->n,
               (double)r->run[i].d.total_alloc / (double)d->n);
    printf("\noutput: %s in %s lines\n",
           report_bytes((double)first->out.bytes, bytes, sizeof bytes),
           report_count(d->n, cnt, sizeof cnt));
}

static void done(const struct driver_job *job)
{
    (void)job;
    free(recs);
}

static struct job format[2] = {{heavy_format, {0, 0}}, {light_format, {0, 0}}};

static const struct driver_job job = {
    .intro = intro,
    .side = {{"heavy", run_job, &format[0], "formatting with asprintf"},
             {"light", run_job, &format[1], "formatting into one buffer"}},
    .rows = rows,
    .same = "same output from both",
    .done = done,
};

int main(int argc, char **argv)
{
    struct driver d;

    driver_args(&d, &prog, argc, argv);
    return driver_job(&d, &job);
}
