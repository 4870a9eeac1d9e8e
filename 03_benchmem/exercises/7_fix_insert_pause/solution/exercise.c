/* exercise.c: the store grown incrementally. The put that grows allocates the new array
 * and keeps the old one; it and each put after it move the keys of STORE_MOVE_PER_PUT
 * more old slots, and the put that moves the last one frees it. No growth can come before
 * then: a growth from c slots comes at 3/4 c keys, the next one 3/4 c new keys later at the
 * least, and those puts move 3/4 c * 8 >= c slots (2 a put would do). A key still in the
 * old array is set there, and moves with its new value; store_get reads the new array,
 * then the old one (a moved key's copy there is never reached: the new array has it). */
#include "exercise.h"

#include <stdlib.h>

/* A 64-bit mix (splitmix64's finaliser): neighbouring keys land far apart. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* The slot of slots[cap] that holds key, or the free slot where it would go. */
static size_t slot_of(const struct store_slot *slots, size_t cap, uint64_t key)
{
    size_t i = (size_t)mix(key) & (cap - 1);

    while (slots[i].key != 0 && slots[i].key != key)
        i = (i + 1) & (cap - 1);
    return i;
}

/* This put's share of the migration: the next STORE_MOVE_PER_PUT old slots' keys moved,
 * the old array freed after its last slot. */
static void migrate(struct store *s)
{
    if (s->old == NULL)
        return;
    for (int k = 0; k < STORE_MOVE_PER_PUT && s->next < s->old_cap; k++, s->next++)
        if (s->old[s->next].key != 0)
            s->slots[slot_of(s->slots, s->cap, s->old[s->next].key)] = s->old[s->next];
    if (s->next == s->old_cap) {
        free(s->old);
        s->old = NULL;
        s->old_cap = s->next = 0;
    }
}

int store_put(struct store *s, uint64_t key, uint64_t val)
{
    size_t i;

    if (s->cap > 0) {
        i = slot_of(s->slots, s->cap, key);
        if (s->slots[i].key == key) {
            s->slots[i].val = val;
            migrate(s);
            return 0;
        }
        if (s->old != NULL) { /* not moved yet: set where it is, it moves with its value */
            i = slot_of(s->old, s->old_cap, key);
            if (s->old[i].key == key) {
                s->old[i].val = val;
                migrate(s);
                return 0;
            }
        }
    }
    if (s->cap == 0 || (s->count + 1) * 4 > s->cap * 3) { /* grow: no migration under way */
        size_t cap = s->cap == 0 ? STORE_MIN_SLOTS : 2 * s->cap;
        struct store_slot *slots = calloc(cap, sizeof *slots);

        if (slots == NULL)
            return -1; /* nothing changed */
        s->old = s->slots; /* NULL for the first array: nothing to move */
        s->old_cap = s->cap;
        s->next = 0;
        s->slots = slots;
        s->cap = cap;
    }
    migrate(s);
    s->slots[slot_of(s->slots, s->cap, key)] = (struct store_slot){key, val};
    s->count++;
    return 0;
}

bool store_get(const struct store *s, uint64_t key, uint64_t *val)
{
    const struct store_slot *slot;

    if (s->cap == 0)
        return false;
    slot = &s->slots[slot_of(s->slots, s->cap, key)];
    if (slot->key != key && s->old != NULL)
        slot = &s->old[slot_of(s->old, s->old_cap, key)];
    if (slot->key != key)
        return false;
    if (val != NULL)
        *val = slot->val;
    return true;
}

void store_free(struct store *s)
{
    free(s->old);
    free(s->slots);
    *s = (struct store)STORE_INIT;
}
