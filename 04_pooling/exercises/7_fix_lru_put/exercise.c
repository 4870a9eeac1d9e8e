/* Fix an LRU cache's put, which evicts before it allocates and makes two allocations per
 * new key. In a full cache, a failed malloc then loses the least recent entry.
 *
 * TODO: make cache_put allocate what the new entry needs before it evicts anything, and
 * make that ONE allocation: the node with its key inline after it, in key_inline (a
 * flexible array member). An eviction is then one free. */
#include "exercise.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a over the key's bytes. */
static size_t key_hash(const char *key, size_t len)
{
    uint64_t h = 14695981039346656037u;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 1099511628211u;
    return (size_t)(h ^ (h >> 32));
}

int cache_init(struct cache *c, size_t cap)
{
    struct cache_node **b;
    size_t nb = 1;

    if (cap == 0 || cap > CACHE_CAP_MAX) {
        errno = EINVAL;
        return -1;
    }
    while (nb < cap)
        nb *= 2;
    if ((b = calloc(nb, sizeof *b)) == NULL)
        return -1;
    *c = (struct cache){.buckets = b, .nbuckets = nb, .cap = cap};
    return 0;
}

/* The link that points at key's node, or at NULL at the end of its chain. */
static struct cache_node **find(const struct cache *c, const char *key, size_t len)
{
    struct cache_node **p = &c->buckets[key_hash(key, len) & (c->nbuckets - 1)];

    while (*p != NULL && strcmp((*p)->key, key) != 0)
        p = &(*p)->chain;
    return p;
}

static void unlink_node(struct cache *c, struct cache_node *n)
{
    if (n->prev != NULL)
        n->prev->next = n->next;
    else
        c->front = n->next;
    if (n->next != NULL)
        n->next->prev = n->prev;
    else
        c->back = n->prev;
}

static void push_front(struct cache *c, struct cache_node *n)
{
    n->prev = NULL;
    n->next = c->front;
    if (c->front != NULL)
        c->front->prev = n;
    else
        c->back = n;
    c->front = n;
}

bool cache_get(struct cache *c, const char *key, uint64_t *val)
{
    size_t len = strnlen(key, CACHE_KEY_MAX + 1);
    struct cache_node *n = len > CACHE_KEY_MAX ? NULL : *find(c, key, len);

    if (n == NULL)
        return false;
    unlink_node(c, n);
    push_front(c, n);
    if (val != NULL)
        *val = n->val;
    return true;
}

/* Take the back (least recent) entry out of its chain and the list, and free it. */
static void evict(struct cache *c)
{
    struct cache_node *n = c->back;
    struct cache_node **p = find(c, n->key, strlen(n->key));

    *p = n->chain;
    unlink_node(c, n);
    free(n->key);
    free(n);
    c->len--;
}

int cache_put(struct cache *c, const char *key, uint64_t val)
{
    size_t len = strnlen(key, CACHE_KEY_MAX + 1);
    struct cache_node *n, **p;

    if (len > CACHE_KEY_MAX) {
        errno = EINVAL;
        return -1;
    }
    if ((n = *find(c, key, len)) != NULL) { /* an update: no allocation */
        n->val = val;
        unlink_node(c, n);
        push_front(c, n);
        return 0;
    }
    if (c->len == c->cap)
        evict(c); /* make room first */
    if ((n = malloc(sizeof *n)) == NULL)
        return -1;
    if ((n->key = malloc(len + 1)) == NULL) {
        free(n);
        return -1;
    }
    memcpy(n->key, key, len + 1);
    n->val = val;
    n->chain = NULL;
    p = find(c, key, len); /* the chain's end */
    *p = n;
    push_front(c, n);
    c->len++;
    return 0;
}

size_t cache_walk(const struct cache *c, cache_visit_fn *fn, void *ctx)
{
    size_t count = 0;

    for (const struct cache_node *n = c->front; n != NULL; n = n->next, count++)
        fn(ctx, n->key, n->val);
    return count;
}

void cache_free(struct cache *c)
{
    if (c == NULL)
        return;
    while (c->back != NULL)
        evict(c);
    free(c->buckets);
    *c = (struct cache){0};
}
