/* freelist.c: a first-fit allocator with split and coalesce. See freelist.h for the
 * design and the contract.
 *
 * For the tools (MEMDEBUG): a payload handed out is open for exactly its n bytes; a free
 * block's links and footer are shut except while this file reads or writes them; the
 * headers stay open. */
#include "freelist.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A free block: its header, then its links, where a block in use has its payload. */
struct fl_free {
    size_t head;
    struct fl_free *next, *prev;
};

#define FLAGS (FL_USED | FL_PREV_USED)
#define LINKS (2 * sizeof(struct fl_free *))

_Static_assert(FL_HEADER + LINKS + sizeof(size_t) == FL_MIN_BLOCK, "a free block's parts");
_Static_assert(FL_MIN_BLOCK % FL_ALIGN == 0, "blocks keep payloads aligned");
_Static_assert((FLAGS & (FL_ALIGN - 1)) == FLAGS, "the flags fit below the alignment");

static size_t *head_of(char *b)
{
    return (size_t *)(void *)b;
}

static size_t size_of(char *b)
{
    return *head_of(b) & ~FLAGS;
}

static char *block_of(const void *p)
{
    return (char *)p - FL_HEADER;
}

static char *payload_of(char *b)
{
    return b + FL_HEADER;
}

/* A free block's footer: the last word of the block, just before the next header. */
static size_t *foot_of(char *b, size_t size)
{
    return (size_t *)(void *)(b + size) - 1;
}

/* ---- the free list: each access opens the links it touches and shuts them after ---- */

static void links_open(struct fl_free *f)
{
    if (f != NULL)
        MEMDEBUG_DEFINED(&f->next, LINKS);
}

static void links_shut(struct fl_free *f)
{
    if (f != NULL)
        MEMDEBUG_NOACCESS(&f->next, LINKS);
}

static struct fl_free *next_free(struct fl_free *f)
{
    struct fl_free *next;

    links_open(f);
    next = f->next;
    links_shut(f);
    return next;
}

static void push(struct fl *a, char *b)
{
    struct fl_free *f = (struct fl_free *)(void *)b, *old = a->free;

    links_open(f);
    f->next = old;
    f->prev = NULL;
    links_shut(f);
    if (old != NULL) {
        links_open(old);
        old->prev = f;
        links_shut(old);
    }
    a->free = f;
}

static void unlink_free(struct fl *a, char *b)
{
    struct fl_free *f = (struct fl_free *)(void *)b, *next, *prev;

    links_open(f);
    next = f->next;
    prev = f->prev;
    links_shut(f);
    if (prev != NULL) {
        links_open(prev);
        prev->next = next;
        links_shut(prev);
    } else {
        a->free = next;
    }
    if (next != NULL) {
        links_open(next);
        next->prev = prev;
        links_shut(next);
    }
}

/* Mark b a free block of `size` bytes (its previous block is in use: free blocks are
 * never neighbours), write its footer, tell the next block, and put it on the list. */
static void make_free(struct fl *a, char *b, size_t size)
{
    size_t *foot = foot_of(b, size);

    *head_of(b) = size | FL_PREV_USED;
    MEMDEBUG_UNDEFINED(foot, sizeof *foot);
    *foot = size;
    MEMDEBUG_NOACCESS(foot, sizeof *foot);
    *head_of(b + size) &= ~FL_PREV_USED;
    push(a, b);
}

/* ---- the allocator ---- */

size_t fl_block_size(size_t n)
{
    size_t need;

    if (n > SIZE_MAX - FL_HEADER - (FL_ALIGN - 1))
        return 0;
    need = (n + FL_HEADER + FL_ALIGN - 1) & ~(size_t)(FL_ALIGN - 1);
    return need < FL_MIN_BLOCK ? FL_MIN_BLOCK : need;
}

int fl_init(struct fl *a, void *region, size_t size)
{
    uintptr_t start = (uintptr_t)region, end = start + size;
    uintptr_t first, mark;

    /* headers sit 8 bytes before a multiple of 16, so that every payload is aligned */
    first = ((start + FL_HEADER + FL_ALIGN - 1) & ~(uintptr_t)(FL_ALIGN - 1)) - FL_HEADER;
    if (size < FL_MIN_BLOCK + 2 * FL_ALIGN) {
        errno = EINVAL;
        return -1;
    }
    mark = ((end - FL_HEADER - FL_HEADER) & ~(uintptr_t)(FL_ALIGN - 1)) + FL_HEADER;
    *a = (struct fl){.region = region, .size = size, .first = (char *)first, .end = (char *)mark};
    MEMDEBUG_POOL_CREATE(a);
    MEMDEBUG_NOACCESS(region, size);
    MEMDEBUG_UNDEFINED(a->first, FL_HEADER);
    MEMDEBUG_UNDEFINED(a->end, FL_HEADER);
    *head_of(a->end) = 0 | FL_USED; /* the end marker: size 0, "in use" */
    make_free(a, a->first, (size_t)(mark - first));
    return 0;
}

void fl_destroy(struct fl *a)
{
    MEMDEBUG_POOL_DESTROY(a);
    MEMDEBUG_UNDEFINED(a->region, a->size); /* the caller's again */
    *a = (struct fl){0};
}

/* Make b, `size` bytes off the free list, a block in use of `need` bytes: split off the
 * rest as a free block when it can be one, else keep it in the block. */
static void keep(struct fl *a, char *b, size_t size, size_t need, size_t prev_used)
{
    if (size - need >= FL_MIN_BLOCK) {
        MEMDEBUG_UNDEFINED(b + need, FL_HEADER); /* the rest's header, written by make_free */
        make_free(a, b + need, size - need);
        size = need;
    } else {
        *head_of(b + size) |= FL_PREV_USED;
    }
    *head_of(b) = size | FL_USED | prev_used;
}

/* Take `need` bytes from the free block b. */
static void *take(struct fl *a, char *b, size_t need)
{
    unlink_free(a, b);
    keep(a, b, size_of(b), need, *head_of(b) & FL_PREV_USED);
    return payload_of(b);
}

void *fl_alloc(struct fl *a, size_t n)
{
    size_t need = fl_block_size(n);

    if (need != 0)
        for (struct fl_free *f = a->free; f != NULL; f = next_free(f))
            if (size_of((char *)f) >= need) {
                void *p = take(a, (char *)f, need);
                MEMDEBUG_POOL_ALLOC(a, p, n);
                return p;
            }
    errno = ENOMEM;
    return NULL;
}

/* p's block, or abort when its header says it is not in use. */
static char *block_in_use(const void *p, const char *who)
{
    char *b = block_of(p);

    if ((*head_of(b) & FL_USED) == 0) {
        fprintf(stderr, "%s(): %p is not a block in use (freed twice?)\n", who, p);
        abort();
    }
    return b;
}

void fl_free(struct fl *a, void *p)
{
    char *b, *next;
    size_t size;

    if (p == NULL)
        return;
    b = block_in_use(p, "fl_free");
    size = size_of(b);
    MEMDEBUG_POOL_FREE(a, p, size - FL_HEADER);
    *head_of(b) &= ~FL_USED;

    next = b + size;
    if ((*head_of(next) & FL_USED) == 0) { /* merge with the next block */
        size += size_of(next);
        unlink_free(a, next);
        MEMDEBUG_NOACCESS(next, FL_HEADER);
    }
    if ((*head_of(b) & FL_PREV_USED) == 0) { /* merge with the previous block */
        size_t *prev_foot = (size_t *)(void *)b - 1, prev_size;

        MEMDEBUG_DEFINED(prev_foot, sizeof *prev_foot);
        prev_size = *prev_foot;
        MEMDEBUG_NOACCESS(prev_foot, sizeof *prev_foot);
        unlink_free(a, b - prev_size);
        MEMDEBUG_NOACCESS(b, FL_HEADER);
        b -= prev_size;
        size += prev_size;
    }
    make_free(a, b, size);
}

/* In place when the block, with the free block after it if need be, holds `need` bytes:
 * that free block joins, then the tools are told the new n, and only then does keep
 * write the header of the rest it splits off (a shrink's rest starts among the bytes the
 * tools were just told to shut). Else fl_alloc, copy, fl_free. The allocator does not
 * record n: the copy takes the bytes the tools see open, or the whole block without
 * them. */
void *fl_realloc(struct fl *a, void *p, size_t n)
{
    size_t need = fl_block_size(n), size, old_n, prev_used;
    char *b, *next;
    void *q;

    if (p == NULL)
        return fl_alloc(a, n);
    b = block_in_use(p, "fl_realloc");
    if (need == 0) {
        errno = ENOMEM;
        return NULL;
    }
    size = size_of(b);
    next = b + size;
    old_n = memdebug_open_bytes(p, size - FL_HEADER);
    prev_used = *head_of(b) & FL_PREV_USED;
    if (need != size && (*head_of(next) & FL_USED) == 0 && size + size_of(next) >= need) {
        size += size_of(next); /* a shrink's tail merges with it; a growth takes it in */
        unlink_free(a, next);
        MEMDEBUG_NOACCESS(next, FL_HEADER);
    }
    if (need <= size) {
        MEMDEBUG_POOL_RESIZE(a, p, old_n, n);
        keep(a, b, size, need, prev_used);
        return p;
    }
    q = fl_alloc(a, n);
    if (q == NULL)
        return NULL;
    memcpy(q, p, old_n < n ? old_n : n);
    fl_free(a, p);
    return q;
}

size_t fl_usable_size(const void *p)
{
    return size_of(block_of(p)) - FL_HEADER;
}

struct fl_stats fl_stats(const struct fl *a)
{
    struct fl_stats s = {0};

    for (char *b = a->first; b != a->end; b += size_of(b)) {
        size_t usable = size_of(b) - FL_HEADER;

        s.header_bytes += FL_HEADER;
        if (*head_of(b) & FL_USED) {
            s.used_blocks++;
            s.used_bytes += usable;
        } else {
            s.free_blocks++;
            s.free_bytes += usable;
            if (usable > s.largest_free)
                s.largest_free = usable;
        }
    }
    s.edge_bytes = (size_t)(a->first - a->region) + (size_t)(a->region + a->size - a->end);
    return s;
}

/* One walk over the blocks, one over the list: NULL when they agree. */
const char *fl_check(const struct fl *a)
{
    size_t walked = 0, listed = 0, prev_used = FL_PREV_USED;
    struct fl_free *f, *back = NULL, *next, *prev;

    for (char *b = a->first; b != a->end; b += size_of(b)) {
        size_t size = size_of(b), *foot = foot_of(b, size), footer;

        if (size < FL_MIN_BLOCK || size % FL_ALIGN != 0 || size > (size_t)(a->end - b))
            return "a block's size is not a multiple of 16, at least 32, inside the region";
        if ((*head_of(b) & FL_PREV_USED) != prev_used)
            return "a block's FL_PREV_USED disagrees with the block before it";
        prev_used = *head_of(b) & FL_USED ? FL_PREV_USED : 0;
        if (prev_used)
            continue;
        if ((*head_of(b) & FL_PREV_USED) == 0)
            return "two free blocks are neighbours";
        MEMDEBUG_DEFINED(foot, sizeof *foot);
        footer = *foot;
        MEMDEBUG_NOACCESS(foot, sizeof *foot);
        if (footer != size)
            return "a free block's footer is not its size";
        walked++;
    }
    if ((*head_of(a->end) & FL_PREV_USED) != prev_used)
        return "the end marker's FL_PREV_USED disagrees with the last block";
    for (f = a->free; f != NULL; back = f, f = next) {
        if (++listed > walked)
            return "the free list holds more blocks than the region has free";
        if (*head_of((char *)f) & FL_USED)
            return "a block on the free list is in use";
        links_open(f);
        next = f->next;
        prev = f->prev;
        links_shut(f);
        if (prev != back)
            return "a free block's back link is not the block before it on the list";
    }
    return listed == walked ? NULL : "a free block is missing from the free list";
}
