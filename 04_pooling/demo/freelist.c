/* freelist.c: "how would you implement malloc?", answered small: the free-list allocator
 * of freelist.h on one region of 4 KiB, step by step (fltour.h), every figure read from
 * the allocator. make freelist-04 runs it. Takes no arguments. */
#include <stdio.h>

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

int main(int argc, char **argv)
{
    struct fltour t;
    char kib[32], b[32];

    (void)argv;
    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 0, "(it takes none)");
    if (fltour_run(&t) != 0)
        cli_oom(PROG, "allocating the region");

    printf("a region of %s (%s B) from one malloc, given to fl_init; every block has an\n"
           "%zu B header (its size, and flags: in use, previous in use), its payload 16-byte\n"
           "aligned; a free block also holds two links and a footer\n\n",
           report_bytes((double)t.region, kib, sizeof kib), num(t.region, b), (size_t)FL_HEADER);
    header_cost(&t);
    steps(&t);
    first_fit(&t);
    return 0;
}
