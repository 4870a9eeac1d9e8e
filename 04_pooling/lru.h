/* lru: a cache from string keys (at most LRU_KEY_MAX bytes) to uint64_t values, its
 * capacity fixed at creation, two ways with the same operations: the textbook way, a
 * chained hash map whose node points at a malloc'd list node and a malloc'd key copy, and
 * the intrusive way, every entry in one array made at creation. The caller owns the
 * handles; each cache owns its nodes or its array.
 *
 *   struct lrut t;  lrut_init(&t, cap);   // one calloc: the buckets
 *   lrut_put(&t, "k1", 7);                // a new key: 3 mallocs (hash node, list node,
 *                                         // key copy); full: then the LRU entry's 3 freed
 *   lrut_get(&t, "k1", &v);               // no allocation; the entry moves to the front
 *
 *   struct lrui c;  lrui_init(&c, cap);   // one malloc: cap entries and the buckets
 *   lrui_put(&c, "k1", 7);                // no allocation, ever; full: the LRU entry's
 *   lrui_get(&c, "k1", &v);               // slot is taken over in place
 *
 * Both hash with FNV-1a into a power of two of buckets, at least cap (a load of 1 at most).
 * A get or a put that finds its key moves the entry to the front (the most recent); a put
 * of a new key into a full cache evicts the back (the least recent) first.
 *
 * Failure: a put returns -1 and leaves the cache exactly as it was (the same entries, the
 * same values, the same order): errno EINVAL for a key longer than LRU_KEY_MAX (nothing
 * allocated), ENOMEM when the textbook way cannot allocate. The textbook put allocates all
 * it needs before it evicts: evicting first, a failed put would lose an entry. */
#ifndef LRU_H
#define LRU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LRU_KEY_MAX 31          /* the longest key, in bytes, its NUL not counted */
#define LRU_CAP_MAX (1u << 30)  /* the largest capacity: indexes fit an int32_t */

/* What lrut_walk and lrui_walk call for each entry, most recent first. */
typedef void lru_visit_fn(void *ctx, const char *key, uint64_t val);

/* What a cache counted since its init: gets that found their key and gets that did not,
 * puts that replaced a value, puts of a new key, and the entries those evicted. */
struct lru_counts {
    uint64_t hits, misses, updates, inserts, evictions;
};

/* ---- the textbook way: a hash node, a list node and a key copy per entry ---- */

struct lrut_list; /* a list node: prev, next, its hash node, the value */

struct lrut_hnode {
    struct lrut_hnode *next; /* the next node in the bucket's chain */
    char *key;               /* a malloc'd copy of the key */
    struct lrut_list *item;  /* its list node, malloc'd apart */
};

struct lrut_list {
    struct lrut_list *prev, *next; /* toward the front (more recent), toward the back */
    struct lrut_hnode *node;       /* the hash node that owns it */
    uint64_t val;
};

struct lrut {
    struct lrut_hnode **buckets; /* nbuckets chain heads, one calloc */
    size_t nbuckets, cap, len;
    struct lrut_list *front, *back; /* most and least recently used; NULL when empty */
    struct lru_counts n;
};

/* An empty cache of cap entries (1 to LRU_CAP_MAX): one calloc of the buckets. 0, or -1
 * (EINVAL, ENOMEM) with *c untouched. */
int lrut_init(struct lrut *c, size_t cap);

/* Copy key's value into *val (if val is not NULL) and move it to the front: true; false
 * when key is absent (a key too long is always absent). Never allocates. */
bool lrut_get(struct lrut *c, const char *key, uint64_t *val);

/* Set key's value. A present key: its value replaced and moved to the front, no
 * allocation. A new key: 3 mallocs (hash node, list node, strlen(key) + 1 for the copy),
 * then, when the cache is full, the back entry's 3 blocks freed. 0, or -1 (EINVAL: key
 * longer than LRU_KEY_MAX; ENOMEM) with the cache as it was. */
int lrut_put(struct lrut *c, const char *key, uint64_t val);

/* Evict the back (least recent) entry, freeing its 3 blocks: true; false when empty. */
bool lrut_evict(struct lrut *c);

/* Call fn for each entry from the front to the back; returns how many. Never allocates. */
size_t lrut_walk(const struct lrut *c, lru_visit_fn *fn, void *ctx);

/* Free every entry and the buckets. lrut_free(NULL) does nothing. */
void lrut_free(struct lrut *c);

/* ---- the intrusive way: one array of entries, indexes for links ---- */

struct lrui_entry {
    int32_t chain;      /* the next entry in the bucket's chain, -1 at its end */
    int32_t prev, next; /* toward the front, toward the back; -1 at the ends */
    uint32_t hash;      /* the key's hash, kept to unlink it from its chain at eviction */
    uint64_t val;
    char key[LRU_KEY_MAX + 1]; /* the key, inline */
};

struct lrui {
    struct lrui_entry *entries; /* cap entries, then the buckets: one malloc */
    int32_t *buckets;           /* nbuckets chain heads (entry indexes, -1: empty) */
    size_t nbuckets, cap, len;  /* entries[0 .. len) are in use */
    int32_t front, back;        /* most and least recently used; -1 when empty */
    struct lru_counts n;
};

/* An empty cache of cap entries (1 to LRU_CAP_MAX): one malloc of cap entries and the
 * buckets together. 0, or -1 (EINVAL, ENOMEM) with *c untouched. */
int lrui_init(struct lrui *c, size_t cap);

/* As lrut_get. Never allocates. */
bool lrui_get(struct lrui *c, const char *key, uint64_t *val);

/* As lrut_put, and never allocates: a new key takes the next unused entry, or, when the
 * cache is full, the back entry's, unlinked from its chain and its place and reused.
 * 0, or -1 (EINVAL: key longer than LRU_KEY_MAX) with the cache as it was. */
int lrui_put(struct lrui *c, const char *key, uint64_t val);

/* As lrut_walk. */
size_t lrui_walk(const struct lrui *c, lru_visit_fn *fn, void *ctx);

/* Free the array. lrui_free(NULL) does nothing. */
void lrui_free(struct lrui *c);

/* ---- what both ways share ---- */

/* The buckets a cache of cap entries has: the smallest power of two >= cap. */
size_t lru_buckets_for(size_t cap);

#endif
