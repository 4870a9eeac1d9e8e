/* bdtour.c: see bdtour.h. */
#include "bdtour.h"

#include <errno.h>
#include <stdlib.h>

#include "platform.h"

const size_t bdtour_rows[BDTOUR_ROWS] = {1,   16,  17,  24,  25,   32,   33,   64,  65,
                                         100, 129, 257, 513, 1000, 1025, 2049, 4096};

size_t bdtour_request(enum bdtour_step s, unsigned k, unsigned min)
{
    switch (s) {
    case BDTOUR_A: return 1;
    case BDTOUR_B: return (size_t)1 << min;
    case BDTOUR_C: return (size_t)2 << min;
    case BDTOUR_D: return (size_t)1 << (k - 1);
    default: return 0;
    }
}

static void look(const struct buddy *b, struct bdtour_state *st, const struct buddy_stats *before)
{
    st->splits = b->splits - before->splits;
    st->merges = b->merges - before->merges;
    for (unsigned o = b->min; o <= b->k; o++)
        st->free_count[o] = b->free_count[o];
}

/* A, B, C, D, then each freed; the state after every step. */
static void sequence(struct buddy *b, struct bdtour *t)
{
    void *p[4];
    struct buddy_stats before = buddy_stats(b);

    look(b, &t->at[BDTOUR_INIT], &before);
    for (int i = 0; i < 4; i++) {
        struct bdtour_state *st = &t->at[BDTOUR_A + i];

        before = buddy_stats(b);
        p[i] = buddy_alloc(b, bdtour_request(BDTOUR_A + i, b->k, b->min));
        look(b, st, &before);
        st->block = buddy_usable_size(b, p[i]);
        st->at = (size_t)((char *)p[i] - b->region);
    }
    for (int i = 0; i < 4; i++) {
        before = buddy_stats(b);
        buddy_free(b, p[i]);
        look(b, &t->at[BDTOUR_FREE_A + i], &before);
    }
}

static void tally(struct bdtour_waste *w, size_t n, size_t block, size_t row)
{
    w->asked += n;
    w->handed += block;
    if (block - n > w->most_wasted) {
        w->most_wasted = block - n;
        w->wasted_at = n;
    }
    /* block / n > worst_block / worst_at, without division */
    if (n >= BDTOUR_PAST && (w->worst_at == 0 || (uint64_t)block * w->worst_at >
                                                     (uint64_t)w->worst_block * n)) {
        w->worst_block = block;
        w->worst_at = n;
    }
    if (row < BDTOUR_ROWS)
        w->row_block[row] = block;
}

/* Every request from 1 to 2^k, one at a time, on the buddy allocator (the bytes its stats
 * say are in use), the free list (the block: fl_usable_size and its header) and glibc's
 * chunk rule. */
static void waste(struct buddy *b, struct fl *fl, struct bdtour *t)
{
    size_t row = 0;

    for (size_t n = 1; n <= (size_t)1 << b->k; n++) {
        void *p = buddy_alloc(b, n), *q = fl_alloc(fl, n);
        size_t r = row < BDTOUR_ROWS && bdtour_rows[row] == n ? row++ : BDTOUR_ROWS;

        tally(&t->waste[BDTOUR_BUDDY], n, buddy_stats(b).used_bytes, r);
        tally(&t->waste[BDTOUR_FL], n, fl_usable_size(q) + FL_HEADER, r);
        tally(&t->waste[BDTOUR_GLIBC], n, platform_chunk_for(n), r);
        buddy_free(b, p);
        fl_free(fl, q);
    }
}

/* Filled with blocks of the smallest order, which then lie at every multiple of 2^min:
 * every other one freed, a request of two refused; the rest freed, all merged. */
static void holes(struct buddy *b, struct bdtour *t)
{
    const size_t small = (size_t)1 << b->min, region = (size_t)1 << b->k;
    const uint64_t splits = b->splits;
    void *two;

    while (buddy_alloc(b, small) != NULL)
        t->filled++;
    t->fill_splits = b->splits - splits;
    for (size_t off = 0; off < region; off += 2 * small)
        buddy_free(b, b->region + off);
    t->holes = buddy_stats(b);
    two = buddy_alloc(b, 2 * small);
    t->holes_refuse = two == NULL;
    buddy_free(b, two);
    t->rest_merges = b->merges;
    for (size_t off = small; off < region; off += 2 * small)
        buddy_free(b, b->region + off);
    t->rest_merges = b->merges - t->rest_merges;
    t->rest = buddy_stats(b);
}

/* Four blocks of a quarter each, in address order; the 2nd and 3rd freed: side by side,
 * not buddies. Then the 1st, the 2nd's buddy. The free list beside it, the same four. */
static void neighbours(struct buddy *b, char *fl_region, struct bdtour *t)
{
    struct fl fl_pair, *fl = &fl_pair;
    const size_t q = (size_t)1 << (b->k - 2), half = 2 * q;
    char *p[4];
    void *f[4], *got;
    uint64_t merges;

    t->quarter = q;
    for (int i = 0; i < 4; i++)
        p[i] = buddy_alloc(b, q); /* address order: each takes the lower half of a split */
    t->side_by_side = p[1] + q == p[2];
    buddy_free(b, p[1]);
    buddy_free(b, p[2]);
    t->pair = buddy_stats(b);
    got = buddy_alloc(b, half);
    t->pair_refuses = got == NULL;
    buddy_free(b, got);
    merges = b->merges;
    buddy_free(b, p[0]);
    t->first_merges = b->merges - merges;
    got = buddy_alloc(b, half);
    t->first_serves = got != NULL;
    buddy_free(b, got);
    buddy_free(b, p[3]);

    fl_init(fl, fl_region, t->fl_pair_region);
    for (int i = 0; i < 4; i++)
        f[i] = fl_alloc(fl, q - FL_HEADER);
    fl_free(fl, f[1]);
    fl_free(fl, f[2]);
    t->fl_pair_largest = fl_stats(fl).largest_free;
    got = fl_alloc(fl, t->fl_pair_largest);
    t->fl_serves = got != NULL;
    fl_free(fl, got);
    fl_free(fl, f[0]);
    fl_free(fl, f[3]);
    fl_destroy(fl);
}

int bdtour_run(struct bdtour *t, unsigned k, unsigned min)
{
    struct buddy b;
    struct fl fl;
    char *fl_region;

    *t = (struct bdtour){.k = k, .min = min};
    if (min < BUDDY_MIN_ORDER || k > BDTOUR_MAX_K || k < min + 3) {
        errno = EINVAL;
        return -1;
    }
    t->region_bytes = (size_t)1 << k;
    t->table_bytes = buddy_init_bytes(k, min) - t->region_bytes;
    t->fl_region = 2 * t->region_bytes + 2 * FL_ALIGN;
    t->fl_pair_region = t->region_bytes + 2 * FL_ALIGN;
    if (buddy_init(&b, k, min) != 0)
        return -1;
    fl_region = malloc(t->fl_region);
    if (fl_region == NULL) {
        buddy_destroy(&b);
        errno = ENOMEM;
        return -1;
    }
    fl_init(&fl, fl_region, t->fl_region);
    sequence(&b, t);
    waste(&b, &fl, t);
    fl_destroy(&fl);
    holes(&b, t);
    neighbours(&b, fl_region, t);
    free(fl_region);
    buddy_destroy(&b);
    return 0;
}
