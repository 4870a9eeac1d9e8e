/* xfree.c: freed by another thread, where does the block go? A producer (the main thread)
 * mallocs N blocks, a consumer thread frees them, the producer mallocs N again, then the
 * consumer does: how many of the old addresses each got back, for a small size, the
 * tcache's largest, past it, and past the mmap threshold (xfree.h). Then the same with a
 * consumer thread started for each step; then the run counted, countalloc's heap in use
 * beside glibc's. The threads take turns at a barrier, so the output is the same on every
 * run. make xfree-04.
 *
 * With --cost: the time of M messages of 64 B between two threads, each thread mallocing
 * and freeing its own, against a producer that mallocs them and a consumer that frees
 * them, through a ring (report.h: the median of several runs and their spread).
 *
 * Usage: xfree [N [SIZE]] | xfree --cost [M]. N blocks (default 20, 1 to 1,000); SIZE:
 * that size alone (1 to 1,048,576 bytes); M messages (default 200,000, 1,000 to
 * 100,000,000). */
#include <gnu/libc-version.h>
#include <stdio.h>

#include "child.h"
#include "cli.h"
#include "report.h"
#include "xfree.h"

#define PROG "xfree"
#define DEFAULT_N 20
#define COUNTED_SIZE 64
#define DEFAULT_M 200000
#define MAX_M 100000000
#define COST_SIZE 64

static const size_t sizes[] = {64, XFREE_TCACHE_MAX, XFREE_TCACHE_MAX + 8, 100000, XFREE_MAX_SIZE};

struct job {
    size_t n, size;
    bool counted;
    enum xfree_consumer how;
    struct xfree_result r;
};

static int job(void *ctx)
{
    struct job *j = ctx;

    return xfree_run(j->n, j->size, j->counted, j->how, &j->r);
}

/* Each run in a process of its own, forked from this one: every run starts from the same
 * heap, whatever the one before it left in the bins, and with glibc's mmap threshold
 * where it started. */
static void run(size_t n, size_t size, bool counted, enum xfree_consumer how,
                struct xfree_result *r)
{
    struct job j = {n, size, counted, how, {0}};

    if (child_run(job, &j, sizeof j) != 0)
        cli_oom(PROG, "running the producer and the consumer");
    *r = j.r;
}

static void header(void)
{
    printf("  %12s %12s  %-8s %8s %8s %7s %9s\n", "size", "chunk", "mmap'd", "producer",
           "consumer", "neither", "held");
}

static void row(size_t n, size_t size, const struct xfree_result *r)
{
    char sz[32], ch[32], held[32], mm[16];

    report_count(size, sz, sizeof sz);
    report_count(r->chunk, ch, sizeof ch);
    report_count((unsigned long long)r->held, held, sizeof held);
    snprintf(mm, sizeof mm, "%s", !r->mmapped ? "no" : r->again_mmapped ? "yes, yes" : "yes, no");
    printf("  %10s B %10s B  %-8s %8zu %8zu %7zu %7s B\n", sz, ch, mm, r->producer_back,
           r->consumer_got, n - r->producer_back - r->consumer_got, held);
}

static void table(size_t n, const size_t *sz, size_t count, enum xfree_consumer how)
{
    header();
    for (size_t i = 0; i < count; i++) {
        struct xfree_result r;

        run(n, sz[i], false, how, &r);
        row(n, sz[i], &r);
    }
}

/* The counted run: what countalloc says of the consumer's frees, and what glibc says. */
static void counted(size_t n)
{
    struct xfree_result r;
    char in[32], out[32], live[32], held[32];
    size_t tc = n < XFREE_TCACHE_COUNT ? n : XFREE_TCACHE_COUNT;

    run(n, COUNTED_SIZE, true, XFREE_LONG_LIVED, &r);
    report_count(r.d.total_alloc, in, sizeof in);
    report_count(r.d.total_alloc - (unsigned long long)r.d.heap_alloc, out, sizeof out);
    report_count((unsigned long long)r.d.heap_alloc, live, sizeof live);
    report_count((unsigned long long)r.held, held, sizeof held);
    printf("counted (%d B blocks through the counting allocator, its 16-byte header each),\n"
           "the consumer alive throughout:\n", COUNTED_SIZE);
    printf("  countalloc: %llu mallocs (producer), %llu frees (consumer): %s B in, %s B out,"
           " %s B in use\n", (unsigned long long)r.d.mallocs, (unsigned long long)r.d.frees,
           in, out, live);
    if (r.chunk > 0) {
        size_t chunks = (size_t)r.held / r.chunk;

        printf("  mallinfo2: %s B still in use: %zu chunk%s of %zu B, the consumer's tcache"
               " holds min(N, %d) = %zu\n", held, chunks, chunks == 1 ? "" : "s", r.chunk,
               XFREE_TCACHE_COUNT, tc);
    } else {
        printf("  mallinfo2: no chunks to read (not glibc's malloc)\n");
    }
    printf("  producer's next %zu: %zu old; consumer's %zu: %zu old\n", n, r.producer_back, n,
           r.consumer_got);
}

/* The most a consumer that never mallocs can hold: 7 blocks in each of the tcache's size
 * classes, chunks of 32 B to the tcache's largest, 16 B apart (glibc's defaults). */
static void stranded(void)
{
    unsigned long long classes = 0, bytes = 0;
    char b[32], kib[32];

    for (size_t chunk = 32; chunk <= XFREE_TCACHE_MAX + 8; chunk += 16) {
        classes++;
        bytes += XFREE_TCACHE_COUNT * chunk;
    }
    report_count(bytes, b, sizeof b);
    report_bytes((double)bytes, kib, sizeof kib);
    printf("a consumer that frees but never mallocs keeps up to %d blocks in each of %llu size"
           " classes:\n  %llu blocks, %s B (%s) per thread, that no other thread's malloc takes\n",
           XFREE_TCACHE_COUNT, classes, XFREE_TCACHE_COUNT * classes, b, kib);
}

struct cost_job {
    size_t m;
    enum xfree_pattern p;
    unsigned long long sum;
};

static int cost_job(void *ctx)
{
    struct cost_job *j = ctx;

    return xfree_traffic(j->m, COST_SIZE, j->p, &j->sum);
}

/* The blocks' first bytes, as written: message i's is i mod 256. */
static unsigned long long expected_sum(size_t m)
{
    unsigned long long full = m / 256, rest = m % 256;

    return full * (255 * 256 / 2) + rest * (rest - 1) / 2;
}

static int cost(size_t m)
{
    struct report_run runs[2];
    struct cost_job own = {m, XFREE_OWN, 0}, cross = {m, XFREE_CROSS, 0};
    char c1[32], c2[32], c3[32], r[32], ring[32];
    double per = 1.0 / (double)m;

    printf("%s messages of %d B between two threads (glibc %s):\n"
           "  own:   each thread mallocs, writes, reads and frees its own half\n"
           "  cross: the producer mallocs and writes each, a ring of %s slots hands it to the\n"
           "         consumer, which reads it and frees it\n",
           report_count(m, c1, sizeof c1), COST_SIZE, gnu_get_libc_version(),
           report_count(XFREE_RING, ring, sizeof ring));
    cli_flush_stdout();
    /* a thread run first: the timed ones start on its cached stack, allocating nothing */
    if (xfree_traffic(1000, COST_SIZE, XFREE_OWN, NULL) != 0)
        cli_oom(PROG, "starting a thread");
    if (report_measure("own", cost_job, &own, &runs[0]) != 0 ||
        report_measure("cross", cost_job, &cross, &runs[1]) != 0)
        cli_oom(PROG, "passing the messages");
    report_table(stdout, runs, 2);
    if (own.sum != expected_sum(m) || cross.sum != expected_sum(m)) {
        printf("messages read: NO (a bug)\n");
        return 1;
    }
    printf("per message, median (min - max): own %s (%s - %s), ",
           report_duration(runs[0].ns * per, c1, sizeof c1),
           report_duration(runs[0].ns_min * per, c2, sizeof c2),
           report_duration(runs[0].ns_max * per, c3, sizeof c3));
    printf("cross %s (%s - %s)\n", report_duration(runs[1].ns * per, c1, sizeof c1),
           report_duration(runs[1].ns_min * per, c2, sizeof c2),
           report_duration(runs[1].ns_max * per, c3, sizeof c3));
    if (report_runs_overlap(&runs[1], &runs[0]))
        printf("  the runs overlap: no measurable difference\n");
    else
        printf("  cross takes %s own's time, every run\n",
               report_time_ratio(&runs[1], &runs[0], r, sizeof r));
    return 0;
}

int main(int argc, char **argv)
{
    size_t n = DEFAULT_N;
    char tmax[32];

    cli_close_stdout_at_exit(PROG);
    if (cli_flag(argc, argv, "--cost")) {
        cli_max_args(PROG, argc, 2, "--cost [M]");
        return cost(argc > 2 ? (size_t)cli_u64(PROG, "M", argv[2], 1000, MAX_M) : DEFAULT_M);
    }
    cli_max_args(PROG, argc, 2, "[N [SIZE]]");
    if (argc > 1)
        n = (size_t)cli_u64(PROG, "N", argv[1], 1, XFREE_MAX_N);
    if (argc > 2) {
        size_t size = (size_t)cli_u64(PROG, "SIZE", argv[2], 1, XFREE_MAX_SIZE);

        printf("glibc %s: N = %zu, SIZE = %zu; the consumer alive throughout\n",
               gnu_get_libc_version(), n, size);
        table(n, &size, 1, XFREE_LONG_LIVED);
        printf("a consumer thread started for each step and joined after it\n");
        table(n, &size, 1, XFREE_SHORT_LIVED);
        return 0;
    }
    report_count(XFREE_TCACHE_MAX, tmax, sizeof tmax);
    printf("A producer (the main thread) mallocs %zu blocks of a size; a consumer thread frees\n"
           "them all; the producer mallocs %zu again, then the consumer: of the old addresses,\n"
           "how many each got back. glibc %s's own malloc; its defaults: the tcache keeps %d\n"
           "blocks per size class for requests up to %s B, mmap from %d KiB (a free of an\n"
           "mmap'd block raises that threshold to its size). Each run in a fork of this process.\n\n",
           n, n, gnu_get_libc_version(), XFREE_TCACHE_COUNT, tmax, XFREE_MMAP_THRESHOLD / 1024);
    printf("the consumer alive throughout (it waits at a barrier between the steps)\n");
    table(n, sizes, sizeof sizes / sizeof sizes[0], XFREE_LONG_LIVED);
    printf("  mmap'd: the producer's first block, and its first after the frees\n"
           "  held: of the chunks the consumer freed, what glibc's mallinfo2 still counts in use\n\n");
    printf("a consumer thread started for each step and joined after it\n");
    table(n, sizes, sizeof sizes / sizeof sizes[0], XFREE_SHORT_LIVED);
    printf("\n");
    counted(n);
    printf("\n");
    stranded();
    return 0;
}
