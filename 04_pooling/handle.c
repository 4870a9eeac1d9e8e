/* handle.c: a slot map; see handle.h. */
#include "handle.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Twice the slots in a new array, the old ones copied over, the old array freed. A malloc
 * and a copy, not realloc: a failure must leave the old array in place, and it does with
 * either, but this way a growth moves the objects every time, as the lesson says. */
static int grow(struct hmap *m)
{
    uint32_t cap = m->cap ? m->cap * 2 : HMAP_MIN_CAP;
    struct hslot *slots;

    if (m->cap >= HMAP_CAP_MAX) {
        errno = ENOMEM;
        return -1;
    }
    slots = malloc(cap * sizeof *slots);
    if (slots == NULL)
        return -1;
    if (m->len > 0)
        memcpy(slots, m->slots, m->len * sizeof *slots);
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    m->growths++;
    return 0;
}

uint64_t hmap_insert(struct hmap *m, struct hobj obj)
{
    uint32_t i;
    struct hslot *s;

    if (m->free_head != 0) {
        i = m->free_head - 1;
        s = &m->slots[i];
        m->free_head = s->next;
    } else {
        if (m->len == m->cap && grow(m) != 0)
            return 0;
        i = m->len++;
        s = &m->slots[i];
        s->gen = 0;
    }
    s->obj = obj;
    s->gen++; /* even to odd: live */
    s->next = 0;
    m->live++;
    return handle_make(i, s->gen);
}

struct hobj *hmap_get(const struct hmap *m, uint64_t h)
{
    uint32_t i = handle_index(h), gen = handle_gen(h);

    if (i >= m->len || (gen & 1) == 0 || m->slots[i].gen != gen)
        return NULL;
    return &m->slots[i].obj;
}

int hmap_remove(struct hmap *m, uint64_t h)
{
    uint32_t i = handle_index(h);
    struct hslot *s;

    if (hmap_get(m, h) == NULL) {
        errno = EINVAL;
        return -1;
    }
    s = &m->slots[i];
    m->live--;
    if (s->gen == UINT32_MAX) { /* the next generation would be 0, then 1 again: retire */
        s->gen = 0;
        m->retired++;
        return 0;
    }
    s->gen++; /* odd to even: free */
    s->next = m->free_head;
    m->free_head = i + 1;
    return 0;
}

void hmap_destroy(struct hmap *m)
{
    free(m->slots);
    *m = (struct hmap)HMAP_INIT;
}

unsigned hmap_growths_for(size_t n)
{
    unsigned g = 0;

    for (size_t cap = 0; cap < n; cap = cap ? cap * 2 : HMAP_MIN_CAP)
        g++;
    return g;
}
