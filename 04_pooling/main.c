/* main.c: lesson 04 side by side: a pool against malloc for request buffers, an arena
 * against malloc for list nodes.
 *
 *   main [--heavy|--light] [N]    N requests and N nodes (default 10,000)
 */
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "pooling.h"
#include "report.h"

#define PROG "04_pooling"
#define DEFAULT_N 10000
#define MAX_N 100000000

struct job {
    int (*fn)(uint64_t n, uint64_t *digest);
    uint64_t n;
    uint64_t digest;
};

static int run_job(void *ctx)
{
    struct job *j = ctx;

    return j->fn(j->n, &j->digest);
}

/* Run the chosen sides of one job and print their table; returns 0 if the digests agree. */
static int compare(const char *what, int (*heavy)(uint64_t, uint64_t *),
                   int (*light)(uint64_t, uint64_t *), uint64_t n, bool run_heavy, bool run_light)
{
    struct job jobs[2] = {{heavy, n, 0}, {light, n, 0}};
    struct report_run runs[2];
    size_t nruns = 0;

    if (run_heavy && report_measure("heavy", run_job, &jobs[0], &runs[nruns++]) != 0)
        cli_oom(PROG, what);
    if (run_light && report_measure("light", run_job, &jobs[1], &runs[nruns++]) != 0)
        cli_oom(PROG, what);
    report_table(stdout, runs, nruns);
    if (run_heavy && run_light) {
        bool same = jobs[0].digest == jobs[1].digest;
        printf("same output from both: %s\n", same ? "yes" : "NO (a bug)");
        return same ? 0 : 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    bool run_heavy, run_light;
    uint64_t n = DEFAULT_N;
    char cnt[32], buf[32];
    int argi, bad = 0;

    cli_close_stdout_at_exit(PROG);
    argi = cli_side(argc, argv, &run_heavy, &run_light);
    cli_max_args(PROG, argc - argi + 1, 1, "[--heavy|--light] [N]");
    if (argi < argc)
        n = cli_u64(PROG, "N", argv[argi], 1, MAX_N);

    printf("%s requests: %s, each with a %s buffer, %d in flight\n", PROG,
           report_count(n, cnt, sizeof cnt), report_bytes(REQUEST_BUF, buf, sizeof buf),
           REQUEST_INFLIGHT);
    printf("  heavy: malloc+free per request    light: a pool (pool.h) of %d buffers\n\n",
           REQUEST_INFLIGHT);
    bad |= compare("handling requests", heavy_requests, light_requests, n, run_heavy, run_light);

    printf("\n%s nodes: %s list nodes of %zu B, built and dropped %s at a time\n", PROG,
           report_count(n, cnt, sizeof cnt), sizeof(struct node),
           report_count(NODES_PER_ROUND, buf, sizeof buf));
    printf("  heavy: malloc+free per node       light: an arena (arena.h), reset per round\n\n");
    bad |= compare("building lists", heavy_nodes, light_nodes, n, run_heavy, run_light);
    return bad;
}
