/* inctab.c: maptab's table with its growth spread over the puts that follow it (inctab.h). */
#include "inctab.h"

#include <errno.h>
#include <stdlib.h>

/* The slot of slots[cap] that holds key, or the free slot where it would go: maptab.c's
 * linear probe. cap > 0, key != 0, and the array has a free slot. */
static size_t slot_of(const struct maptab_slot *slots, size_t cap, uint64_t key)
{
    size_t i = (size_t)maptab_hash(key) & (cap - 1);

    while (slots[i].key != 0 && slots[i].key != key)
        i = (i + 1) & (cap - 1);
    return i;
}

/* The old array's slot that holds key, or old_cap when it holds it no more (or never did):
 * the probe of slot_of over the slots from next on, the moved ones stepped over (inctab.h
 * says why that finds every key not moved yet); at most old_cap - next slots read. */
static size_t old_slot_of(const struct inctab *t, uint64_t key)
{
    size_t mask = t->old_cap - 1, i = (size_t)maptab_hash(key) & mask;

    for (size_t left = t->old_cap - t->next; left > 0; left--) {
        if (i < t->next)
            i = t->next;
        if (t->old[i].key == 0)
            break;
        if (t->old[i].key == key)
            return i;
        i = (i + 1) & mask;
    }
    return t->old_cap;
}

/* One put's share of the migration: the keys of the next INCTAB_MOVE_PER_PUT old slots
 * into the new array, then the old array freed once its last slot is moved. */
static void migrate_step(struct inctab *t)
{
    uint64_t moved = 0;

    if (t->old == NULL)
        return;
    for (int k = 0; k < INCTAB_MOVE_PER_PUT && t->next < t->old_cap; k++, t->next++) {
        struct maptab_slot s = t->old[t->next];

        if (s.key != 0) { /* not in the new array: a put of a key still here sets it here */
            t->slots[slot_of(t->slots, t->cap, s.key)] = s;
            moved++;
        }
    }
    t->moved += moved;
    if (moved > t->most_moved)
        t->most_moved = moved;
    if (t->next == t->old_cap) {
        free(t->old);
        t->old = NULL;
        t->old_cap = 0;
        t->next = 0;
    }
}

int inctab_init(struct inctab *t, size_t hint)
{
    struct inctab n = INCTAB_INIT;

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

int inctab_put(struct inctab *t, uint64_t key, uint64_t val)
{
    size_t i, want;

    if (key == 0) {
        t->count += !t->has_zero;
        t->has_zero = true;
        t->zero_val = val;
        migrate_step(t);
        return 0;
    }
    if (t->cap > 0) { /* a key held already: its value set where it is, no allocation */
        i = slot_of(t->slots, t->cap, key);
        if (t->slots[i].key == key) {
            t->slots[i].val = val;
            migrate_step(t);
            return 0;
        }
        if (t->old != NULL && (i = old_slot_of(t, key)) < t->old_cap) {
            t->old[i].val = val;
            migrate_step(t);
            return 0;
        }
    }
    want = maptab_slots_for(t->count + 1);
    if (want == 0) {
        errno = ENOMEM;
        return -1;
    }
    if (want > t->cap) { /* grow: no migration is under way here (inctab.h says why) */
        struct maptab_slot *slots = calloc(want, sizeof *slots);

        if (slots == NULL)
            return -1; /* nothing changed */
        if (t->cap > 0) { /* the old array stays, to be emptied a step a put from this one */
            t->old = t->slots;
            t->old_cap = t->cap;
            t->next = 0;
            t->growths++;
        }
        t->slots = slots;
        t->cap = want;
    }
    migrate_step(t);
    t->slots[slot_of(t->slots, t->cap, key)] = (struct maptab_slot){key, val};
    t->count++;
    return 0;
}

bool inctab_get(const struct inctab *t, uint64_t key, uint64_t *val)
{
    const struct maptab_slot *s;
    size_t i;

    if (key == 0) {
        if (t->has_zero && val != NULL)
            *val = t->zero_val;
        return t->has_zero;
    }
    if (t->cap == 0)
        return false;
    s = &t->slots[slot_of(t->slots, t->cap, key)];
    if (s->key != key) {
        if (t->old == NULL || (i = old_slot_of(t, key)) == t->old_cap)
            return false;
        s = &t->old[i];
    }
    if (val != NULL)
        *val = s->val;
    return true;
}

bool inctab_migrating(const struct inctab *t)
{
    return t->old != NULL;
}

void inctab_free(struct inctab *t)
{
    if (t == NULL)
        return;
    free(t->old);
    free(t->slots);
    *t = (struct inctab)INCTAB_INIT;
}

int inctab_fill(struct inctab *t, size_t n)
{
    for (size_t i = 1; i <= n; i++)
        if (inctab_put(t, maptab_key(i), i) != 0)
            return -1;
    return 0;
}
