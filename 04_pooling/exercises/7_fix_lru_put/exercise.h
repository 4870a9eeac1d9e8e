/* exercise.h: lesson 04, fix: an LRU cache from string keys (at most CACHE_KEY_MAX bytes)
 * to uint64_t values, its capacity fixed at init: a chained hash map of nodes that are
 * also a doubly linked list in recency order. The handle lives on the caller's stack; the
 * cache owns its buckets, its nodes and their keys. Out of memory: cache_put returns -1
 * and the cache holds exactly what it held before.
 *
 *   struct cache c;
 *   cache_init(&c, 100);         // one calloc: the buckets
 *   cache_put(&c, "k1", 7);      // a new key: the node and its key; full: the back evicted
 *   cache_get(&c, "k1", &v);     // no allocation; the entry moves to the front
 *   cache_free(&c);
 *
 * A get or a put that finds its key moves the entry to the front (the most recent); a put
 * of a new key into a full cache evicts the back (the least recent). */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CACHE_KEY_MAX 31          /* the longest key, in bytes, its NUL not counted */
#define CACHE_CAP_MAX (1u << 20)  /* the largest capacity */

/* An entry: in its bucket's chain and in the recency list at once. */
struct cache_node {
    struct cache_node *chain;      /* the next node in its bucket's chain */
    struct cache_node *prev, *next; /* toward the front (more recent), toward the back */
    char *key;                     /* the key's bytes: a copy made by cache_put */
    uint64_t val;
    char key_inline[];             /* room for the key, when it is allocated with the node */
};

struct cache {
    struct cache_node **buckets;     /* nbuckets chain heads, one calloc */
    size_t nbuckets, cap, len;       /* nbuckets: a power of two, at least cap */
    struct cache_node *front, *back; /* most and least recently used; NULL when empty */
};

/* What cache_walk calls for each entry, most recent first. */
typedef void cache_visit_fn(void *ctx, const char *key, uint64_t val);

/* An empty cache of cap entries (1 to CACHE_CAP_MAX): one calloc of the buckets. 0, or -1
 * (errno EINVAL, ENOMEM) with *c untouched. */
int cache_init(struct cache *c, size_t cap);

/* Copy key's value into *val (if val is not NULL) and move it to the front: true; false
 * when key is absent. Never allocates. */
bool cache_get(struct cache *c, const char *key, uint64_t *val);

/* Set key's value and move it to the front. A present key: no allocation. A new key: the
 * node and its key's copy, then, when the cache is full, the back entry evicted. 0, or -1
 * (EINVAL: key longer than CACHE_KEY_MAX, nothing allocated; ENOMEM) with the cache as it
 * was: the same entries, the same values, the same order. */
int cache_put(struct cache *c, const char *key, uint64_t val);

/* Call fn for each entry from the front to the back; returns how many. Never allocates. */
size_t cache_walk(const struct cache *c, cache_visit_fn *fn, void *ctx);

/* Free every entry and the buckets. cache_free(NULL) does nothing. */
void cache_free(struct cache *c);

#endif
