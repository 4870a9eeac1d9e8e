/* exercise.h: lesson 03, fix: a store whose put grows all at once. The handle lives where
 * the caller puts it (struct store s = STORE_INIT;); the store owns its arrays. An
 * open-addressed table from uint64_t keys (never 0: a slot whose key is 0 is free) to
 * uint64_t values: a power of two of 16-byte slots from STORE_MIN_SLOTS, probed linearly,
 * grown to twice the slots when the next key would make count pass 3/4 of them (the
 * README's maptab.h, without key 0 and without deletes).
 *
 * The budget: a growth is one calloc of twice the slots, in the put that needs it, as now;
 * but no put moves more than STORE_MOVE_PER_PUT keys out of an old array. So the put that
 * grows keeps the old array in old (old_cap slots), and it and each put after it move the
 * keys of a few more old slots (those below next are done) into slots, until the old array
 * is empty and freed: 1 free per growth, by then. Meanwhile store_get finds a key in either
 * array. Out of memory: store_put returns -1 and the store is exactly as it was. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_MIN_SLOTS 8    /* the first array's slots */
#define STORE_MOVE_PER_PUT 8 /* the most keys one put may move out of an old array */

struct store_slot {
    uint64_t key; /* 0: free */
    uint64_t val;
};

struct store {
    struct store_slot *slots; /* cap slots: where new keys go; NULL before the first key */
    size_t cap;
    struct store_slot *old; /* the array being emptied (old_cap slots), NULL when none */
    size_t old_cap;
    size_t next;  /* the old slots below next are moved */
    size_t count; /* keys held, in either array */
};

#define STORE_INIT {NULL, 0, NULL, 0, 0, 0}

/* Set key's value (key != 0), adding it if it is new. 0, or -1 (ENOMEM) with the store
 * exactly as it was. */
int store_put(struct store *s, uint64_t key, uint64_t val);

/* Whether key is held, in either array; its value into *val (if not NULL). */
bool store_get(const struct store *s, uint64_t key, uint64_t *val);

/* Free both arrays; s is STORE_INIT afterwards. */
void store_free(struct store *s);

#endif
