/* Fix a session cache that never gives memory back: 100,000 sessions come, 99,000 expire,
 * and it still holds the array it grew for 100,000.
 *
 * cache_expire removes sessions with maptab_del, which frees nothing (the README's
 * "Deleting keys does not shrink a map"). TODO: shrink the table when fewer than
 * 1/CACHE_SHRINK_BELOW of its slots hold a session, and only then; a shrink that cannot
 * allocate must lose no session, and the expire still succeeds (exercise.h). */
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
    return removed;
}

void cache_free(struct cache *c)
{
    maptab_free(&c->tab);
}
