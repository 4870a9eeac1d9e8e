/* lru.c: the two LRU caches of lru.h, textbook (a hash node, a list node and a key copy
 * per entry) and intrusive (one array, indexes for links). */
#include "lru.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

size_t lru_buckets_for(size_t cap)
{
    size_t n = 1;

    while (n < cap)
        n *= 2;
    return n;
}

/* The key's length, or -1 with errno EINVAL when it is longer than LRU_KEY_MAX. */
static long key_len(const char *key)
{
    size_t len = strnlen(key, LRU_KEY_MAX + 1);

    if (len > LRU_KEY_MAX) {
        errno = EINVAL;
        return -1;
    }
    return (long)len;
}

static uint32_t key_hash(const char *key, size_t len)
{
    uint64_t h = hash_fnv(HASH_FNV_START, key, len);

    return (uint32_t)(h ^ (h >> 32));
}

/* ---- the textbook way ---- */

int lrut_init(struct lrut *c, size_t cap)
{
    size_t nb = lru_buckets_for(cap);
    struct lrut_hnode **b;

    if (cap == 0 || cap > LRU_CAP_MAX) {
        errno = EINVAL;
        return -1;
    }
    if ((b = calloc(nb, sizeof *b)) == NULL)
        return -1;
    *c = (struct lrut){.buckets = b, .nbuckets = nb, .cap = cap};
    return 0;
}

/* The hash node of key in its chain, and the link that points at it (for unlinking). */
static struct lrut_hnode **t_find(const struct lrut *c, const char *key, size_t len)
{
    struct lrut_hnode **p = &c->buckets[key_hash(key, len) & (c->nbuckets - 1)];

    while (*p != NULL && strcmp((*p)->key, key) != 0)
        p = &(*p)->next;
    return p;
}

static void t_unlink(struct lrut *c, struct lrut_list *it)
{
    if (it->prev != NULL)
        it->prev->next = it->next;
    else
        c->front = it->next;
    if (it->next != NULL)
        it->next->prev = it->prev;
    else
        c->back = it->prev;
}

static void t_push_front(struct lrut *c, struct lrut_list *it)
{
    it->prev = NULL;
    it->next = c->front;
    if (c->front != NULL)
        c->front->prev = it;
    else
        c->back = it;
    c->front = it;
}

bool lrut_get(struct lrut *c, const char *key, uint64_t *val)
{
    long len = key_len(key);
    struct lrut_hnode *h = len < 0 ? NULL : *t_find(c, key, (size_t)len);

    if (h == NULL) {
        c->n.misses++;
        return false;
    }
    t_unlink(c, h->item);
    t_push_front(c, h->item);
    if (val != NULL)
        *val = h->item->val;
    c->n.hits++;
    return true;
}

bool lrut_evict(struct lrut *c)
{
    struct lrut_list *it = c->back;
    struct lrut_hnode **p;

    if (it == NULL)
        return false;
    p = t_find(c, it->node->key, strlen(it->node->key));
    *p = it->node->next; /* out of its chain */
    t_unlink(c, it);     /* and out of the list */
    free(it->node->key); /* the cost: three frees per eviction */
    free(it->node);
    free(it);
    c->len--;
    c->n.evictions++;
    return true;
}

int lrut_put(struct lrut *c, const char *key, uint64_t val)
{
    long len = key_len(key);
    struct lrut_hnode *h, **p;
    struct lrut_list *it;
    char *copy;

    if (len < 0)
        return -1;
    if ((h = *t_find(c, key, (size_t)len)) != NULL) { /* an update: no allocation */
        h->item->val = val;
        t_unlink(c, h->item);
        t_push_front(c, h->item);
        c->n.updates++;
        return 0;
    }
    /* A new key: all three blocks first, so that a failure leaves the cache whole. */
    if ((copy = malloc((size_t)len + 1)) == NULL)
        return -1;
    if ((h = malloc(sizeof *h)) == NULL)
        goto out_copy;
    if ((it = malloc(sizeof *it)) == NULL)
        goto out_node;
    if (c->len == c->cap)
        lrut_evict(c); /* only now: nothing can fail past this point */
    memcpy(copy, key, (size_t)len + 1);
    *h = (struct lrut_hnode){.key = copy, .item = it};
    *it = (struct lrut_list){.node = h, .val = val};
    p = t_find(c, key, (size_t)len); /* the chain's end */
    *p = h;
    t_push_front(c, it);
    c->len++;
    c->n.inserts++;
    return 0;

out_node:
    free(h);
out_copy:
    free(copy);
    return -1;
}

size_t lrut_walk(const struct lrut *c, lru_visit_fn *fn, void *ctx)
{
    size_t n = 0;

    for (const struct lrut_list *it = c->front; it != NULL; it = it->next, n++)
        fn(ctx, it->node->key, it->val);
    return n;
}

void lrut_free(struct lrut *c)
{
    if (c == NULL)
        return;
    while (lrut_evict(c))
        ;
    free(c->buckets);
    *c = (struct lrut){0};
}

/* ---- the intrusive way ---- */

int lrui_init(struct lrui *c, size_t cap)
{
    size_t nb = lru_buckets_for(cap);
    struct lrui_entry *e;

    if (cap == 0 || cap > LRU_CAP_MAX) {
        errno = EINVAL;
        return -1;
    }
    /* the entries, then the buckets: an entry's size is a multiple of 8, so the buckets
     * that follow are aligned */
    if ((e = malloc(cap * sizeof *e + nb * sizeof(int32_t))) == NULL)
        return -1;
    *c = (struct lrui){.entries = e, .buckets = (int32_t *)(e + cap), .nbuckets = nb,
                       .cap = cap, .front = -1, .back = -1};
    for (size_t i = 0; i < nb; i++)
        c->buckets[i] = -1;
    return 0;
}

/* The link that holds key's entry index (or -1 at the end of its chain): for unlinking. */
static int32_t *i_find(const struct lrui *c, const char *key, uint32_t hash)
{
    int32_t *p = &c->buckets[hash & (c->nbuckets - 1)];

    while (*p >= 0 && (c->entries[*p].hash != hash || strcmp(c->entries[*p].key, key) != 0))
        p = &c->entries[*p].chain;
    return p;
}

static void i_unlink(struct lrui *c, int32_t i)
{
    struct lrui_entry *e = &c->entries[i];

    if (e->prev >= 0)
        c->entries[e->prev].next = e->next;
    else
        c->front = e->next;
    if (e->next >= 0)
        c->entries[e->next].prev = e->prev;
    else
        c->back = e->prev;
}

static void i_push_front(struct lrui *c, int32_t i)
{
    struct lrui_entry *e = &c->entries[i];

    e->prev = -1;
    e->next = c->front;
    if (c->front >= 0)
        c->entries[c->front].prev = i;
    else
        c->back = i;
    c->front = i;
}

bool lrui_get(struct lrui *c, const char *key, uint64_t *val)
{
    long len = key_len(key);
    int32_t i = len < 0 ? -1 : *i_find(c, key, key_hash(key, (size_t)len));

    if (i < 0) {
        c->n.misses++;
        return false;
    }
    i_unlink(c, i);
    i_push_front(c, i);
    if (val != NULL)
        *val = c->entries[i].val;
    c->n.hits++;
    return true;
}

int lrui_put(struct lrui *c, const char *key, uint64_t val)
{
    long len = key_len(key);
    uint32_t hash;
    int32_t i, *p;

    if (len < 0)
        return -1;
    hash = key_hash(key, (size_t)len);
    if ((i = *i_find(c, key, hash)) >= 0) { /* an update */
        c->entries[i].val = val;
        i_unlink(c, i);
        i_push_front(c, i);
        c->n.updates++;
        return 0;
    }
    if (c->len < c->cap) {
        i = (int32_t)c->len++; /* the next unused entry */
    } else {
        i = c->back; /* full: the least recent entry is taken over in place */
        p = i_find(c, c->entries[i].key, c->entries[i].hash);
        *p = c->entries[i].chain; /* out of its chain */
        i_unlink(c, i);           /* and out of the list */
        c->n.evictions++;
    }
    struct lrui_entry *e = &c->entries[i];
    e->hash = hash;
    e->val = val;
    memcpy(e->key, key, (size_t)len + 1);
    p = i_find(c, key, hash); /* the chain's end */
    e->chain = -1;
    *p = i;
    i_push_front(c, i);
    c->n.inserts++;
    return 0;
}

size_t lrui_walk(const struct lrui *c, lru_visit_fn *fn, void *ctx)
{
    size_t n = 0;

    for (int32_t i = c->front; i >= 0; i = c->entries[i].next, n++)
        fn(ctx, c->entries[i].key, c->entries[i].val);
    return n;
}

void lrui_free(struct lrui *c)
{
    if (c == NULL)
        return;
    free(c->entries);
    *c = (struct lrui){.front = -1, .back = -1};
}
