/* buddy.c: see buddy.h. The side table holds, for the 2^min bytes at each multiple of
 * 2^min from the region's start, 0 when they lie inside a block, or the order of the block
 * that starts there with one of two flags: FREE (on its order's list) or USED.
 *
 * For the tools (MEMDEBUG): the allocator is a mempool named by its struct buddy, each
 * block handed out a chunk of it, open for the n bytes asked for; the rest of the region,
 * a free block's links included, is shut except while this file reads or writes them.
 * The side table stays open. */
#include "buddy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buddy_block {
    struct buddy_block *next, *prev;
};

#define FREE 0x40
#define USED 0x80
#define ORDER 0x3f

_Static_assert(sizeof(struct buddy_block) <= (size_t)1 << BUDDY_MIN_ORDER,
               "a free block of the smallest order holds its two links");
_Static_assert(BUDDY_MAX_ORDER <= ORDER, "an order fits in the side table's byte");

static size_t bytes(unsigned order)
{
    return (size_t)1 << order;
}

/* The side table's byte for the block at offset off. */
static unsigned char *entry(const struct buddy *b, size_t off)
{
    return &b->order_of[off >> b->min];
}

/* A free block's links: each access opens the links it touches and shuts them after. */
static void links_open(const struct buddy_block *f)
{
    if (f != NULL)
        MEMDEBUG_DEFINED(f, sizeof *f);
}

static void links_shut(const struct buddy_block *f)
{
    if (f != NULL)
        MEMDEBUG_NOACCESS(f, sizeof *f);
}

static void set_prev(struct buddy_block *f, struct buddy_block *prev)
{
    links_open(f);
    f->prev = prev;
    links_shut(f);
}

static void set_next(struct buddy_block *f, struct buddy_block *next)
{
    links_open(f);
    f->next = next;
    links_shut(f);
}

static void push(struct buddy *b, size_t off, unsigned order)
{
    struct buddy_block *f = (struct buddy_block *)(void *)(b->region + off), *old = b->free[order];

    MEMDEBUG_UNDEFINED(f, sizeof *f);
    f->next = old;
    f->prev = NULL;
    links_shut(f);
    if (old != NULL)
        set_prev(old, f);
    b->free[order] = f;
    b->free_count[order]++;
    *entry(b, off) = (unsigned char)(FREE | order);
}

static void unlink_block(struct buddy *b, size_t off, unsigned order)
{
    struct buddy_block *f = (struct buddy_block *)(void *)(b->region + off), *next, *prev;

    links_open(f);
    next = f->next;
    prev = f->prev;
    links_shut(f);
    if (prev != NULL)
        set_next(prev, next);
    else
        b->free[order] = next;
    if (next != NULL)
        set_prev(next, prev);
    b->free_count[order]--;
}

size_t buddy_init_bytes(unsigned k, unsigned min)
{
    return bytes(k) + bytes(k - min);
}

int buddy_init(struct buddy *b, unsigned k, unsigned min)
{
    *b = (struct buddy){0};
    if (min < BUDDY_MIN_ORDER || k > BUDDY_MAX_ORDER || k < min) {
        errno = EINVAL;
        return -1;
    }
    b->region = malloc(buddy_init_bytes(k, min));
    if (b->region == NULL) {
        errno = ENOMEM;
        return -1;
    }
    b->order_of = (unsigned char *)b->region + bytes(k);
    memset(b->order_of, 0, bytes(k - min));
    b->k = k;
    b->min = min;
    MEMDEBUG_POOL_CREATE(b);
    MEMDEBUG_NOACCESS(b->region, bytes(k)); /* no block handed out yet */
    push(b, 0, k);
    return 0;
}

void buddy_destroy(struct buddy *b)
{
    if (b->region != NULL) {
        MEMDEBUG_POOL_DESTROY(b);
        MEMDEBUG_UNDEFINED(b->region, bytes(b->k)); /* malloc's again */
    }
    free(b->region);
    *b = (struct buddy){0};
}

unsigned buddy_order_for(const struct buddy *b, size_t n)
{
    unsigned o = b->min;

    if (n > bytes(b->k))
        return 0;
    while (bytes(o) < n)
        o++;
    return o;
}

size_t buddy_block_size(const struct buddy *b, size_t n)
{
    unsigned o = buddy_order_for(b, n);

    return o == 0 ? 0 : bytes(o);
}

void *buddy_alloc(struct buddy *b, size_t n)
{
    unsigned want = buddy_order_for(b, n), o = want;
    size_t off;

    if (want == 0) {
        errno = ENOMEM;
        return NULL;
    }
    while (o <= b->k && b->free[o] == NULL)
        o++;
    if (o > b->k) {
        errno = ENOMEM;
        return NULL;
    }
    off = (size_t)((char *)b->free[o] - b->region);
    unlink_block(b, off, o);
    while (o > want) { /* split: keep the lower half, the upper half goes on its list */
        o--;
        push(b, off + bytes(o), o);
        b->splits++;
    }
    *entry(b, off) = (unsigned char)(USED | want);
    b->used_blocks++;
    b->used_bytes += bytes(want);
    MEMDEBUG_POOL_ALLOC(b, b->region + off, n);
    return b->region + off;
}

/* p's offset, or abort when p is not the start of a block in use. */
static size_t block_in_use(const struct buddy *b, const void *p)
{
    const char *c = p;
    size_t off;

    if (c < b->region || c >= b->region + bytes(b->k)) {
        fprintf(stderr, "buddy_free(): %p is not in the region [%p, %p)\n", p,
                (void *)b->region, (void *)(b->region + bytes(b->k)));
        abort();
    }
    off = (size_t)(c - b->region);
    if (off % bytes(b->min) != 0 || (*entry(b, off) & USED) == 0) {
        fprintf(stderr, "buddy_free(): %p is not a block in use (freed twice?)\n", p);
        abort();
    }
    return off;
}

void buddy_free(struct buddy *b, void *p)
{
    size_t off;
    unsigned o;

    if (p == NULL)
        return;
    off = block_in_use(b, p);
    o = *entry(b, off) & ORDER;
    MEMDEBUG_POOL_FREE(b, p, bytes(o));
    b->used_blocks--;
    b->used_bytes -= bytes(o);
    *entry(b, off) = 0;
    while (o < b->k) {
        size_t buddy = off ^ bytes(o);

        if (*entry(b, buddy) != (FREE | o))
            break; /* in use, or split: its order is smaller */
        unlink_block(b, buddy, o);
        *entry(b, buddy) = 0;
        off &= ~bytes(o); /* the pair starts at the lower of the two */
        o++;
        b->merges++;
    }
    push(b, off, o);
}

size_t buddy_usable_size(const struct buddy *b, const void *p)
{
    return bytes(*entry(b, (size_t)((const char *)p - b->region)) & ORDER);
}

struct buddy_stats buddy_stats(const struct buddy *b)
{
    struct buddy_stats s = {.used_blocks = b->used_blocks, .used_bytes = b->used_bytes,
                            .splits = b->splits, .merges = b->merges};

    for (unsigned o = b->min; o <= b->k; o++) {
        s.free_blocks += b->free_count[o];
        s.free_bytes += b->free_count[o] * bytes(o);
        if (b->free_count[o] > 0)
            s.largest_free = bytes(o);
    }
    return s;
}

const char *buddy_check(const struct buddy *b)
{
    size_t blocks = 0, used = 0, used_bytes = 0, free_walked[BUDDY_MAX_ORDER + 1] = {0};

    for (size_t off = 0; off < bytes(b->k);) {
        unsigned char e = *entry(b, off);
        unsigned o = e & ORDER;

        if ((e & (FREE | USED)) == 0 || (e & FREE && e & USED) || o < b->min || o > b->k)
            return "the side table has no block where the last one ended";
        if (off % bytes(o) != 0)
            return "a block does not lie at a multiple of its size";
        for (size_t in = off + bytes(b->min); in < off + bytes(o); in += bytes(b->min))
            if (*entry(b, in) != 0)
                return "a block starts inside another";
        if (e & USED) {
            used++;
            used_bytes += bytes(o);
        } else {
            size_t buddy = off ^ bytes(o);

            free_walked[o]++;
            if (o < b->k && *entry(b, buddy) == (FREE | o))
                return "two free buddies of one order did not merge";
        }
        blocks++;
        off += bytes(o);
    }
    if (used != b->used_blocks || used_bytes != b->used_bytes)
        return "the used counts disagree with the side table";
    for (unsigned o = b->min; o <= b->k; o++) {
        size_t listed = 0;
        const struct buddy_block *back = NULL;

        for (const struct buddy_block *f = b->free[o], *next; f != NULL; back = f, f = next) {
            const struct buddy_block *prev;

            if (++listed > free_walked[o])
                return "a free list holds more blocks than the region has free of its order";
            if (*entry(b, (size_t)((const char *)f - b->region)) != (FREE | o))
                return "a block on a free list is not a free block of its order";
            links_open(f);
            next = f->next;
            prev = f->prev;
            links_shut(f);
            if (prev != back)
                return "a free block's back link is not the block before it on the list";
        }
        if (listed != free_walked[o] || listed != b->free_count[o])
            return "a free list misses a free block of its order, or miscounts";
    }
    if (b->splits - b->merges != blocks - 1)
        return "splits - merges is not the blocks less one";
    return NULL;
}
