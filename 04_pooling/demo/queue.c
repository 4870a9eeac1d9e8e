/* queue.c: a queue on the hot path. N items through a FIFO of uint64 (queue.h) in bursts
 * of B (push B, pop them all): a linked list, one malloc per push and one free per pop,
 * against a ring buffer grown by doubling, one array reused; then N items more through
 * the same ring, which is already big enough: the steady state. make queue-04.
 *
 * Usage: queue [N [B]]. N items (default 100,000), B items a burst (default 1,000). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "countalloc.h"
#include "queue.h"
#include "report.h"

#define PROG "queue"
#define DEFAULT_N 100000
#define DEFAULT_B 1000
#define MAX_N 1000000000 /* the list makes N mallocs: a second or two at most */
#define MAX_B 100000000  /* a burst's list holds B nodes, 1.6 GB; its ring 1 GiB, 1.5 at a growth */

static void row(const char *what, const struct countalloc_stats *d, const char *growths,
                const char *slots)
{
    char a[32], f[32], b[32], p[32];

    printf("  %-28s %11s %11s %13s %11s %8s %11s\n", what, report_count(d->mallocs, a, 32),
           report_count(d->frees, f, 32), report_count(d->total_alloc, b, 32),
           report_count((uint64_t)d->peak, p, 32), growths, slots);
}

static void check(int rc, uint64_t sum, uint64_t n, const char *what)
{
    if (rc != 0 && errno == ENOMEM)
        cli_oom(PROG, what);
    if (rc != 0 || sum != n * (n + 1) / 2) {
        printf("%s: items lost or out of order: NO (a bug)\n", what);
        exit(1);
    }
}

/* N items in bursts of B through the list l or the ring r (the other NULL), measured
 * from the first push to the last pop, and their row. */
static void measured(struct qlist *l, struct qring *r, uint64_t n, uint64_t b,
                     const char *what, const char *label)
{
    struct countalloc_stats start, d;
    uint64_t sum = 0;
    char gb[32], sb[32];
    int rc;

    countalloc_measure_begin(&start);
    rc = l != NULL ? qlist_run(l, n, b, &sum) : qring_run(r, n, b, &sum);
    d = countalloc_measure_end(&start);
    check(rc, sum, n, what);
    if (l != NULL)
        row(label, &d, "-", "-");
    else
        row(label, &d, report_count(r->growths, gb, 32), report_count(r->cap, sb, 32));
}

int main(int argc, char **argv)
{
    struct qlist l = QLIST_INIT;
    struct qring r = QRING_INIT;
    uint64_t n = DEFAULT_N, b = DEFAULT_B;
    char nb[32], bb[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 2, "[N [B]]");
    if (argc > 1)
        n = cli_u64(PROG, "N", argv[1], 1, MAX_N);
    if (argc > 2)
        b = cli_u64(PROG, "B", argv[2], 1, MAX_B);

    printf("%s items through a FIFO of uint64, in bursts of %s (push %s, pop them all);\n"
           "a list node is %zu B, a ring slot %zu B, the ring's first array %d slots.\n"
           "Counted from the first push to the last pop, bytes as requested:\n\n",
           report_count(n, nb, 32), report_count(b, bb, 32), bb, sizeof(struct qlist_node),
           sizeof(uint64_t), QRING_MIN_SLOTS);
    printf("  %-28s %11s %11s %13s %11s %8s %11s\n", "queue", "allocs", "frees",
           "bytes", "peak (B)", "growths", "slots");

    measured(&l, NULL, n, b, "the list", "list: a node per push");
    measured(NULL, &r, n, b, "the ring", "ring: grown from empty");
    measured(NULL, &r, n, b, "the ring, again", "ring: the same, again");
    qring_free(&r);
    return 0;
}
