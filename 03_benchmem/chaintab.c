/* chaintab.c: the chained uint64_t table of chaintab.h, a node per key, grown by doubling
 * its buckets or sized from a hint. */
#include "chaintab.h"

#include <errno.h>
#include <stdlib.h>

#include "maptab.h"

/* The bucket key hashes to, in an array of n buckets (a power of two). */
static size_t bucket_of(uint64_t key, size_t n)
{
    return (size_t)maptab_hash(key) & (n - 1);
}

size_t chaintab_buckets_for(size_t n)
{
    size_t b = CHAINTAB_MIN_BUCKETS;

    if (n == 0)
        return 0;
    while (n > b) {
        if (b > SIZE_MAX / 2 / sizeof(struct chaintab_node *))
            return 0; /* no array of twice the buckets could be asked for */
        b *= 2;
    }
    return b;
}

int chaintab_init(struct chaintab *t, size_t hint)
{
    struct chaintab n = CHAINTAB_INIT;

    if (hint > 0) {
        if ((n.nbuckets = chaintab_buckets_for(hint)) == 0) {
            errno = EINVAL;
            return -1;
        }
        if ((n.buckets = calloc(n.nbuckets, sizeof *n.buckets)) == NULL)
            return -1;
    }
    *t = n;
    return 0;
}

/* The node holding key, or NULL. */
static struct chaintab_node *find(const struct chaintab *t, uint64_t key)
{
    struct chaintab_node *p;

    if (t->nbuckets == 0)
        return NULL;
    for (p = t->buckets[bucket_of(key, t->nbuckets)]; p != NULL; p = p->next)
        if (p->key == key)
            return p;
    return NULL;
}

/* Relink every node of t into heads, an array of n empty buckets: no allocation. */
static void relink(struct chaintab *t, struct chaintab_node **heads, size_t n)
{
    for (size_t i = 0; i < t->nbuckets; i++) {
        struct chaintab_node *p = t->buckets[i], *next;

        for (; p != NULL; p = next) {
            size_t b = bucket_of(p->key, n);

            next = p->next;
            p->next = heads[b];
            heads[b] = p;
        }
    }
}

int chaintab_put(struct chaintab *t, uint64_t key, uint64_t val)
{
    struct chaintab_node *node = find(t, key), **heads;
    size_t want, b;

    if (node != NULL) {
        node->val = val; /* a key held already: no allocation */
        return 0;
    }
    want = chaintab_buckets_for(t->count + 1);
    if (want == 0) {
        errno = ENOMEM;
        return -1;
    }
    if ((node = malloc(sizeof *node)) == NULL)
        return -1;
    if (want > t->nbuckets) { /* grow: a new array, the nodes relinked, the old one freed */
        if ((heads = calloc(want, sizeof *heads)) == NULL) {
            free(node); /* the table untouched */
            return -1;
        }
        relink(t, heads, want);
        free(t->buckets);
        t->buckets = heads;
        t->nbuckets = want;
    }
    b = bucket_of(key, t->nbuckets);
    *node = (struct chaintab_node){key, val, t->buckets[b]};
    t->buckets[b] = node;
    t->count++;
    return 0;
}

bool chaintab_get(const struct chaintab *t, uint64_t key, uint64_t *val)
{
    const struct chaintab_node *p = find(t, key);

    if (p != NULL && val != NULL)
        *val = p->val;
    return p != NULL;
}

bool chaintab_del(struct chaintab *t, uint64_t key)
{
    struct chaintab_node **link, *p;

    if (t->nbuckets == 0)
        return false;
    for (link = &t->buckets[bucket_of(key, t->nbuckets)]; (p = *link) != NULL; link = &p->next)
        if (p->key == key) {
            *link = p->next;
            free(p);
            t->count--;
            return true;
        }
    return false;
}

size_t chaintab_probes(const struct chaintab *t, uint64_t key)
{
    const struct chaintab_node *p;
    size_t visited = 0;

    if (t->nbuckets == 0)
        return 0;
    for (p = t->buckets[bucket_of(key, t->nbuckets)]; p != NULL; p = p->next) {
        visited++;
        if (p->key == key)
            break;
    }
    return visited;
}

void chaintab_free(struct chaintab *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nbuckets; i++) {
        struct chaintab_node *p = t->buckets[i], *next;

        for (; p != NULL; p = next) {
            next = p->next;
            free(p);
        }
    }
    free(t->buckets);
    *t = (struct chaintab)CHAINTAB_INIT;
}

int chaintab_fill(struct chaintab *t, size_t n)
{
    for (size_t i = 1; i <= n; i++)
        if (chaintab_put(t, maptab_key(i), i) != 0)
            return -1;
    return 0;
}
