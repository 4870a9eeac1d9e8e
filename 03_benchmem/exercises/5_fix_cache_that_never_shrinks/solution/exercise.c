/* exercise.c: the session cache, shrunk by its expire. Under 1/8 of the slots in use, one
 * maptab_shrink makes an array of maptab_slots_for(count) slots and frees the big one.
 * Not sooner: a shrunk table of more than MAPTAB_MIN_SLOTS slots is more than 3/8 full
 * (the growth rule), so its sessions must fall by more than two thirds before it rehashes
 * again, and an expire that removes a few costs no allocation. A shrink that cannot
 * allocate leaves the table as it was: the expire has done its work, only the memory
 * waits for the next one. */
#include "exercise.h"

int cache_add(struct cache *c, uint64_t id, uint64_t expires)
{
    return maptab_put(&c->tab, id, expires);
}

bool cache_has(const struct cache *c, uint64_t id)
{
    return maptab_get(&c->tab, id, NULL);
}

size_t cache_expire(struct cache *c, uint64_t now)
{
    struct maptab *t = &c->tab;
    size_t removed = 0;
    uint64_t expires;

    if (maptab_get(t, 0, &expires) && expires <= now) /* session 0 lives in the handle */
        removed += maptab_del(t, 0);
    for (size_t i = 0; i < t->cap;) {
        struct maptab_slot s = t->slots[i];

        if (s.key != 0 && s.val <= now) {
            maptab_del(t, s.key); /* a later key of the run may shift into slot i: look again */
            removed++;
        } else {
            i++;
        }
    }
    /* -1 (ENOMEM) leaves the table exactly as it was: nothing lost, the big array kept */
    if (t->count < t->cap / CACHE_SHRINK_BELOW)
        (void)maptab_shrink(t);
    return removed;
}

void cache_free(struct cache *c)
{
    maptab_free(&c->tab);
}
