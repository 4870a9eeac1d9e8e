/* freelist.c: "how would you implement malloc?", answered small: the free-list allocator
 * of freelist.h on one region of 4 KiB, step by step (fltour.h), every figure read from
 * the allocator, then fl_realloc's paths, and how often a growing block stays in place,
 * beside the C library's realloc. make freelist-04 runs it (PART=malloc or PART=realloc:
 * one part only; the program's one optional argument). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fltour.h"
#include "report.h"

#define PROG "freelist"

static const char *num(size_t n, char *buf)
{
    return report_count(n, buf, 32);
}

static void row(const char *what, const struct fl_stats *s)
{
    char u[32], f[32], b[32], l[32], h[32];

    printf("  %-34s %6s %6s %10s %9s %8s %6zu\n", what, num(s->used_blocks, u),
           num(s->free_blocks, f), num(s->free_bytes, b), num(s->largest_free, l),
           num(s->header_bytes, h), s->edge_bytes);
}

static void header_cost(const struct fltour *t)
{
    char r[32], b[32], u[32];

    printf("the header cost: the block a request takes (the request + the %zu B header,\n"
           "rounded up to %zu, at least %zu)\n", (size_t)FL_HEADER, (size_t)FL_ALIGN,
           (size_t)FL_MIN_BLOCK);
    printf("  %9s %8s %8s\n", "request", "block", "usable");
    for (size_t i = 0; i < FLTOUR_COSTS; i++)
        printf("  %9s %8s %8s\n", num(fltour_cost_requests[i], r), num(t->cost_block[i], b),
               num(t->cost_usable[i], u));
}

static void steps(const struct fltour *t)
{
    const struct fl_stats *at = t->at;
    char what[64], a[32], b[32];

    printf("\nthe region, step by step (in use, free: blocks; free bytes: what the free blocks\n"
           "hold, headers not counted; largest: the largest request that fits; edges: bytes\n"
           "outside every block)\n");
    printf("  %-34s %6s %6s %10s %9s %8s %6s\n", "", "in use", "free", "free bytes", "largest",
           "headers", "edges");
    row("fl_init: one free block", &at[FLTOUR_INIT]);
    snprintf(what, sizeof what, "fl_alloc(%d) splits it", FLTOUR_SPLIT);
    row(what, &at[FLTOUR_SPLIT_DONE]);
    printf("    in use: a %s B block, payload at +%zu; free: the rest, %s B at +%zu\n",
           num(t->split_block, a), t->split_at, num(t->rest_block, b), t->rest_at);
    row("fl_free of it: merged back", &at[FLTOUR_UNSPLIT]);
    snprintf(what, sizeof what, "fl_alloc(%d) until NULL", FLTOUR_SMALL);
    row(what, &at[FLTOUR_FILLED]);
    printf("    %s blocks of %zu B fill the region\n", num(t->filled, a), t->small_block);
    row("every other one freed", &at[FLTOUR_HOLES]);
    printf("    fl_alloc(%d): %s, though %s B are free: no free block holds %d B\n", FLTOUR_BIG,
           t->holes_refuse ? "NULL" : "a block", num(at[FLTOUR_HOLES].free_bytes, a), FLTOUR_BIG);
    row("the 2nd freed: 3 blocks merge", &at[FLTOUR_MERGE3]);
    row("the rest freed: 1 block again", &at[FLTOUR_MERGED]);
    printf("    fl_alloc(%d): %s\n", FLTOUR_BIG, t->merged_serves ? "a block" : "NULL");
}

static void first_fit(const struct fltour *t)
{
    static const char names[] = "ABCDE";
    char call[32], a[32], b[32];

    printf("\nfirst fit: five blocks, then B and D freed (D last: the list is newest first);\n"
           "+N: where a payload starts, from the region's start\n");
    for (size_t i = 0; i < FLTOUR_FIT_BLOCKS; i++) {
        snprintf(call, sizeof call, "fl_alloc(%zu)", fltour_fit_requests[i]);
        printf("  %c  %-14s a %3zu B block at +%s\n", names[i], call, t->fit_block[i],
               num(t->fit_at[i], a));
    }
    printf("  fl_alloc(%d) returns +%s: %s\n", FLTOUR_FIT_TAKE, num(t->take_at, a),
           t->take_at == t->fit_at[3] ? "D, the first on the list that fits, split (B fits better)"
                                      : "not D");
    printf("  fl_alloc(%d) returns +%s: %s\n", FLTOUR_FIT_PASS, num(t->pass_at, b),
           t->pass_at == t->tail_at ? "the region's free tail, past D's rest and B (too small)"
                                    : "not the tail");
}

static const char *const resize_after[FLTOUR_RESIZES] = {
    [FLTOUR_SHRINK] = "free space",
    [FLTOUR_GROW_NEXT] = "free space",
    [FLTOUR_GROW_MOVE] = "a 1-byte block in use",
    [FLTOUR_REFUSE] = "",
    [FLTOUR_TO_ZERO] = "",
};

static void resizes(const struct fltour *t, bool after_the_tour)
{
    char call[32], a[32], b[32];

    printf("%sfl_realloc: one block of %s B resized step by step, on the same region (after\n"
           "p: what follows the block; block: its bytes, header included; both before -> after)\n",
           after_the_tour ? "\n" : "", num(FLTOUR_RESIZE_FROM, a));
    printf("  %-21s %-22s %-12s %-16s %-13s  %s\n", "call", "after p", "returns", "  block",
           "  free blocks", "p's bytes kept");
    for (int s = 0; s < FLTOUR_RESIZES; s++) {
        const struct fltour_resize *r = &t->resize[s];

        snprintf(call, sizeof call, "fl_realloc(p, %s)", num(fltour_resize_to[s], a));
        printf("  %-21s %-22s %-12s %6s -> %-6s %5zu -> %-4zu  %s\n", call, resize_after[s],
               r->refused ? "NULL" : r->same ? "the same p" : "a new block",
               num(r->block_before, a), num(r->block_after, b), r->free_before, r->free_after,
               r->kept ? "yes" : "NO");
    }
}

static void growth(const struct fltour_growth *g)
{
    const char *names[2] = {"fl_realloc", "realloc (glibc's)"};
    char last[32], i0[32], m0[32], i1[32], m1[32], b1[32], between[64];

    printf("\none block grown by %d B, %d times (%d B to %s B), with fl_realloc on a region\n"
           "of %d KiB and with the C library's realloc, in the same run. In place: the same\n"
           "pointer came back; below: neighbours placed at a lower address than the block\n",
           FLTOUR_STEP, FLTOUR_GROWTHS, FLTOUR_STEP,
           num((size_t)FLTOUR_STEP * (FLTOUR_GROWTHS + 1), last), FLTOUR_GROW_REGION / 1024);
    snprintf(between, sizeof between, "a %d B block allocated before each", FLTOUR_NEIGHBOUR);
    printf("  %-20s %24s   %s\n", "", "nothing else allocated", between);
    printf("  %-20s %12s %11s   %10s %10s %10s\n", "", "in place", "moved", "in place", "moved",
           "below");
    for (int k = 0; k < 2; k++) {
        const struct fltour_count *c = k == 0 ? g->fl : g->libc;

        printf("  %-20s %12s %11s   %10s %10s %10s\n", names[k], num(c[0].in_place, i0),
               num(c[0].moved, m0), num(c[1].in_place, i1), num(c[1].moved, m1),
               num(c[1].behind, b1));
    }
}

int main(int argc, char **argv)
{
    struct fltour t;
    struct fltour_growth g;
    char kib[32], b[32];
    bool malloc_part = true, realloc_part = true;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[malloc|realloc]");
    if (argc == 2) {
        malloc_part = strcmp(argv[1], "malloc") == 0;
        realloc_part = strcmp(argv[1], "realloc") == 0;
        if (!malloc_part && !realloc_part) {
            fprintf(stderr, "%s: PART must be malloc or realloc (none: both), got '%s'\n", PROG,
                    argv[1]);
            return 2;
        }
    }
    if (fltour_run(&t) != 0)
        cli_oom(PROG, "allocating the region");
    if (realloc_part && fltour_growth(&g) != 0)
        cli_oom(PROG, "growing the blocks");

    if (malloc_part) {
        printf("a region of %s (%s B) from one malloc, given to fl_init; every block has an\n"
               "%zu B header (its size, and flags: in use, previous in use), its payload 16-byte\n"
               "aligned; a free block also holds two links and a footer\n\n",
               report_bytes((double)t.region, kib, sizeof kib), num(t.region, b),
               (size_t)FL_HEADER);
        header_cost(&t);
        steps(&t);
        first_fit(&t);
    }
    if (realloc_part) {
        resizes(&t, malloc_part);
        growth(&g);
    }
    return 0;
}
