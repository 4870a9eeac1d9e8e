/* maptab: an open-addressed hash table from uint64_t keys to uint64_t values, built two
 * ways: grown by doubling from its smallest size, or made at its final size from a hint
 * (Go's make(map[K]V, n)). The caller owns the handle; the table owns its slot array.
 *
 *   struct maptab t = MAPTAB_INIT;        // no allocation; grows as keys come
 *   maptab_init(&t, 100000);              // or: one allocation, room for 100,000 keys
 *   maptab_put(&t, key, value);           // a new array only when the table must grow
 *   maptab_del(&t, key);                  // never allocates, never shrinks the array
 *   maptab_shrink(&t);                    // one array sized for the keys left
 *   maptab_free(&t);
 *
 * Storage: one array of cap slots (16 bytes each: key, value), cap a power of two from
 * MAPTAB_MIN_SLOTS, probed linearly. A slot whose key is 0 is free; key 0 itself is kept in
 * the handle, beside the array. The table grows when the next key would make count pass
 * 3/4 of cap: a zeroed array of twice the slots, every key moved, then the old array freed.
 * So while it grows, the old array and the new one are live together: the peak.
 *
 * Costs (the tests work them out from these rules): a table grown from empty to n keys
 * makes 1 + log2(cap / MAPTAB_MIN_SLOTS) allocations of 16 * (2 * cap - MAPTAB_MIN_SLOTS)
 * bytes in all, peak 16 * (cap + cap / 2); made with a hint of n, 1 allocation of 16 * cap
 * bytes, peak the same; cap = maptab_slots_for(n) both ways.
 *
 * Deleting: backward shift, no tombstones. Linear probing allows it: the keys after the
 * deleted one in its run move back into the gap when their first slot is not between the
 * gap and where they sit. So every slot holds a key or is free, the growth rule counts
 * keys alone, and a lookup stops at the first free slot (a tombstone would be stepped
 * over like a key, and counted by the growth rule until the next rehash). Either way the
 * array keeps its size: only maptab_shrink makes a smaller one, 1 allocation of
 * 16 * maptab_slots_for(count) bytes and 1 free.
 *
 * Failure: maptab_init, maptab_put and maptab_shrink return -1 with errno ENOMEM when the
 * array cannot be allocated (EINVAL for a hint too large to size), and the table is
 * exactly as it was: its array, its keys, still usable.
 *
 * Counters: moved adds up the keys every growth and shrink moved into a new array, and
 * most_moved is the most one call moved: the whole of its old array's keys, all in that
 * one put (inctab.h moves them a few a put instead). maptab_init sets both to 0. */
#ifndef MAPTAB_H
#define MAPTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAPTAB_MIN_SLOTS 8 /* the first array's slots; a power of two */

struct maptab_slot {
    uint64_t key; /* 0: free */
    uint64_t val;
};

struct maptab {
    struct maptab_slot *slots; /* cap slots, one calloc; NULL before the first key */
    size_t cap;                /* 0, or a power of two >= MAPTAB_MIN_SLOTS */
    size_t count;              /* keys held, key 0 included */
    bool has_zero;             /* key 0 is held, its value in zero_val */
    uint64_t zero_val;
    uint64_t moved;            /* keys moved into a new array, by every growth and shrink */
    uint64_t most_moved;       /* the most keys one put (or shrink) moved */
};

#define MAPTAB_INIT {NULL, 0, 0, false, 0, 0, 0}

/* The slots a table holding n keys has: 0 for none, else the smallest power of two from
 * MAPTAB_MIN_SLOTS with n <= 3/4 of it (the growth rule above); 0 when n is too large for
 * any array. */
size_t maptab_slots_for(size_t n);

/* Make *t an empty table with room for hint keys: one array of maptab_slots_for(hint)
 * slots, so the first hint puts never grow it; hint 0 allocates nothing (MAPTAB_INIT).
 * 0, or -1 (ENOMEM, or EINVAL for a hint too large) with *t left as it was. */
int maptab_init(struct maptab *t, size_t hint);

/* Set key's value, adding the key if it is new. Allocates only when a new key would pass
 * 3/4 of the slots (the first key of an empty table: MAPTAB_MIN_SLOTS slots). 0, or -1
 * with errno ENOMEM and the table unchanged. */
int maptab_put(struct maptab *t, uint64_t key, uint64_t val);

/* Whether key is held; its value into *val (if val is not NULL). Never allocates. */
bool maptab_get(const struct maptab *t, uint64_t key, uint64_t *val);

/* Remove key; whether it was held. Never allocates and never frees: the array keeps its
 * size however few keys are left (maptab_shrink gives it back). */
bool maptab_del(struct maptab *t, uint64_t key);

/* Move every key into one new array of maptab_slots_for(t->count) slots and free the old
 * one: 1 allocation and 1 free when that is fewer slots than the table has, nothing when
 * it is not; no keys left, the array freed and nothing allocated. 0, or -1 with errno
 * ENOMEM and the table exactly as it was. */
int maptab_shrink(struct maptab *t);

/* The slots a lookup of key reads, the last one included (the key's, or the free slot that
 * says it is not held); 0 for key 0 or a table without an array. Never allocates. */
size_t maptab_probes(const struct maptab *t, uint64_t key);

/* Free the array; t is MAPTAB_INIT again. maptab_free(NULL) does nothing. */
void maptab_free(struct maptab *t);

/* The demo's, the benchmarks' and the tests' job: keys 1..n (the i-th key mixed so that
 * the keys are spread over the slots, none of them 0), each put with value i, into *t as
 * it is (empty: grown; maptab_init'ed: hinted). 0, or -1 (ENOMEM) with the keys put
 * before the failure kept. */
int maptab_fill(struct maptab *t, size_t n);

/* The table's hash of key (splitmix64's finaliser): neighbouring keys land far apart; a
 * key's first slot is its low bits. chaintab.h hashes with it too. */
uint64_t maptab_hash(uint64_t key);

/* The key maptab_fill puts i-th (i from 1): distinct for distinct i, never 0. */
uint64_t maptab_key(uint64_t i);

#endif
