/* fltour.c: see fltour.h. */
#include "fltour.h"

#include <stdlib.h>

const size_t fltour_cost_requests[FLTOUR_COSTS] = {0, 1, 24, 25, 100, 1000};
const size_t fltour_fit_requests[FLTOUR_FIT_BLOCKS] = {100, 300, 100, 500, 100};

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
    fl_destroy(&a);
    free(region);
    return 0;
}
