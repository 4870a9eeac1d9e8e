/* maptab.c: the open-addressed uint64_t table of maptab.h, grown by doubling or sized
 * from a hint. */
#include "maptab.h"

#include <errno.h>
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

/* The slot that holds key, or the free slot where it would go. cap > 0, key != 0, and
 * the array has a free slot (count stays under 3/4 of cap). */
static size_t slot_of(const struct maptab_slot *slots, size_t cap, uint64_t key)
{
    size_t i = (size_t)mix(key) & (cap - 1);

    while (slots[i].key != 0 && slots[i].key != key)
        i = (i + 1) & (cap - 1);
    return i;
}

uint64_t maptab_hash(uint64_t key)
{
    return mix(key);
}

size_t maptab_slots_for(size_t n)
{
    size_t cap = MAPTAB_MIN_SLOTS;

    if (n == 0)
        return 0;
    while (n > cap / 4 * 3) {
        if (cap > SIZE_MAX / 2 / sizeof(struct maptab_slot))
            return 0; /* no array of twice the slots could be asked for */
        cap *= 2;
    }
    return cap;
}

/* A zeroed array of cap slots holding every key of t: one calloc, nothing freed. The keys
 * moved are counted in t (moved, most_moved) only once the array is had. */
static struct maptab_slot *rehash(struct maptab *t, size_t cap)
{
    struct maptab_slot *slots = calloc(cap, sizeof *slots);
    uint64_t moved = 0;

    if (slots == NULL)
        return NULL;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].key != 0) {
            slots[slot_of(slots, cap, t->slots[i].key)] = t->slots[i];
            moved++;
        }
    t->moved += moved;
    if (moved > t->most_moved)
        t->most_moved = moved;
    return slots;
}

int maptab_init(struct maptab *t, size_t hint)
{
    struct maptab n = MAPTAB_INIT;

    if (hint > 0) {
        if ((n.cap = maptab_slots_for(hint)) == 0) {
            errno = EINVAL;
            return -1;
        }
        if ((n.slots = calloc(n.cap, sizeof *n.slots)) == NULL)
            return -1;
    }
    *t = n;
    return 0;
}

int maptab_put(struct maptab *t, uint64_t key, uint64_t val)
{
    size_t i, want;

    if (key == 0) {
        t->count += !t->has_zero;
        t->has_zero = true;
        t->zero_val = val;
        return 0;
    }
    if (t->cap > 0) {
        i = slot_of(t->slots, t->cap, key);
        if (t->slots[i].key == key) {
            t->slots[i].val = val; /* a key held already: no allocation */
            return 0;
        }
    }
    want = maptab_slots_for(t->count + 1);
    if (want == 0) {
        errno = ENOMEM;
        return -1;
    }
    if (want > t->cap) { /* grow: the new array, every key moved, then the old one freed */
        struct maptab_slot *slots = rehash(t, want);

        if (slots == NULL)
            return -1; /* the old array untouched */
        free(t->slots);
        t->slots = slots;
        t->cap = want;
    }
    i = slot_of(t->slots, t->cap, key);
    t->slots[i] = (struct maptab_slot){key, val};
    t->count++;
    return 0;
}

bool maptab_get(const struct maptab *t, uint64_t key, uint64_t *val)
{
    const struct maptab_slot *s;

    if (key == 0) {
        if (t->has_zero && val != NULL)
            *val = t->zero_val;
        return t->has_zero;
    }
    if (t->cap == 0)
        return false;
    s = &t->slots[slot_of(t->slots, t->cap, key)];
    if (s->key != key)
        return false;
    if (val != NULL)
        *val = s->val;
    return true;
}

/* Whether slot i lies cyclically in (gap, j]: a key whose first slot is there cannot move
 * back to gap, or a lookup starting there would no longer reach it. */
static bool between(size_t gap, size_t i, size_t j)
{
    return gap <= j ? gap < i && i <= j : gap < i || i <= j;
}

bool maptab_del(struct maptab *t, uint64_t key)
{
    size_t gap, j, mask = t->cap - 1;

    if (key == 0) {
        if (!t->has_zero)
            return false;
        t->has_zero = false;
        t->zero_val = 0;
        t->count--;
        return true;
    }
    if (t->cap == 0)
        return false;
    gap = slot_of(t->slots, t->cap, key);
    if (t->slots[gap].key != key)
        return false;
    /* backward shift: each key of the run after the gap moves into it unless its first
     * slot is between the gap and where it sits; the run ends at a free slot */
    for (j = (gap + 1) & mask; t->slots[j].key != 0; j = (j + 1) & mask) {
        if (between(gap, (size_t)mix(t->slots[j].key) & mask, j))
            continue;
        t->slots[gap] = t->slots[j];
        gap = j;
    }
    t->slots[gap] = (struct maptab_slot){0, 0};
    t->count--;
    return true;
}

int maptab_shrink(struct maptab *t)
{
    size_t want = maptab_slots_for(t->count);
    struct maptab_slot *slots = NULL;

    if (want >= t->cap)
        return 0; /* no smaller array would do */
    if (want > 0 && (slots = rehash(t, want)) == NULL)
        return -1; /* the old array untouched */
    free(t->slots);
    t->slots = slots;
    t->cap = want;
    return 0;
}

size_t maptab_probes(const struct maptab *t, uint64_t key)
{
    size_t home, mask = t->cap - 1;

    if (key == 0 || t->cap == 0)
        return 0;
    /* the slots from the key's first one to where slot_of stops, that one included */
    home = (size_t)mix(key) & mask;
    return ((slot_of(t->slots, t->cap, key) - home) & mask) + 1;
}

void maptab_free(struct maptab *t)
{
    if (t == NULL)
        return;
    free(t->slots);
    *t = (struct maptab)MAPTAB_INIT;
}

uint64_t maptab_key(uint64_t i)
{
    /* i * an odd constant is a bijection of the 64-bit numbers, so distinct i give
     * distinct keys; i = 0 alone maps to 0, and i starts at 1 */
    return i * 0x9e3779b97f4a7c15ULL;
}

int maptab_fill(struct maptab *t, size_t n)
{
    for (size_t i = 1; i <= n; i++)
        if (maptab_put(t, maptab_key(i), i) != 0)
            return -1;
    return 0;
}
