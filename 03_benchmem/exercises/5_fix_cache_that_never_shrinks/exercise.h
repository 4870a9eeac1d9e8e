/* exercise.h: lesson 03, fix: a session cache whose array never shrinks. The handle lives
 * where the caller puts it (struct cache c = CACHE_INIT;); the cache owns its table, a
 * struct maptab (maptab.h) from session id to the time the session expires. Out of
 * memory: cache_add returns -1 with the cache as it was; cache_expire never fails.
 *
 * The budget: after removing the expired sessions, cache_expire shrinks the table with
 * maptab_shrink when fewer than 1/CACHE_SHRINK_BELOW of its slots hold a session, and
 * only then. 100,000 sessions of which 1,000 outlive an expire are left in an array of
 * maptab_slots_for(1,000) slots: 1 allocation of 16 bytes a slot and 1 free, in that
 * expire. When that allocation fails, the expire still succeeds: the expired sessions are
 * gone, every other one is kept, so is the big array, and the next expire tries again. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "maptab.h"

#define CACHE_SHRINK_BELOW 8 /* shrink when tab.count < tab.cap / 8 */

struct cache {
    struct maptab tab; /* session id -> the time it expires at */
};

#define CACHE_INIT {MAPTAB_INIT}

/* Hold session id (any value, 0 included) until time `expires`; an id held already gets
 * the new time. 0, or -1 (ENOMEM) with the cache as it was. */
int cache_add(struct cache *c, uint64_t id, uint64_t expires);

/* Whether session id is held. Never allocates. */
bool cache_has(const struct cache *c, uint64_t id);

/* Remove every session whose time is <= now and return how many; then shrink as the
 * budget says. Never fails: a shrink that cannot allocate leaves the table as it was. */
size_t cache_expire(struct cache *c, uint64_t now);

/* Free the table; c is empty (CACHE_INIT) afterwards. */
void cache_free(struct cache *c);

#endif
