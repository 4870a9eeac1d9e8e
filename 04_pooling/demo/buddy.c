/* buddy.c: "how does a buddy allocator work, and what does it waste?", answered with the
 * buddy allocator of buddy.h on one region (bdtour.h): the splits and merges of a sequence
 * from a fresh region, the block every request takes beside 04's free list and glibc's
 * chunks, and its two kinds of external fragmentation. Every figure is read from the
 * allocators. make buddy-04.
 *
 * Usage: buddy [K [MIN]]. A region of 2^K bytes (K from 8 to 20, default 12: 4 KiB) and
 * blocks from 2^MIN (MIN from 4 to K - 3, default 4: 16 B). */
#include <stdio.h>
#include <stdlib.h>

#include "bdtour.h"
#include "cli.h"
#include "report.h"

#define PROG "buddy"
#define MIN_K 8

static const char *num(size_t n, char *buf)
{
    return report_count(n, buf, 32);
}

/* An order's bytes, short: 16, 512, 4K, 1M. */
static const char *order_name(unsigned o, char *buf)
{
    if (o >= 20)
        snprintf(buf, 32, "%zuM", (size_t)1 << (o - 20));
    else if (o >= 10)
        snprintf(buf, 32, "%zuK", (size_t)1 << (o - 10));
    else
        snprintf(buf, 32, "%zu", (size_t)1 << o);
    return buf;
}

static void state_row(const struct bdtour *t, const char *what, const struct bdtour_state *st,
                      bool allocates)
{
    char block[32], at[32], o_[32];

    if (allocates)
        snprintf(at, sizeof at, "+%s", num(st->at, o_));
    printf("  %-24s %6s %7s %6llu %6llu ", what, allocates ? num(st->block, block) : "",
           allocates ? at : "", (unsigned long long)st->splits, (unsigned long long)st->merges);
    for (unsigned o = t->min; o <= t->k; o++)
        printf(" %4zu", st->free_count[o]);
    printf("\n");
}

static void sequence(const struct bdtour *t)
{
    static const char names[] = "ABCD";
    char what[64], a[32], o_[16];

    printf("from a fresh region, four requests, then each freed (block: the block taken, at\n"
           "+N from the region's start; splits: what the request made; merges: what the free\n"
           "made; then the free blocks of each order after the step)\n");
    printf("  %-24s %6s %7s %6s %6s ", "", "block", "at", "splits", "merges");
    for (unsigned o = t->min; o <= t->k; o++)
        printf(" %4s", order_name(o, o_));
    printf("\n");
    state_row(t, "buddy_init", &t->at[BDTOUR_INIT], false);
    for (int i = 0; i < 4; i++) {
        snprintf(what, sizeof what, "%c = buddy_alloc(%s)", names[i],
                 num(bdtour_request(BDTOUR_A + i, t->k, t->min), a));
        state_row(t, what, &t->at[BDTOUR_A + i], true);
    }
    for (int i = 0; i < 4; i++) {
        snprintf(what, sizeof what, "buddy_free(%c)", names[i]);
        state_row(t, what, &t->at[BDTOUR_FREE_A + i], false);
    }
}

static void waste(const struct bdtour *t)
{
    static const char *const names[BDTOUR_ALLOCS] = {"buddy", "free list", "glibc"};
    char a[32], b[32], c[32], d[32], cell[BDTOUR_ALLOCS][48];

    printf("\nthe block a request takes (buddy: 2^o, no header; free list: the request + its 8 B\n"
           "header, rounded up to 16, at least 32; glibc: its chunk, by the same rule)\n");
    printf("  %9s %10s %10s %10s\n", "request", names[0], names[1], names[2]);
    for (size_t r = 0; r < BDTOUR_ROWS && bdtour_rows[r] <= t->region_bytes; r++)
        printf("  %9s %10s %10s %10s\n", num(bdtour_rows[r], a),
               num(t->waste[BDTOUR_BUDDY].row_block[r], b),
               num(t->waste[BDTOUR_FL].row_block[r], c),
               num(t->waste[BDTOUR_GLIBC].row_block[r], d));

    printf("\nevery request from 1 to %s B, one at a time (the buddy's side table not counted:\n"
           "a fixed byte per %s B of the region)\n", num(t->region_bytes, a),
           num((size_t)1 << t->min, b));
    printf("  %-38s %16s %16s %16s\n", "", names[0], names[1], names[2]);
    printf("  %-38s", "bytes handed out per byte asked");
    for (int i = 0; i < BDTOUR_ALLOCS; i++)
        printf(" %16.3f", (double)t->waste[i].handed / (double)t->waste[i].asked);
    printf("\n  %-38s", "bytes unused, mean per request");
    for (int i = 0; i < BDTOUR_ALLOCS; i++)
        printf(" %16.1f", (double)(t->waste[i].handed - t->waste[i].asked) /
                              (double)t->region_bytes);
    printf("\n  %-38s", "most unused in one block (request)");
    for (int i = 0; i < BDTOUR_ALLOCS; i++) {
        snprintf(cell[i], sizeof cell[i], "%s (%s B)", num(t->waste[i].most_wasted, a),
                 num(t->waste[i].wasted_at, b));
        printf(" %16s", cell[i]);
    }
    printf("\n");
}

static void worst(const struct bdtour *t)
{
    char a[32], cell[48];

    char what[48];

    snprintf(what, sizeof what, "worst block per byte asked, from %d B", BDTOUR_PAST);
    printf("  %-38s", what);
    for (int i = 0; i < BDTOUR_ALLOCS; i++) {
        snprintf(cell, sizeof cell, "%.3f (%s B)",
                 (double)t->waste[i].worst_block / (double)t->waste[i].worst_at,
                 num(t->waste[i].worst_at, a));
        printf(" %16s", cell);
    }
    printf("\n");
}

static void holes(const struct bdtour *t)
{
    char a[32], b[32], c[32], d[32], e[32];
    const size_t small = (size_t)1 << t->min;

    printf("\nexternal fragmentation: the region filled with blocks of %s B (%s blocks, %s\n"
           "splits), every other one freed\n", num(small, a), num(t->filled, b),
           num(t->fill_splits, c));
    printf("  free: %s blocks, %s B of %s, the largest %s B\n", num(t->holes.free_blocks, a),
           num(t->holes.free_bytes, b), num(t->region_bytes, c), num(t->holes.largest_free, d));
    printf("  buddy_alloc(%s): %s: no free block's buddy is free\n", num(2 * small, a),
           t->holes_refuse ? "NULL" : "a block");
    printf("  the rest freed: %s merges, %s free block of %s B\n", num(t->rest_merges, a),
           num(t->rest.free_blocks, b), num(t->rest.largest_free, c));

    printf("\nside by side but not buddies: four blocks of %s B, the 2nd and 3rd freed\n",
           num(t->quarter, a));
    printf("  buddy:     %s B free from +%s to +%s, %s; the largest block %s B\n",
           num(t->pair.free_bytes, a), num(t->quarter, b), num(3 * t->quarter, c),
           t->side_by_side ? "side by side" : "NOT side by side", num(t->pair.largest_free, d));
    printf("             buddy_alloc(%s): %s (the 2nd's buddy is the 1st, the 3rd's the 4th)\n",
           num(2 * t->quarter, a), t->pair_refuses ? "NULL" : "a block");
    printf("             the 1st freed too: %s merge; buddy_alloc(%s): %s\n",
           num(t->first_merges, a), num(2 * t->quarter, b), t->first_serves ? "a block" : "NULL");
    printf("  free list: the same four (a region of %s B); the 2nd and 3rd merged on free:\n"
           "             fl_alloc(%s): %s\n", num(t->fl_pair_region, e), num(t->fl_pair_largest, a),
           t->fl_serves ? "a block" : "NULL");
}

int main(int argc, char **argv)
{
    struct bdtour t;
    unsigned k = BDTOUR_K, min = BDTOUR_MIN;
    char kib[32], a[32], b[32], c[32], d[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 2, "[K [MIN]]");
    if (argc >= 2)
        k = (unsigned)cli_u64(PROG, "K", argv[1], MIN_K, BDTOUR_MAX_K);
    if (argc >= 3)
        min = (unsigned)cli_u64(PROG, "MIN", argv[2], BUDDY_MIN_ORDER, k - 3);
    if (bdtour_run(&t, k, min) != 0)
        cli_oom(PROG, "allocating the regions");

    printf("buddy: a region of %s (%s B) and its side table of %s B, from one malloc\n"
           "(buddy_init); blocks of 2^o bytes, o from %u (%s B) to %u, each at a multiple of\n"
           "its size; no header in a block: its order and state sit in the side table, a byte\n"
           "per %s B\n\n", report_bytes((double)t.region_bytes, kib, sizeof kib),
           num(t.region_bytes, a), num(t.table_bytes, b), min, num((size_t)1 << min, c), k,
           num((size_t)1 << min, d));
    sequence(&t);
    waste(&t);
    worst(&t);
    holes(&t);
    return 0;
}
