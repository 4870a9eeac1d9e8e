/* fltour.c: see fltour.h. */
#include "fltour.h"

#include <stdint.h>
#include <stdlib.h>

const size_t fltour_cost_requests[FLTOUR_COSTS] = {0, 1, 24, 25, 100, 1000};
const size_t fltour_fit_requests[FLTOUR_FIT_BLOCKS] = {100, 300, 100, 500, 100};
const size_t fltour_resize_to[FLTOUR_RESIZES] = {100, 400, 600, 2 * FLTOUR_REGION, 0};

static size_t at(const char *region, const void *p)
{
    return (size_t)((const char *)p - region);
}

static void costs(struct fl *a, struct fltour *t)
{
    for (size_t i = 0; i < FLTOUR_COSTS; i++) {
        void *p = fl_alloc(a, fltour_cost_requests[i]);

        t->cost_usable[i] = fl_usable_size(p);
        t->cost_block[i] = t->cost_usable[i] + FL_HEADER;
        fl_free(a, p);
    }
}

static void split(struct fl *a, const char *region, struct fltour *t)
{
    void *p = fl_alloc(a, FLTOUR_SPLIT);
    void *rest;

    t->at[FLTOUR_SPLIT_DONE] = fl_stats(a);
    t->split_at = at(region, p);
    t->split_block = fl_usable_size(p) + FL_HEADER;
    rest = (char *)p + t->split_block; /* the next payload */
    t->rest_at = at(region, rest);
    t->rest_block = t->at[FLTOUR_SPLIT_DONE].largest_free + FL_HEADER;
    fl_free(a, p);
    t->at[FLTOUR_UNSPLIT] = fl_stats(a);
}

static void fragment(struct fl *a, struct fltour *t)
{
    void *small[FLTOUR_MAX_SMALL];
    void *big;
    size_t n = 0;

    while (n < FLTOUR_MAX_SMALL && (small[n] = fl_alloc(a, FLTOUR_SMALL)) != NULL)
        n++;
    t->filled = n;
    t->small_block = fl_usable_size(small[0]) + FL_HEADER;
    t->at[FLTOUR_FILLED] = fl_stats(a);
    for (size_t i = 0; i < n; i += 2)
        fl_free(a, small[i]);
    t->at[FLTOUR_HOLES] = fl_stats(a);
    big = fl_alloc(a, FLTOUR_BIG);
    t->holes_refuse = big == NULL;
    fl_free(a, big);

    fl_free(a, small[1]);
    t->at[FLTOUR_MERGE3] = fl_stats(a);
    for (size_t i = 3; i < n; i += 2)
        fl_free(a, small[i]);
    t->at[FLTOUR_MERGED] = fl_stats(a);
    big = fl_alloc(a, FLTOUR_BIG);
    t->merged_serves = big != NULL;
    fl_free(a, big);
}

static void first_fit(struct fl *a, const char *region, struct fltour *t)
{
    void *blk[FLTOUR_FIT_BLOCKS], *take, *pass;

    for (size_t i = 0; i < FLTOUR_FIT_BLOCKS; i++) {
        blk[i] = fl_alloc(a, fltour_fit_requests[i]);
        t->fit_at[i] = at(region, blk[i]);
        t->fit_block[i] = fl_usable_size(blk[i]) + FL_HEADER;
    }
    t->tail_at = t->fit_at[4] + t->fit_block[4];
    fl_free(a, blk[1]); /* B, then D: D heads the list */
    fl_free(a, blk[3]);
    take = fl_alloc(a, FLTOUR_FIT_TAKE);
    pass = fl_alloc(a, FLTOUR_FIT_PASS);
    t->take_at = at(region, take);
    t->pass_at = at(region, pass);
    fl_free(a, pass);
    fl_free(a, take);
    for (size_t i = 0; i < FLTOUR_FIT_BLOCKS; i += 2)
        fl_free(a, blk[i]);
}

static bool holds(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)i)
            return false;
    return true;
}

/* One block through each of fl_realloc's paths; the fence goes in after it before the
 * growth that must move. */
static void resize(struct fl *a, struct fltour *t)
{
    unsigned char *p = fl_alloc(a, FLTOUR_RESIZE_FROM), *fence = NULL;
    size_t n = FLTOUR_RESIZE_FROM;

    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)i;
    for (int s = 0; s < FLTOUR_RESIZES; s++) {
        struct fltour_resize *r = &t->resize[s];
        size_t to = fltour_resize_to[s];
        unsigned char *q;

        if (s == FLTOUR_GROW_MOVE)
            fence = fl_alloc(a, 1);
        r->block_before = fl_usable_size(p) + FL_HEADER;
        r->free_before = fl_stats(a).free_blocks;
        q = fl_realloc(a, p, to);
        r->refused = q == NULL;
        r->same = q == p;
        if (q != NULL) {
            r->kept = holds(q, n < to ? n : to);
            for (size_t i = n < to ? n : to; i < to; i++)
                q[i] = (unsigned char)i;
            p = q;
            n = to;
        } else {
            r->kept = holds(p, n);
        }
        r->block_after = fl_usable_size(p) + FL_HEADER;
        r->free_after = fl_stats(a).free_blocks;
    }
    fl_free(a, fence);
    fl_free(a, p);
}

int fltour_run(struct fltour *t)
{
    char *region = malloc(FLTOUR_REGION);
    struct fl a;

    if (region == NULL)
        return -1;
    *t = (struct fltour){.region = FLTOUR_REGION};
    fl_init(&a, region, FLTOUR_REGION);
    t->at[FLTOUR_INIT] = fl_stats(&a);
    costs(&a, t);
    split(&a, region, t);
    fragment(&a, t);
    first_fit(&a, region, t);
    resize(&a, t);
    fl_destroy(&a);
    free(region);
    return 0;
}

/* ---- the growth table ---- */

static size_t grown(size_t i)
{
    return FLTOUR_STEP * (i + 1);
}

/* fl_realloc's growths on a fresh region; the neighbours stay until fl_destroy. */
static int grow_fl(char *region, bool between, struct fltour_count *c)
{
    struct fl a;
    char *p;
    int rc = -1;

    fl_init(&a, region, FLTOUR_GROW_REGION);
    p = fl_alloc(&a, FLTOUR_STEP);
    for (size_t i = 1; p != NULL && i <= FLTOUR_GROWTHS; i++) {
        char *q;

        if (between) {
            char *n = fl_alloc(&a, FLTOUR_NEIGHBOUR);

            if (n == NULL)
                break;
            c->behind += n < p;
        }
        if ((q = fl_realloc(&a, p, grown(i))) == NULL)
            break;
        if (q == p)
            c->in_place++;
        else
            c->moved++;
        p = q;
        rc = i == FLTOUR_GROWTHS ? 0 : -1;
    }
    fl_destroy(&a);
    return rc;
}

/* The same growths with malloc and realloc. A moved block's old address is compared as a
 * number, taken before realloc freed it. */
static int grow_libc(bool between, struct fltour_count *c)
{
    void *neighbours[FLTOUR_GROWTHS];
    size_t held = 0;
    char *p = malloc(FLTOUR_STEP);
    int rc = -1;

    for (size_t i = 1; p != NULL && i <= FLTOUR_GROWTHS; i++) {
        uintptr_t before = (uintptr_t)p;
        char *q;

        if (between) {
            if ((neighbours[held++] = malloc(FLTOUR_NEIGHBOUR)) == NULL)
                break;
            c->behind += (uintptr_t)neighbours[held - 1] < before;
        }
        if ((q = realloc(p, grown(i))) == NULL)
            break;
        if ((uintptr_t)q == before)
            c->in_place++;
        else
            c->moved++;
        p = q;
        rc = i == FLTOUR_GROWTHS ? 0 : -1;
    }
    free(p);
    while (held > 0)
        free(neighbours[--held]);
    return rc;
}

int fltour_growth(struct fltour_growth *g)
{
    char *region = malloc(FLTOUR_GROW_REGION);
    int rc = -1;

    *g = (struct fltour_growth){0};
    if (region == NULL)
        return -1;
    if (grow_fl(region, false, &g->fl[0]) == 0 && grow_fl(region, true, &g->fl[1]) == 0)
        rc = 0;
    free(region);
    if (rc == 0 && grow_libc(false, &g->libc[0]) == 0 && grow_libc(true, &g->libc[1]) == 0)
        return 0;
    return -1;
}
