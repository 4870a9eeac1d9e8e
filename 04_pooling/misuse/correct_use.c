/* correct_use.c: the pool, the per-thread pool, the mutex pool and the arena used as
 * their headers say, from two threads, the free list (freelist.h) splitting, merging
 * and resizing blocks, the slab pool (slab.h) reusing its free objects and giving slabs
 * back, and the buddy allocator (buddy.h) splitting and merging: memcheck and ASan must
 * report nothing, the allocators' own bookkeeping included. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buddy.h"
#include "freelist.h"
#include "mpool.h"
#include "pool.h"
#include "slab.h"
#include "tspool.h"

static struct tspool shared;
static struct mpool locked;

static void *worker(void *arg)
{
    struct tspool_cache c;
    char *held[40];
    long *ok = arg;

    tspool_cache_init(&c, &shared);
    for (int r = 0; r < 200; r++) {
        int k = 1 + r % 40;
        for (int i = 0; i < k; i++) {
            held[i] = tspool_get(&c);
            if (held[i] == NULL)
                return NULL;
            memset(held[i], r, 128);
        }
        for (int i = 0; i < k; i++)
            tspool_put(&c, held[i]);
        char *m = mpool_get(&locked);
        if (m == NULL)
            return NULL;
        m[0] = (char)r;
        mpool_put(&locked, m);
    }
    tspool_cache_flush(&c);
    *ok = 1;
    return NULL;
}

/* Which of k blocks is freed i-th in round r: forwards (each merges with the one before),
 * backwards (with the one after), or the odd ones first (then each even one with both). */
static int freed_at(int r, int i, int k)
{
    switch (r % 3) {
    case 0:
        return i;
    case 1:
        return k - 1 - i;
    default:
        return i < k / 2 ? 2 * i + 1 : 2 * (i - k / 2);
    }
}

/* Blocks of mixed sizes until the region is full, each written and read, then each
 * resized (shrunk or grown, in place or moved; a refusal keeps it) and read to its last
 * byte kept and written to its new end, then freed in the round's order: one free block
 * again after every round. */
static int use_freelist(long *sum)
{
    enum { REGION = 8192, HELD = 128 };
    char *region = malloc(REGION), *held[HELD];
    size_t len[HELD];
    struct fl a;

    if (region == NULL || fl_init(&a, region, REGION) != 0)
        return -1;
    for (int r = 0; r < 30; r++) {
        int k = 0;
        for (; k < HELD; k++) {
            size_t n = (size_t)(k * 37 + r) % 200;
            if ((held[k] = fl_alloc(&a, n)) == NULL)
                break;
            memset(held[k], r, n);
            *sum += n > 0 ? held[k][n - 1] : 0;
            len[k] = n;
        }
        for (int i = r % 2; i < k; i += 2)
            fl_free(&a, held[i]); /* room to grow in place, before and after */
        for (int i = 1 - r % 2; i < k; i += 2) {
            size_t n = (size_t)(i * 53 + r) % 300, kept = n < len[i] ? n : len[i];
            char *q = fl_realloc(&a, held[i], n);
            if (q == NULL)
                continue;
            *sum += kept > 0 ? q[kept - 1] : 0;
            memset(q, r + 1, n);
            held[i] = q;
            len[i] = n;
        }
        if (fl_check(&a) != NULL)
            return -1;
        for (int i = r % 2; i < k; i += 2)
            held[i] = fl_alloc(&a, 0);
        for (int i = 0; i < k; i++)
            fl_free(&a, held[freed_at(r, i, k)]);
        if (fl_stats(&a).free_blocks != 1)
            return -1;
    }
    fl_destroy(&a);
    free(region);
    return 0;
}

/* Objects from a slab pool over several slabs, each written and read: every other one
 * freed (its slab's free list links it) and taken again, then all freed, forwards or
 * backwards, each slab given back with its last object; in the last round they stay out
 * for slab_destroy. Then the experiment's functions: survivors in a pool of their own. */
static int use_slab(long *sum)
{
    enum { N = 300, SIZE = 36, ROUNDS = 6 }; /* 36: 40 bytes an object; N: a few slabs */
    struct slab_pool p, keep, temp;
    void *obj[N];

    if (slab_init(&p, SIZE) != 0)
        return -1;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N; i++) {
            if ((obj[i] = slab_alloc(&p)) == NULL)
                return -1;
            memset(obj[i], r, SIZE);
        }
        for (int i = r % 2; i < N; i += 2)
            slab_free(obj[i]);
        for (int i = r % 2; i < N; i += 2) {
            if ((obj[i] = slab_alloc(&p)) == NULL)
                return -1;
            memset(obj[i], r + 1, SIZE);
        }
        for (int i = 0; i < N; i++)
            *sum += ((char *)obj[i])[SIZE - 1];
        if (r == ROUNDS - 1)
            break;
        for (int i = 0; i < N; i++)
            slab_free(obj[r % 2 ? i : N - 1 - i]);
        if (p.slabs != 0 || p.live != 0)
            return -1;
    }
    slab_destroy(&p);

    if (slab_init(&keep, SIZE) != 0 || slab_init(&temp, SIZE) != 0)
        return -1;
    if (slab_fill_split(&keep, &temp, obj, N, 7) != 0)
        return -1;
    slab_drop(obj, N, 7);
    if (!slab_survivors_intact(obj, N, 7) || temp.slabs != 0)
        return -1;
    slab_drop_survivors(obj, N, 7);
    slab_destroy(&keep);
    slab_destroy(&temp);
    return 0;
}

/* Blocks of mixed sizes from a buddy region until it refuses one, each written to its
 * last byte asked for and read, then freed in the round's order (every merge taken): the
 * region is one free block again after every round. */
static int use_buddy(long *sum)
{
    enum { K = 13, HELD = 256 };
    struct buddy b;
    char *held[HELD];

    if (buddy_init(&b, K, 4) != 0)
        return -1;
    for (int r = 0; r < 30; r++) {
        int k = 0;
        for (; k < HELD; k++) {
            size_t n = (size_t)(k * 37 + r * 11) % 700;
            if ((held[k] = buddy_alloc(&b, n)) == NULL)
                break;
            memset(held[k], r, n);
            *sum += n > 0 ? held[k][n - 1] : 0;
        }
        if (buddy_check(&b) != NULL)
            return -1;
        for (int i = 0; i < k; i++)
            buddy_free(&b, held[freed_at(r, i, k)]);
        if (buddy_stats(&b).free_blocks != 1)
            return -1;
    }
    buddy_destroy(&b);
    return 0;
}

int main(void)
{
    struct pool p;
    struct arena a;
    pthread_t t[2];
    long ok[2] = {0, 0}, sum = 0;

    pool_init(&p, &(struct pool_config){.size = 256, .cap = 2});
    if (pool_fill(&p, 2) != 0)
        return 1;
    for (int r = 0; r < 100; r++) {
        char *x = pool_get(&p), *y = pool_get(&p), *z = pool_get(&p);
        if (x == NULL || y == NULL || z == NULL)
            return 1;
        memset(x, 1, 256); /* a pooled object is dirty: write before reading */
        memset(y, 2, 256);
        memset(z, 3, 256);
        sum += x[255] + y[0] + z[100];
        pool_put(&p, x);
        pool_put(&p, y);
        pool_put(&p, z); /* over the cap: released */
    }
    pool_trim(&p, 1);
    pool_destroy(&p);

    arena_init(&a, 4096);
    for (int r = 0; r < 10; r++) {
        for (int i = 0; i < 100; i++) {
            long *v = arena_alloc(&a, sizeof *v * (size_t)(1 + i % 7));
            if (v == NULL)
                return 1;
            v[0] = i;
            sum += v[0];
        }
        char *big = arena_alloc(&a, 3000);
        if (big == NULL)
            return 1;
        memset(big, 0, 3000);
        arena_reset(&a);
    }
    arena_destroy(&a);

    if (use_freelist(&sum) != 0)
        return 1;
    if (use_slab(&sum) != 0)
        return 1;
    if (use_buddy(&sum) != 0)
        return 1;

    tspool_init(&shared, &(struct pool_config){.size = 128, .cap = 16});
    mpool_init(&locked, &(struct pool_config){.size = 64, .cap = 2});
    for (int i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, worker, &ok[i]) != 0)
            return 1;
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    tspool_destroy(&shared);
    mpool_destroy(&locked);
    printf("sum %ld, threads ok: %ld\n", sum, ok[0] + ok[1]);
    return ok[0] + ok[1] == 2 ? 0 : 1;
}
