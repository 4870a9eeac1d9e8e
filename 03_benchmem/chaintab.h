/* chaintab: a hash table by chaining, from uint64_t keys to uint64_t values, beside
 * maptab.h's open addressing: the same keys, the same hash (maptab_hash). The caller owns
 * the handle; the table owns its bucket array and one node per key.
 *
 *   struct chaintab t = CHAINTAB_INIT;    // no allocation; grows as keys come
 *   chaintab_init(&t, 100000);            // or: one bucket array for 100,000 keys
 *   chaintab_put(&t, key, value);         // a new key: one node, malloc'd
 *   chaintab_del(&t, key);                // frees that key's node
 *   chaintab_free(&t);                    // every node, then the array
 *
 * Storage: an array of buckets (8-byte node pointers), their number a power of two from
 * CHAINTAB_MIN_BUCKETS; each bucket a singly linked list of nodes (key, value, next: 24
 * bytes), one malloc each, the newest first. The table grows when the next key would make
 * count pass the number of buckets (a load of 1): a zeroed array of twice the buckets,
 * every node relinked into it (moved, not reallocated), then the old array freed.
 *
 * Costs (the tests work them out from these rules): n keys put cost n node allocations of
 * sizeof(struct chaintab_node) bytes, plus the arrays: grown from empty, 1 +
 * log2(b / CHAINTAB_MIN_BUCKETS) of 8 * (2 * b - CHAINTAB_MIN_BUCKETS) bytes in all; made
 * with a hint of n, 1 of 8 * b bytes; b = chaintab_buckets_for(n) both ways. A key put
 * again allocates nothing; a delete frees its node, never the array.
 *
 * Failure: chaintab_init and chaintab_put return -1 with errno ENOMEM when a node or an
 * array cannot be allocated (EINVAL for a hint too large to size), having freed what they
 * took, and the table is exactly as it was. */
#ifndef CHAINTAB_H
#define CHAINTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHAINTAB_MIN_BUCKETS 8 /* the first array's buckets; a power of two */

struct chaintab_node {
    uint64_t key;
    uint64_t val;
    struct chaintab_node *next; /* the bucket's next node, NULL at its end */
};

struct chaintab {
    struct chaintab_node **buckets; /* nbuckets heads, one calloc; NULL before the first key */
    size_t nbuckets;                /* 0, or a power of two >= CHAINTAB_MIN_BUCKETS */
    size_t count;                   /* keys held: nodes */
};

#define CHAINTAB_INIT {NULL, 0, 0}

/* The buckets a table holding n keys has: 0 for none, else the smallest power of two from
 * CHAINTAB_MIN_BUCKETS with n <= it (the growth rule above); 0 when n is too large for any
 * array. */
size_t chaintab_buckets_for(size_t n);

/* Make *t an empty table with buckets for hint keys: one array of chaintab_buckets_for(hint)
 * heads, so the first hint puts never grow it; hint 0 allocates nothing (CHAINTAB_INIT).
 * 0, or -1 (ENOMEM, or EINVAL for a hint too large) with *t left as it was. */
int chaintab_init(struct chaintab *t, size_t hint);

/* Set key's value, adding the key if it is new: a new key is one node allocation, and one
 * more for the array when it would pass 1 key per bucket (the first key of an empty table:
 * CHAINTAB_MIN_BUCKETS buckets). 0, or -1 with errno ENOMEM and the table unchanged. */
int chaintab_put(struct chaintab *t, uint64_t key, uint64_t val);

/* Whether key is held; its value into *val (if val is not NULL). Never allocates. */
bool chaintab_get(const struct chaintab *t, uint64_t key, uint64_t *val);

/* Remove key; whether it was held. Frees its node (1 free); never allocates, never
 * shrinks the array. */
bool chaintab_del(struct chaintab *t, uint64_t key);

/* The nodes a lookup of key visits, the key's own included (0 when its bucket is empty or
 * the table has no array). The lookup also reads the bucket's head. Never allocates. */
size_t chaintab_probes(const struct chaintab *t, uint64_t key);

/* Free every node and the array; t is CHAINTAB_INIT again. chaintab_free(NULL) does
 * nothing. */
void chaintab_free(struct chaintab *t);

/* maptab_fill's job for this table: keys maptab_key(1) .. maptab_key(n), the i-th with
 * value i, into *t as it is (empty: grown; chaintab_init'ed: hinted). 0, or -1 (ENOMEM)
 * with the keys put before the failure kept. */
int chaintab_fill(struct chaintab *t, size_t n);

#endif
