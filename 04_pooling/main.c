/* main.c: lesson 04 side by side: a pool against malloc for request buffers, an arena
 * against malloc for list nodes.
 *
 *   main [--heavy|--light] [N]    N requests and N nodes (default 10,000)
 */
#include <stdio.h>

#include "driver.h"
#include "pooling.h"

static const struct driver_prog prog = {.name = "04_pooling", .default_n = 10000,
                                        .max_n = 100000000};

/* Each side is one of pooling.h's functions. */
struct job {
    int (*fn)(uint64_t n, uint64_t *digest);
};

static int run_job(void *ctx, uint64_t n, uint64_t *digest)
{
    const struct job *j = ctx;

    return j->fn(n, digest);
}

static void requests_intro(const struct driver *d, const struct driver_job *job)
{
    char cnt[32], buf[32];

    (void)job;
    printf("%s requests: %s, each with a %s buffer, %d in flight\n", prog.name,
           report_count(d->n, cnt, sizeof cnt), report_bytes(REQUEST_BUF, buf, sizeof buf),
           REQUEST_INFLIGHT);
    printf("  heavy: malloc+free per request    light: a pool (pool.h) of %d buffers\n\n",
           REQUEST_INFLIGHT);
}

static void nodes_intro(const struct driver *d, const struct driver_job *job)
{
    char cnt[32], buf[32];

    (void)job;
    printf("\n%s nodes: %s list nodes of %zu B, built and dropped %s at a time\n", prog.name,
           report_count(d->n, cnt, sizeof cnt), sizeof(struct node),
           report_count(NODES_PER_ROUND, buf, sizeof buf));
    printf("  heavy: malloc+free per node       light: an arena (arena.h), reset per round\n\n");
}

static struct job requests[2] = {{heavy_requests}, {light_requests}};
static struct job nodes[2] = {{heavy_nodes}, {light_nodes}};

static const struct driver_job jobs[] = {
    {.intro = requests_intro,
     .side = {{"heavy", run_job, &requests[0], NULL}, {"light", run_job, &requests[1], NULL}},
     .oom = "handling requests",
     .same = "same output from both"},
    {.intro = nodes_intro,
     .side = {{"heavy", run_job, &nodes[0], NULL}, {"light", run_job, &nodes[1], NULL}},
     .oom = "building lists",
     .same = "same output from both"},
};

int main(int argc, char **argv)
{
    struct driver d;

    driver_args(&d, &prog, argc, argv);
    return driver_jobs(&d, jobs, sizeof jobs / sizeof jobs[0]);
}
