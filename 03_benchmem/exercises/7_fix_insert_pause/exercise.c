/* Fix a store whose put grows all at once: the put that doubles the table moves every key
 * into the new array before it returns, and waits for all of them.
 *
 * store_put grows the way maptab_put does (the README's "The worst insert"). TODO: keep
 * the old array after the growth and move its keys STORE_MOVE_PER_PUT at most per put,
 * from this put on, freeing it once empty; store_get looks in both arrays meanwhile. A
 * growth must still be one calloc, and a failed one must change nothing (exercise.h). */
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

int store_put(struct store *s, uint64_t key, uint64_t val)
{
    size_t i;

    if (s->cap > 0) {
        i = slot_of(s->slots, s->cap, key);
        if (s->slots[i].key == key) {
            s->slots[i].val = val;
            return 0;
        }
    }
    if (s->cap == 0 || (s->count + 1) * 4 > s->cap * 3) { /* grow: every key moved now */
        size_t cap = s->cap == 0 ? STORE_MIN_SLOTS : 2 * s->cap;
        struct store_slot *slots = calloc(cap, sizeof *slots);

        if (slots == NULL)
            return -1;
        for (size_t j = 0; j < s->cap; j++)
            if (s->slots[j].key != 0)
                slots[slot_of(slots, cap, s->slots[j].key)] = s->slots[j];
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
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
