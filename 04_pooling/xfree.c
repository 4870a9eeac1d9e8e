/* xfree.c: a block freed by another thread; see xfree.h. */
#include "xfree.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include <valgrind/valgrind.h>

#include "platform.h"

/* What the consumer does at a step. */
enum op {
    OP_WARM,      /* its first malloc: its arena and its tcache made before the steps */
    OP_FREE_OLD,  /* free the producer's blocks */
    OP_MALLOC,    /* malloc n blocks of its own */
    OP_FREE_MINE, /* free them */
    OP_EXIT,      /* the long-lived thread returns */
};

struct xfree_ctx {
    size_t n, size;
    bool counted;
    enum xfree_consumer how;
    void **prod;     /* the producer's blocks: its first n, then its next n */
    void **mine;     /* the consumer's n */
    uintptr_t *old;  /* the addresses of the producer's first n, kept as numbers */
    void *warm;      /* the long-lived consumer's first block, held to the end */
    void *drain[XFREE_TCACHE_COUNT]; /* the producer's, held to the end: its tcache emptied */
    enum op op;
    int rc;          /* the step's result: 0, or -1 when a malloc failed */
    pthread_barrier_t go, done;
};

static void *block_malloc(const struct xfree_ctx *c)
{
    return c->counted ? malloc(c->size) : __libc_malloc(c->size);
}

static void block_free(const struct xfree_ctx *c, void *p)
{
    c->counted ? free(p) : __libc_free(p);
}

static void free_all(const struct xfree_ctx *c, void **p)
{
    for (size_t i = 0; i < c->n; i++) {
        block_free(c, p[i]);
        p[i] = NULL;
    }
}

/* One step of the consumer's, in the consumer's thread. */
static void consume(struct xfree_ctx *c)
{
    c->rc = 0;
    switch (c->op) {
    case OP_WARM:
        /* glibc's own: a block of 1 byte, a size class the steps' blocks never share
         * while it is held, and never in the tcache (the short-lived thread's goes back
         * at its exit) */
        c->warm = __libc_malloc(1);
        if (c->warm == NULL)
            c->rc = -1;
        if (c->how == XFREE_SHORT_LIVED) {
            __libc_free(c->warm);
            c->warm = NULL;
        }
        break;
    case OP_FREE_OLD:
        free_all(c, c->prod);
        break;
    case OP_MALLOC:
        for (size_t i = 0; i < c->n; i++) {
            c->mine[i] = block_malloc(c);
            if (c->mine[i] == NULL) {
                c->rc = -1;
                break;
            }
        }
        break;
    case OP_FREE_MINE:
        free_all(c, c->mine);
        break;
    case OP_EXIT:
        __libc_free(c->warm);
        c->warm = NULL;
        break;
    }
}

/* The long-lived consumer: a step per turn of the barriers, until OP_EXIT. */
static void *consumer_loop(void *arg)
{
    struct xfree_ctx *c = arg;

    for (;;) {
        pthread_barrier_wait(&c->go);
        consume(c);
        if (c->op == OP_EXIT)
            return NULL;
        pthread_barrier_wait(&c->done);
    }
}

/* The short-lived consumer: one step, and the thread exits. */
static void *consumer_once(void *arg)
{
    consume(arg);
    return NULL;
}

/* Have the consumer make step op, and wait until it has. 0, or -1 with errno. */
static int step(struct xfree_ctx *c, enum op op)
{
    c->op = op;
    if (c->how == XFREE_LONG_LIVED) {
        pthread_barrier_wait(&c->go);
        pthread_barrier_wait(&c->done);
    } else {
        pthread_t t;
        int err = pthread_create(&t, NULL, consumer_once, c);

        if (err != 0) {
            errno = err;
            return -1;
        }
        pthread_join(t, NULL);
    }
    if (c->rc != 0) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

static size_t count_old(const struct xfree_ctx *c, void *const *p)
{
    size_t got = 0;

    for (size_t i = 0; i < c->n; i++) {
        for (size_t j = 0; j < c->n; j++) {
            if ((uintptr_t)p[i] == c->old[j]) {
                got++;
                break;
            }
        }
    }
    return got;
}

/* What glibc counts in use: chunks taken from the arenas (the tcache's among them) and
 * mmap'd blocks. */
static long long in_use(void)
{
    struct mallinfo2 mi = mallinfo2();

    return (long long)mi.uordblks + (long long)mi.hblkhd;
}

/* The chunk glibc gives a request of n bytes, read from a block of glibc's own: 0 under
 * Valgrind, whose blocks carry no chunk header. -1 when out of memory. Made after the
 * steps: a free of an mmap'd block would move glibc's mmap threshold. */
static long long chunk_of(size_t n)
{
    void *q;
    long long size;

    if (RUNNING_ON_VALGRIND)
        return 0;
    q = __libc_malloc(n);
    if (q == NULL)
        return -1;
    size = (long long)platform_chunk_of(q).size;
    __libc_free(q);
    return size;
}

/* The steps, the consumer started (and warmed); -1 at the first that fails. */
static int steps(struct xfree_ctx *c, struct xfree_result *r)
{
    struct countalloc_stats m;
    long long chunk = 0, gave;

    /* whatever the program freed before, the producer's tcache holds at most 7 blocks of
     * the size: taken, and held to the end, they leave it none when the steps start */
    for (size_t i = 0; i < XFREE_TCACHE_COUNT; i++) {
        c->drain[i] = block_malloc(c);
        if (c->drain[i] == NULL)
            return -1;
    }
    countalloc_measure_begin(&m);
    for (size_t i = 0; i < c->n; i++) { /* the producer's first n */
        c->prod[i] = block_malloc(c);
        if (c->prod[i] == NULL)
            return -1;
        c->old[i] = (uintptr_t)c->prod[i];
    }
    if (!c->counted && !RUNNING_ON_VALGRIND) {
        struct platform_chunk ch = platform_chunk_of(c->prod[0]);

        r->mmapped = ch.mmapped;
        chunk = (long long)ch.size;
    }
    gave = in_use();
    if (step(c, OP_FREE_OLD) != 0) /* the consumer frees them all */
        return -1;
    gave -= in_use();
    r->d = countalloc_measure_end(&m);
    for (size_t i = 0; i < c->n; i++) { /* the producer's next n */
        c->prod[i] = block_malloc(c);
        if (c->prod[i] == NULL)
            return -1;
    }
    r->producer_back = count_old(c, c->prod);
    if (!c->counted && !RUNNING_ON_VALGRIND)
        r->again_mmapped = platform_chunk_of(c->prod[0]).mmapped;
    if (step(c, OP_MALLOC) != 0) /* then the consumer's */
        return -1;
    r->consumer_got = count_old(c, c->mine);
    if (!c->counted && !RUNNING_ON_VALGRIND) {
        for (size_t i = 0; i < c->n; i++)
            r->consumer_arena += platform_chunk_of(c->mine[i]).other_arena;
    }
    if (c->counted && (chunk = chunk_of(c->size + 16)) < 0) /* the header's 16 bytes too */
        return -1;
    r->chunk = (size_t)chunk;
    /* what left glibc's count in use is what the frees gave back; the rest it holds */
    r->held = RUNNING_ON_VALGRIND ? 0 : (long long)c->n * chunk - gave;
    return 0;
}

int xfree_run(size_t n, size_t size, bool counted, enum xfree_consumer how,
              struct xfree_result *r)
{
    struct xfree_ctx c = {.n = n, .size = size, .counted = counted, .how = how};
    struct xfree_result out = {0};
    pthread_t consumer;
    void **ptrs;
    int rc = -1, err, saved;

    if (n == 0 || n > XFREE_MAX_N || size == 0 || size > XFREE_MAX_SIZE) {
        errno = EINVAL;
        return -1;
    }
    /* one block: the producer's pointers, the consumer's, then the old addresses */
    ptrs = calloc(n, 2 * sizeof *ptrs + sizeof *c.old);
    if (ptrs == NULL)
        return -1;
    c.prod = ptrs;
    c.mine = ptrs + n;
    c.old = (uintptr_t *)(ptrs + 2 * n);
    pthread_barrier_init(&c.go, NULL, 2);
    pthread_barrier_init(&c.done, NULL, 2);
    if (how == XFREE_LONG_LIVED) {
        err = pthread_create(&consumer, NULL, consumer_loop, &c);
        if (err != 0) {
            errno = err;
            goto out;
        }
    }
    if (step(&c, OP_WARM) == 0 && steps(&c, &out) == 0)
        rc = 0;
    saved = errno;
    /* the consumer frees its own; a short-lived one that cannot start leaves it to us */
    if (step(&c, OP_FREE_MINE) != 0)
        free_all(&c, c.mine);
    free_all(&c, c.prod);
    for (size_t i = 0; i < XFREE_TCACHE_COUNT; i++)
        block_free(&c, c.drain[i]);
    if (how == XFREE_LONG_LIVED) {
        c.op = OP_EXIT;
        pthread_barrier_wait(&c.go);
        pthread_join(consumer, NULL);
    }
    errno = saved;
out:
    pthread_barrier_destroy(&c.go);
    pthread_barrier_destroy(&c.done);
    free(ptrs);
    if (rc == 0)
        *r = out;
    return rc;
}

/* ---- the cost ---- */

struct traffic {
    size_t m, size;
    void *slot[XFREE_RING];
    _Alignas(64) _Atomic size_t head; /* the next slot the producer fills */
    _Alignas(64) _Atomic size_t tail; /* the next slot the consumer empties */
    _Alignas(64) _Atomic bool failed; /* a malloc failed: both stop */
    pthread_barrier_t go;
    unsigned long long sum[2];        /* the first bytes read: the caller's, the thread's */
};

/* XFREE_OWN: blocks [from, to) malloc'd, written, read and freed by one thread. */
static void own(struct traffic *t, size_t from, size_t to, unsigned long long *sum)
{
    pthread_barrier_wait(&t->go);
    for (size_t i = from; i < to && !atomic_load_explicit(&t->failed, memory_order_relaxed); i++) {
        unsigned char *p = malloc(t->size);

        if (p == NULL) {
            atomic_store(&t->failed, true);
            break;
        }
        p[0] = (unsigned char)i;
        *sum += *(volatile unsigned char *)p;
        free(p);
    }
}

/* XFREE_CROSS, the consumer: takes each block off the ring, reads it, frees it; a NULL
 * slot is the producer's end. */
static void consume_ring(struct traffic *t)
{
    size_t tail = 0;

    pthread_barrier_wait(&t->go);
    for (;;) {
        unsigned char *p;

        while (atomic_load_explicit(&t->head, memory_order_acquire) == tail)
            sched_yield();
        p = t->slot[tail % XFREE_RING];
        atomic_store_explicit(&t->tail, ++tail, memory_order_release);
        if (p == NULL)
            return;
        t->sum[1] += p[0];
        free(p);
    }
}

/* XFREE_CROSS, the producer: m blocks onto the ring, then NULL. */
static void produce_ring(struct traffic *t)
{
    size_t head = 0;

    pthread_barrier_wait(&t->go);
    for (size_t i = 0; i <= t->m; i++) {
        unsigned char *p = NULL;

        if (i < t->m) {
            p = malloc(t->size);
            if (p == NULL)
                atomic_store(&t->failed, true);
            else
                p[0] = (unsigned char)i;
        }
        while (head - atomic_load_explicit(&t->tail, memory_order_acquire) == XFREE_RING)
            sched_yield();
        t->slot[head % XFREE_RING] = p;
        atomic_store_explicit(&t->head, ++head, memory_order_release);
        if (p == NULL)
            return;
    }
}

struct traffic_thread {
    struct traffic *t;
    enum xfree_pattern p;
};

static void *traffic_thread(void *arg)
{
    struct traffic_thread *a = arg;

    if (a->p == XFREE_OWN)
        own(a->t, a->t->m / 2, a->t->m, &a->t->sum[1]);
    else
        consume_ring(a->t);
    return NULL;
}

int xfree_traffic(size_t m, size_t size, enum xfree_pattern p, unsigned long long *sum)
{
    struct traffic t = {.m = m, .size = size}; /* the ring: 8 KiB */
    struct traffic_thread a = {&t, p};
    pthread_t tid;
    int err;

    if (m == 0 || size == 0 || size > XFREE_MAX_SIZE) {
        errno = EINVAL;
        return -1;
    }
    pthread_barrier_init(&t.go, NULL, 2);
    err = pthread_create(&tid, NULL, traffic_thread, &a);
    if (err != 0) {
        pthread_barrier_destroy(&t.go);
        errno = err;
        return -1;
    }
    if (p == XFREE_OWN)
        own(&t, 0, m / 2, &t.sum[0]);
    else
        produce_ring(&t);
    pthread_join(tid, NULL);
    pthread_barrier_destroy(&t.go);
    if (atomic_load(&t.failed)) {
        errno = ENOMEM;
        return -1;
    }
    if (sum != NULL)
        *sum = t.sum[0] + t.sum[1];
    return 0;
}
