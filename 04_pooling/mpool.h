/* mpool: the simplest thread-safe pool, a pool.h pool behind one mutex, kept to be
 * measured against tspool.h. Every get and every put takes the lock, so with two threads
 * they queue on it and the cache line holding it moves between cores on each call.
 * Ownership and out-of-memory behaviour as in pool.h. */
#ifndef MPOOL_H
#define MPOOL_H

#include <pthread.h>

#include "pool.h"

struct mpool {
    pthread_mutex_t lock; /* guards pool */
    struct pool pool;
};

/* Set up an empty pool. Allocates nothing, cannot fail. */
void mpool_init(struct mpool *m, const struct pool_config *cfg);

/* Release every free object (see pool_destroy). No thread may be using m. */
void mpool_destroy(struct mpool *m);

/* pool_get and pool_put under the lock. */
void *mpool_get(struct mpool *m);
void mpool_put(struct mpool *m, void *obj);

#endif
