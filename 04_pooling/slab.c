/* slab.c: see slab.h. A slab's header sits at its start; its objects follow, handed out
 * first from the slab's free list, then from the part never used (so a new slab touches
 * only the bytes it hands out).
 *
 * For the tools (MEMDEBUG): the pool is a mempool named by its struct slab_pool, each
 * object handed out a chunk of it, open for the pool's object size; everything past a
 * slab's header is shut otherwise, a free object's link included, except while this file
 * reads or writes it. The headers stay open. */
#include "slab.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct slab {
    struct slab *next, *prev; /* on its pool's partial or full list */
    struct slab_pool *pool;   /* the pool it belongs to: slab_free needs no argument */
    void *free;               /* freed objects of this slab, linked through their first word */
    uint32_t used;            /* objects handed out and not freed */
    uint32_t carved;          /* objects ever handed out: the rest lie unused after them */
};

#define HEADER ((sizeof(struct slab) + 15) & ~(size_t)15)
const size_t slab_header_bytes = HEADER;

static struct slab *slab_of(const void *obj)
{
    return (struct slab *)((uintptr_t)obj & ~(uintptr_t)(SLAB_BYTES - 1));
}

static void push(struct slab **list, struct slab *s)
{
    s->prev = NULL;
    s->next = *list;
    if (*list != NULL)
        (*list)->prev = s;
    *list = s;
}

/* The free object at the head of s's list, taken off it (its link read, then shut). */
static void *pop_free(struct slab *s)
{
    void *obj = s->free;

    MEMDEBUG_DEFINED(obj, sizeof(void *));
    s->free = *(void **)obj;
    MEMDEBUG_NOACCESS(obj, sizeof(void *));
    return obj;
}

/* obj, taken back, on top of s's free list (its link written, then shut). */
static void push_free(struct slab *s, void *obj)
{
    MEMDEBUG_UNDEFINED(obj, sizeof(void *));
    *(void **)obj = s->free;
    MEMDEBUG_NOACCESS(obj, sizeof(void *));
    s->free = obj;
}

/* Give s back to malloc, whose memory it is again: open to the tools first. */
static void free_slab(struct slab *s)
{
    MEMDEBUG_UNDEFINED((char *)s + HEADER, SLAB_BYTES - HEADER);
    free(s);
}

static void unlink_from(struct slab **list, struct slab *s)
{
    if (s->prev != NULL)
        s->prev->next = s->next;
    else
        *list = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
}

int slab_init(struct slab_pool *p, size_t size)
{
    *p = (struct slab_pool){0};
    if (size == 0 || size > SLAB_BYTES - HEADER) {
        errno = EINVAL;
        return -1;
    }
    p->size = (size + 7) & ~(size_t)7; /* room for the free list's link, 8-byte aligned */
    p->per_slab = (SLAB_BYTES - HEADER) / p->size;
    MEMDEBUG_POOL_CREATE(p);
    return 0;
}

void *slab_alloc(struct slab_pool *p)
{
    struct slab *s = p->partial;
    void *obj;

    if (s == NULL) {
        s = aligned_alloc(SLAB_BYTES, SLAB_BYTES); /* one allocation per slab */
        if (s == NULL)
            return NULL;
        *s = (struct slab){.pool = p};
        MEMDEBUG_NOACCESS((char *)s + HEADER, SLAB_BYTES - HEADER); /* no object out yet */
        push(&p->partial, s);
        p->slabs++;
        p->made++;
    }
    if (s->free != NULL)
        obj = pop_free(s);
    else
        obj = (char *)s + HEADER + (size_t)s->carved++ * p->size;
    MEMDEBUG_POOL_ALLOC(p, obj, p->size);
    if (++s->used == p->per_slab) { /* full: off the list slab_alloc looks at */
        unlink_from(&p->partial, s);
        push(&p->full, s);
    }
    p->live++;
    return obj;
}

void slab_free(void *obj)
{
    struct slab *s;
    struct slab_pool *p;

    if (obj == NULL)
        return;
    s = slab_of(obj);
    p = s->pool;
    if (s->used == p->per_slab) { /* full until now: it has a free object again */
        unlink_from(&p->full, s);
        push(&p->partial, s);
    }
    MEMDEBUG_POOL_FREE(p, obj, p->size);
    push_free(s, obj);
    p->live--;
    if (--s->used == 0) { /* its last object: the slab goes back to malloc */
        unlink_from(&p->partial, s);
        free_slab(s);
        p->slabs--;
        p->freed++;
    }
}

static void free_list(struct slab *s)
{
    while (s != NULL) {
        struct slab *next = s->next;
        free_slab(s);
        s = next;
    }
}

void slab_destroy(struct slab_pool *p)
{
    MEMDEBUG_POOL_DESTROY(p); /* the objects still out are forgotten with it */
    free_list(p->partial);
    free_list(p->full);
    p->freed += p->slabs;
    p->partial = p->full = NULL;
    p->slabs = 0;
    p->live = 0;
}

/* ---- the experiment ---- */

static void put_index(void *obj, uint64_t i, size_t size)
{
    memset(obj, (int)(i & 0xff), size);
    memcpy(obj, &i, sizeof i < size ? sizeof i : size);
}

int slab_fill_split(struct slab_pool *keep, struct slab_pool *temp, void **obj, uint64_t n,
                    uint64_t k)
{
    if (k == 0) {
        errno = EINVAL;
        return -1;
    }
    for (uint64_t i = 0; i < n; i++) {
        struct slab_pool *p = i % k == 0 ? keep : temp;

        obj[i] = slab_alloc(p);
        if (obj[i] == NULL) {
            while (i-- > 0)
                slab_free(obj[i]);
            errno = ENOMEM;
            return -1;
        }
        put_index(obj[i], i, p->size);
    }
    return 0;
}

int slab_fill(struct slab_pool *p, void **obj, uint64_t n)
{
    return slab_fill_split(p, p, obj, n, 1);
}

void slab_drop(void **obj, uint64_t n, uint64_t k)
{
    for (uint64_t i = 0; i < n; i++)
        if (i % k != 0)
            slab_free(obj[i]);
}

void slab_drop_survivors(void **obj, uint64_t n, uint64_t k)
{
    for (uint64_t i = 0; i < n; i += k)
        slab_free(obj[i]);
}

int slab_survivors_intact(void *const *obj, uint64_t n, uint64_t k)
{
    for (uint64_t i = 0; i < n; i += k) {
        uint64_t v;

        memcpy(&v, obj[i], sizeof v);
        if (v != i)
            return 0;
    }
    return 1;
}

/* ---- glibc's malloc, the same pattern ---- */

/* Pages resident in [lo, lo + pages * page), by mincore, a window at a time; a page no
 * longer mapped (the heap shrank) is not resident. */
static uint64_t resident_pages(uintptr_t lo, uint64_t pages)
{
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    unsigned char vec[512];
    uint64_t got = 0;

    for (uint64_t at = 0; at < pages; at += sizeof vec) {
        uint64_t w = pages - at < sizeof vec ? pages - at : sizeof vec;
        void *base = (void *)(lo + at * page);

        if (mincore(base, w * page, vec) != 0) { /* some page unmapped: one by one */
            for (uint64_t i = 0; i < w; i++)
                if (mincore((char *)base + i * page, page, vec) == 0 && (vec[0] & 1))
                    got++;
            continue;
        }
        for (uint64_t i = 0; i < w; i++)
            got += vec[i] & 1;
    }
    return got;
}

static void look(struct slab_glibc *g, enum slab_phase ph, uintptr_t lo)
{
    struct mallinfo2 mi = mallinfo2();

    g->resident[ph] = resident_pages(lo, g->span);
    g->heap[ph] = mi.arena;
    g->kept[ph] = mi.fordblks;
}

int slab_glibc_run(size_t size, uint64_t n, uint64_t k, struct slab_glibc *g)
{
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    char **blk;
    uint64_t i;

    *g = (struct slab_glibc){0};
    if (size < sizeof(uint64_t) || k == 0) {
        errno = EINVAL;
        return -1;
    }
    if (n > SIZE_MAX / sizeof *blk) {
        errno = ENOMEM;
        return -1;
    }
    blk = malloc(n * sizeof *blk);
    if (blk == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        blk[i] = malloc(size);
        if (blk[i] == NULL) {
            while (i-- > 0)
                free(blk[i]);
            free(blk);
            errno = ENOMEM;
            return -1;
        }
        put_index(blk[i], i, size);
        if ((uintptr_t)blk[i] < lo)
            lo = (uintptr_t)blk[i];
        if ((uintptr_t)blk[i] + size > hi)
            hi = (uintptr_t)blk[i] + size;
    }
    lo &= ~(page - 1);
    g->span = (hi - lo + page - 1) / page;
    look(g, SLAB_BUILT, lo);
    for (i = 0; i < n; i++)
        if (i % k != 0)
            free(blk[i]);
    look(g, SLAB_DROPPED, lo);
    g->trim_returned = malloc_trim(0);
    look(g, SLAB_TRIMMED, lo);
    for (i = 0; i < n; i += k)
        free(blk[i]);
    look(g, SLAB_EMPTY, lo);
    free(blk);
    return 0;
}
