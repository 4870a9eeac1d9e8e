/* inctab: maptab.h's table grown incrementally. The same uint64_t keys and values, the same
 * 16-byte slots (struct maptab_slot), hash (maptab_hash), linear probing and growth rule
 * (maptab_slots_for: twice the slots when the next key would pass 3/4 of them), key 0 in
 * the handle; what changes is when the keys move. maptab moves every key in the put that
 * grows it; inctab allocates the new array in that put (one calloc, as maptab does) and
 * then empties the old one INCTAB_MOVE_PER_PUT slots a put, Redis's dict rehashing a few
 * buckets per operation, so no put moves more than INCTAB_MOVE_PER_PUT keys.
 *
 *   struct inctab t = INCTAB_INIT;        // no allocation; grows as keys come
 *   inctab_init(&t, 100000);              // or: one allocation, room for 100,000 keys
 *   inctab_put(&t, key, value);           // moves at most INCTAB_MOVE_PER_PUT keys
 *   inctab_get(&t, key, &value);          // both arrays while a migration is under way
 *   inctab_free(&t);
 *
 * The migration: old slots below `next` are moved; each put, whatever its key (key 0, a
 * key held already, a new one), moves the keys of old slots next .. next + STEP - 1 into
 * the new array and frees the old array after its last slot. A new key goes into the new
 * array; a key still in the old one has its value set there (it moves with it later).
 * A get, and a put's lookup, read the new array and then the old one's slots from `next`
 * on, never the moved ones: a key at old slot j >= next has every slot on its probe path
 * from its first slot to j taken since the migration began (nothing is put into or taken
 * out of the old array), and the moved part of that path is stepped over.
 *
 * Why a growth never comes while a migration is under way: a growth from c slots to 2c
 * comes at the put that would make count pass 3/4 c, so the next one comes when count would
 * pass 3/4 of 2c, after 3/4 c more new keys at the least, each one a put. Those puts,
 * the growth's own first, move 3/4 c * STEP old slots >= c when STEP >= 4/3: a STEP of 2
 * would do. INCTAB_MOVE_PER_PUT is 8, so a migration ends c / 8 puts after its growth, a
 * sixth of the way to the next one, and the old array is not held longer than that.
 *
 * Costs, the same as maptab's (the tests work them out): grown from empty, one allocation
 * per size from MAPTAB_MIN_SLOTS to cap, 16 * (2 * cap - MAPTAB_MIN_SLOTS) bytes in all,
 * peak 16 * (cap + cap / 2) (both arrays); with a hint, one array. The keys moved in all
 * are maptab's too (each key of an old array, once); the most by one put is at most
 * INCTAB_MOVE_PER_PUT, where maptab's is the whole of its last old array's keys. But the
 * old array lives on after the growth's put, for c / STEP puts.
 *
 * No delete: maptab's backward shift could move a key of the old array into a slot already
 * moved, where the migration would never find it, and a tombstone would be counted by
 * the growth rule. A table that must delete finishes its migration first (or is maptab).
 *
 * Failure: inctab_init and inctab_put return -1 with errno ENOMEM when the array cannot
 * be allocated (EINVAL for a hint too large to size); no migration is under way at a
 * growth (above), so the table is then exactly as it was, and usable. */
#ifndef INCTAB_H
#define INCTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "maptab.h"

#define INCTAB_MOVE_PER_PUT 8 /* old slots each put moves into the new array (>= 2: above) */

struct inctab {
    struct maptab_slot *slots; /* cap slots, where new keys go; NULL before the first key */
    size_t cap;                /* 0, or a power of two >= MAPTAB_MIN_SLOTS */
    struct maptab_slot *old;   /* the array being emptied, old_cap slots; NULL when none */
    size_t old_cap;
    size_t next;               /* old slots below next are moved, never read again */
    size_t count;              /* keys held, in either array, key 0 included */
    bool has_zero;             /* key 0 is held, its value in zero_val */
    uint64_t zero_val;
    uint64_t moved;            /* keys moved into a new array, in all */
    uint64_t most_moved;       /* the most keys one put moved */
    uint64_t growths;          /* arrays replaced by one of twice the slots */
};

#define INCTAB_INIT {NULL, 0, NULL, 0, 0, 0, false, 0, 0, 0, 0}

/* Make *t an empty table with room for hint keys: one array of maptab_slots_for(hint)
 * slots, so the first hint puts never grow it; hint 0 allocates nothing (INCTAB_INIT).
 * 0, or -1 (ENOMEM, or EINVAL for a hint too large) with *t left as it was. */
int inctab_init(struct inctab *t, size_t hint);

/* Set key's value, adding the key if it is new; then move the next INCTAB_MOVE_PER_PUT
 * old slots' keys, if a migration is under way, freeing the old array after its last.
 * Allocates only when a new key would pass 3/4 of the slots (the first key of an empty
 * table: MAPTAB_MIN_SLOTS slots); frees only the old array. 0, or -1 with errno ENOMEM
 * and the table exactly as it was. */
int inctab_put(struct inctab *t, uint64_t key, uint64_t val);

/* Whether key is held; its value into *val (if val is not NULL). Never allocates. */
bool inctab_get(const struct inctab *t, uint64_t key, uint64_t *val);

/* Whether a migration is under way: an old array still holds keys to move. */
bool inctab_migrating(const struct inctab *t);

/* Free both arrays; t is INCTAB_INIT again. inctab_free(NULL) does nothing. */
void inctab_free(struct inctab *t);

/* maptab_fill's job for this table: keys maptab_key(1..n), each put with value i. 0, or
 * -1 (ENOMEM) with the keys put before the failure kept. */
int inctab_fill(struct inctab *t, size_t n);

#endif
