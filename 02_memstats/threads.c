/* threads.c: a batch of parked threads, and what it costs (threads.h). */
#include "threads.h"

#include <errno.h>
#include <limits.h>

#include "procfs.h"

/* A thread of the batch: count itself parked, wake the starter, wait for the release.
 * No allocation: a lock, a condition and two fields of the caller's. */
static void *park(void *arg)
{
    struct threads_park *p = arg;

    pthread_mutex_lock(&p->lock);
    p->parked++;
    pthread_cond_broadcast(&p->cond);
    while (!p->released)
        pthread_cond_wait(&p->cond, &p->lock);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

void threads_join(struct threads_batch *b)
{
    pthread_mutex_lock(&b->park.lock);
    b->park.released = true;
    pthread_cond_broadcast(&b->park.cond);
    pthread_mutex_unlock(&b->park.lock);
    for (size_t i = 0; i < b->started; i++)
        pthread_join(b->tid[i], NULL);
    b->started = 0;
    pthread_cond_destroy(&b->park.cond);
    pthread_mutex_destroy(&b->park.lock);
}

int threads_start(struct threads_batch *b, pthread_t *tid, size_t n, size_t stack)
{
    pthread_attr_t attr;
    int err = 0;

    if (n == 0 || (stack != 0 && stack < (size_t)PTHREAD_STACK_MIN)) {
        errno = EINVAL;
        return -1;
    }
    b->tid = tid;
    b->started = 0;
    b->park.parked = 0;
    b->park.released = false;
    pthread_mutex_init(&b->park.lock, NULL);
    pthread_cond_init(&b->park.cond, NULL);
    if (stack != 0 && (err = pthread_attr_init(&attr)) == 0 &&
        (err = pthread_attr_setstacksize(&attr, stack)) != 0)
        pthread_attr_destroy(&attr);
    if (err != 0)
        goto fail;
    while (b->started < n) {
        err = pthread_create(&tid[b->started], stack != 0 ? &attr : NULL, park, &b->park);
        if (err != 0)
            break;
        b->started++;
    }
    if (stack != 0)
        pthread_attr_destroy(&attr);
    if (err != 0)
        goto fail;
    pthread_mutex_lock(&b->park.lock);
    while (b->park.parked < n)
        pthread_cond_wait(&b->park.cond, &b->park.lock);
    pthread_mutex_unlock(&b->park.lock);
    return 0;
fail:
    threads_join(b); /* what did start: released, joined, the lock destroyed */
    errno = err;
    return -1;
}

void threads_defaults(size_t *stack, size_t *guard)
{
    pthread_attr_t attr;

    *stack = *guard = 0;
    if (pthread_getattr_default_np(&attr) != 0)
        return;
    pthread_attr_getstacksize(&attr, stack);
    pthread_attr_getguardsize(&attr, guard);
    pthread_attr_destroy(&attr);
}

static int vm_read(struct threads_vm *v)
{
    return procfs_self_vm(&v->size, &v->rss);
}

int threads_measure(pthread_t *tid, size_t n, size_t stack, struct threads_cost *c)
{
    struct threads_batch b;
    struct countalloc_stats start;
    int rc;

    /* The counters first (their first reset writes the counting allocator's slots), then
     * one sample thrown away: the pages the sampling touches are resident before the one
     * that counts. */
    countalloc_measure_begin(&start);
    if (vm_read(&c->before) != 0 || vm_read(&c->before) != 0)
        return -1;
    countalloc_measure_begin(&start);
    if (threads_start(&b, tid, n, stack) != 0) {
        c->start = countalloc_measure_end(&start);
        return -1;
    }
    c->start = countalloc_measure_end(&start);
    rc = vm_read(&c->parked);
    countalloc_measure_begin(&start);
    threads_join(&b);
    c->join = countalloc_measure_end(&start);
    return rc | vm_read(&c->joined);
}
