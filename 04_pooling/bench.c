/* bench.c: lesson 04 in Go's benchmark format (make bench-04).
 *
 *   WithAlloc / WithPool                  the pair sync.Pool is usually shown with:
 *                                         malloc(1024)+free against a pool's get+put
 *                                         (1024 B/op 1 allocs/op vs 0; go/ has it in Go);
 *                                         countalloc's 16-byte header makes it 1,040
 *                                         bytes to glibc, past its tcache (make tcache-04)
 *   Malloc4KiB / Pool4KiB                 the same at 4 KiB, past glibc's tcache too
 *   Malloc64B / Arena64B                  64-byte objects dropped 1,000 at a time:
 *                                         malloc+free each, or bump and reset
 *   QueueList / QueueRing                 a burst of QUEUE_BURST pushes then as many
 *                                         pops per op through a FIFO (queue.h): a node
 *                                         malloc'd per push and freed per pop, or a ring
 *                                         grown before the timer starts (64 allocs/op
 *                                         of 16 B against 0)
 *   MutexPool2Threads / TSPool2Threads    2 threads doing get+put on one shared pool:
 *                                         behind a mutex, or with per-thread caches
 *   CountersPacked2Threads /              2 threads each bumping its own counter: the
 *   CountersPadded2Threads                two on one cache line (false sharing), or
 *                                         each on lines of its own (counters.h); a
 *                                         load, add and store, as countalloc's slots
 *   LockedPacked2Threads /                the same with a locked add (atomic_fetch_add),
 *   LockedPadded2Threads                  which must hold the line while it runs
 *
 * ns/op of a 2-thread benchmark is wall time over the get+put pairs of both threads, as
 * Go's RunParallel reports it. Benchmarks that start threads come last: a process that
 * has ever started a thread pays more for glibc's malloc, and the single-thread pairs
 * should not.
 *
 * ALLOCATOR=glibc|jemalloc|mimalloc|tcmalloc (make bench-04 ALLOCATOR=jemalloc) runs them
 * under that allocator (common/bench.h). */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "bench.h"
#include "cli.h"
#include "counters.h"
#include "mpool.h"
#include "pool.h"
#include "queue.h"
#include "tspool.h"

/* 64-byte objects live at once in Malloc64B / Arena64B: one arena chunk's worth (a
 * 64 KiB chunk less its header holds 1,023), as main's rounds are (NODES_PER_ROUND). */
#define BATCH 1000

/* Items pushed, then popped, per op of QueueList / QueueRing. */
#define QUEUE_BURST 64

static void fatal(const char *what)
{
    fprintf(stderr, "04_pooling bench: %s\n", what);
    exit(1);
}

/* ---- one thread ---- */

static void bench_malloc(struct bench *b, size_t size)
{
    for (uint64_t i = 0; i < b->n; i++) {
        char *buf = malloc(size);
        if (buf == NULL)
            fatal("out of memory");
        buf[0] = (char)i;
        bench_keep(buf);
        free(buf);
    }
}

static void bench_pool(struct bench *b, size_t size)
{
    struct pool p;

    pool_init(&p, &(struct pool_config){.size = size, .cap = 1});
    if (pool_fill(&p, 1) != 0)
        fatal("out of memory");
    bench_reset_timer(b);
    for (uint64_t i = 0; i < b->n; i++) {
        char *buf = pool_get(&p);
        if (buf == NULL)
            fatal("out of memory");
        buf[0] = (char)i;
        bench_keep(buf);
        pool_put(&p, buf);
    }
    bench_stop_timer(b);
    pool_destroy(&p);
}

static void bench_with_alloc(struct bench *b) { bench_malloc(b, 1024); }
static void bench_with_pool(struct bench *b) { bench_pool(b, 1024); }
static void bench_malloc_4k(struct bench *b) { bench_malloc(b, 4096); }
static void bench_pool_4k(struct bench *b) { bench_pool(b, 4096); }

static void bench_malloc_64(struct bench *b)
{
    char *live[BATCH];
    unsigned k = 0;

    for (uint64_t i = 0; i < b->n; i++) {
        char *obj = malloc(64);
        if (obj == NULL)
            fatal("out of memory");
        obj[0] = (char)i;
        live[k++] = obj;
        if (k == BATCH) {
            while (k > 0)
                free(live[--k]);
        }
    }
    while (k > 0)
        free(live[--k]);
}

static void bench_arena_64(struct bench *b)
{
    struct arena a;
    unsigned k = 0;

    arena_init(&a, 0);
    if (arena_alloc(&a, 64) == NULL) /* the first chunk, outside the timer */
        fatal("out of memory");
    arena_reset(&a);
    bench_reset_timer(b);
    for (uint64_t i = 0; i < b->n; i++) {
        char *obj = arena_alloc(&a, 64);
        if (obj == NULL)
            fatal("out of memory");
        obj[0] = (char)i;
        bench_keep(obj);
        if (++k == BATCH) {
            arena_reset(&a);
            k = 0;
        }
    }
    bench_stop_timer(b);
    arena_destroy(&a);
}

static void bench_queue_list(struct bench *b)
{
    struct qlist q = QLIST_INIT;
    uint64_t sum = 0;

    for (uint64_t i = 0; i < b->n; i++)
        if (qlist_run(&q, QUEUE_BURST, QUEUE_BURST, &sum) != 0)
            fatal("out of memory");
    bench_keep(&sum);
}

static void bench_queue_ring(struct bench *b)
{
    struct qring r = QRING_INIT;
    uint64_t sum = 0;

    if (qring_run(&r, QUEUE_BURST, QUEUE_BURST, &sum) != 0) /* grown outside the timer */
        fatal("out of memory");
    bench_reset_timer(b);
    for (uint64_t i = 0; i < b->n; i++)
        if (qring_run(&r, QUEUE_BURST, QUEUE_BURST, &sum) != 0)
            fatal("out of memory");
    bench_stop_timer(b);
    bench_keep(&sum);
    qring_free(&r);
}

/* ---- two threads ---- */

struct worker {
    pthread_t tid;
    uint64_t iters;
    void *pool;
    atomic_int *ready;      /* threads warmed up and waiting */
    const atomic_int *go;   /* set when the timer runs */
};

static void wait_for_go(struct worker *w)
{
    atomic_fetch_add(w->ready, 1);
    while (!atomic_load(w->go))
        sched_yield();
}

static void *mutex_worker(void *arg)
{
    struct worker *w = arg;
    struct mpool *m = w->pool;
    char *buf = mpool_get(m); /* warm-up: the object this thread will cycle */

    if (buf == NULL)
        fatal("out of memory");
    mpool_put(m, buf);
    wait_for_go(w);
    for (uint64_t i = 0; i < w->iters; i++) {
        buf = mpool_get(m);
        if (buf == NULL)
            fatal("out of memory");
        buf[0] = (char)i;
        bench_keep(buf);
        mpool_put(m, buf);
    }
    return NULL;
}

static void *tspool_worker(void *arg)
{
    struct worker *w = arg;
    struct tspool_cache c;
    char *buf;

    tspool_cache_init(&c, w->pool);
    buf = tspool_get(&c); /* warm-up: the object this thread will cycle */
    if (buf == NULL)
        fatal("out of memory");
    tspool_put(&c, buf);
    wait_for_go(w);
    for (uint64_t i = 0; i < w->iters; i++) {
        buf = tspool_get(&c);
        if (buf == NULL)
            fatal("out of memory");
        buf[0] = (char)i;
        bench_keep(buf);
        tspool_put(&c, buf);
    }
    tspool_cache_flush(&c);
    return NULL;
}

/* Run fn in 2 threads sharing b->n iterations; thread start-up and warm-up untimed. */
static void run_parallel(struct bench *b, void *(*fn)(void *), void *pool)
{
    struct worker w[2];
    atomic_int ready = 0, go = 0;

    bench_stop_timer(b);
    for (int i = 0; i < 2; i++) {
        w[i] = (struct worker){.iters = b->n / 2 + (i == 0 ? b->n % 2 : 0), .pool = pool,
                               .ready = &ready, .go = &go};
        if (pthread_create(&w[i].tid, NULL, fn, &w[i]) != 0)
            fatal("cannot start a thread");
    }
    while (atomic_load(&ready) < 2)
        sched_yield();
    bench_reset_timer(b);
    bench_start_timer(b);
    atomic_store(&go, 1);
    for (int i = 0; i < 2; i++)
        pthread_join(w[i].tid, NULL);
    bench_stop_timer(b);
}

static void bench_mutex_pool_2(struct bench *b)
{
    struct mpool m;

    mpool_init(&m, &(struct pool_config){.size = 4096, .cap = 2});
    run_parallel(b, mutex_worker, &m);
    mpool_destroy(&m);
}

static void bench_tspool_2(struct bench *b)
{
    struct tspool p;

    tspool_init(&p, &(struct pool_config){.size = 4096, .cap = 2});
    run_parallel(b, tspool_worker, &p);
    tspool_destroy(&p);
}

/* ---- false sharing: b->n increments, half in each thread ---- */

static void bench_counters(struct bench *b, enum counters_layout layout, enum counters_add add)
{
    uint64_t total = 0;

    if (counters_run(layout, add, 2, (b->n + 1) / 2, &total) != 0)
        fatal("cannot start the counting threads");
    bench_keep(&total);
}

static void bench_counters_packed(struct bench *b)
{
    bench_counters(b, COUNTERS_PACKED, COUNTERS_STORE);
}

static void bench_counters_padded(struct bench *b)
{
    bench_counters(b, COUNTERS_PADDED, COUNTERS_STORE);
}

static void bench_locked_packed(struct bench *b)
{
    bench_counters(b, COUNTERS_PACKED, COUNTERS_LOCKED);
}

static void bench_locked_padded(struct bench *b)
{
    bench_counters(b, COUNTERS_PADDED, COUNTERS_LOCKED);
}

static const struct bench_def defs[] = {
    {"WithAlloc", bench_with_alloc},
    {"WithPool", bench_with_pool},
    {"Malloc4KiB", bench_malloc_4k},
    {"Pool4KiB", bench_pool_4k},
    {"Malloc64B", bench_malloc_64},
    {"Arena64B", bench_arena_64},
    {"QueueList", bench_queue_list},
    {"QueueRing", bench_queue_ring},
    {"MutexPool2Threads", bench_mutex_pool_2},
    {"TSPool2Threads", bench_tspool_2},
    {"CountersPacked2Threads", bench_counters_packed},
    {"CountersPadded2Threads", bench_counters_padded},
    {"LockedPacked2Threads", bench_locked_packed},
    {"LockedPadded2Threads", bench_locked_padded},
};

static const struct bench_pair pairs[] = {
    {"WithAlloc", "WithPool"},
    {"Malloc4KiB", "Pool4KiB"},
    {"Malloc64B", "Arena64B"},
    {"QueueList", "QueueRing"},
    {"MutexPool2Threads", "TSPool2Threads"},
    {"CountersPacked2Threads", "CountersPadded2Threads"},
    {"LockedPacked2Threads", "LockedPadded2Threads"},
};

int main(int argc, char **argv)
{
    cli_close_stdout_at_exit(argv[0]);
    return bench_main(argc, argv, "04_pooling", defs, BENCH_COUNT(defs), pairs,
                      BENCH_COUNT(pairs));
}
