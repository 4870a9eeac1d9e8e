/* counters.c: see counters.h. */
#include "counters.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct counting {
    pthread_t tid;
    _Atomic uint64_t *n; /* this thread's counter: in the packed or the padded array */
    uint64_t iters;
    enum counters_add add;
};

/* COUNTERS_STORE: single writer per counter, a relaxed load and store, no lock prefix.
 * COUNTERS_LOCKED: a relaxed atomic_fetch_add, one `lock add` on x86-64. Either way the
 * cost left is the cache line's, which is the point. */
static void *count(void *arg)
{
    const struct counting *c = arg;
    _Atomic uint64_t *n = c->n; /* in registers: the loop touches no other memory */
    uint64_t iters = c->iters;

    if (c->add == COUNTERS_LOCKED) {
        for (uint64_t i = 0; i < iters; i++)
            atomic_fetch_add_explicit(n, 1, memory_order_relaxed);
        return NULL;
    }
    for (uint64_t i = 0; i < iters; i++)
        atomic_store_explicit(n, atomic_load_explicit(n, memory_order_relaxed) + 1,
                              memory_order_relaxed);
    return NULL;
}

int counters_run(enum counters_layout layout, enum counters_add add, unsigned threads,
                 uint64_t iters, uint64_t *total)
{
    size_t stride = layout == COUNTERS_PADDED ? COUNTERS_PAD : sizeof(_Atomic uint64_t);
    struct counting c[COUNTERS_MAX_THREADS];
    unsigned started = 0;
    uint64_t sum = 0;
    char *base;
    int rc = -1;

    if (threads == 0 || threads > COUNTERS_MAX_THREADS)
        return -1;
    /* aligned to a whole pad, so the padded counters never straddle a pair of lines */
    base = aligned_alloc(COUNTERS_PAD, (threads * stride + COUNTERS_PAD - 1) / COUNTERS_PAD *
                                           COUNTERS_PAD);
    if (base == NULL)
        return -1;
    for (unsigned i = 0; i < threads; i++) {
        c[i].n = (_Atomic uint64_t *)(base + i * stride);
        atomic_init(c[i].n, 0);
        c[i].iters = iters;
        c[i].add = add;
    }
    for (; started < threads; started++) {
        if (pthread_create(&c[started].tid, NULL, count, &c[started]) != 0)
            goto out_join;
    }
    rc = 0;
out_join:
    for (unsigned i = 0; i < started; i++) {
        pthread_join(c[i].tid, NULL);
        sum += atomic_load_explicit(c[i].n, memory_order_relaxed);
    }
    free(base);
    if (rc == 0)
        *total = sum;
    return rc;
}
