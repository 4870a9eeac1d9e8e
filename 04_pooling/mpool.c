/* mpool.c: a pool behind a mutex. See mpool.h. */
#include "mpool.h"

void mpool_init(struct mpool *m, const struct pool_config *cfg)
{
    pthread_mutex_init(&m->lock, NULL); /* default attributes: cannot fail on Linux */
    pool_init(&m->pool, cfg);
}

void mpool_destroy(struct mpool *m)
{
    pool_destroy(&m->pool);
    pthread_mutex_destroy(&m->lock);
}

void *mpool_get(struct mpool *m)
{
    void *obj;

    pthread_mutex_lock(&m->lock);
    obj = pool_get(&m->pool);
    pthread_mutex_unlock(&m->lock);
    return obj;
}

void mpool_put(struct mpool *m, void *obj)
{
    pthread_mutex_lock(&m->lock);
    pool_put(&m->pool, obj);
    pthread_mutex_unlock(&m->lock);
}
