/* aligned.c: how to get an aligned block and what it costs (aligned.h): the alignment
 * malloc gives, glibc's chunks for aligned_alloc at 16 to 4096, what n of them in a row
 * leave between them against n mallocs, the calls' errors, and an aligned block made by
 * hand on top of malloc.
 *
 *   aligned [N]    N blocks in a row (default 100)
 *
 * make aligned-02 runs it. */
#include <errno.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "aligned.h"
#include "cli.h"
#include "countalloc.h"
#include "platform.h"
#include "report.h"

#define PROG "aligned"
#define DEFAULT_N 100
#define MAX_N 10000
#define MALLOC_SIZES 1024 /* malloc(1) .. malloc(1024) for the guarantee */

static const size_t align[] = {16, 32, 64, 256, 4096};
static const size_t size[] = {64, 1024};
#define ALIGNS (sizeof align / sizeof align[0])
#define SIZES (sizeof size / sizeof size[0])

static void guarantee(void)
{
    size_t seen;

    if (aligned_malloc_seen(MALLOC_SIZES, &seen) != 0)
        cli_oom(PROG, "calling malloc");
    printf("malloc's alignment: every block of malloc(1) .. malloc(%d) at a multiple of %zu\n",
           MALLOC_SIZES, seen);
    printf("  (the lowest set bit over their addresses); _Alignof(max_align_t) = %zu\n\n",
           alignof(max_align_t));
}

/* Each call once through the counting allocator: one allocation of the bytes asked for. */
static void counted(void)
{
    enum aligned_call call[] = {ALIGNED_ALIGNED_ALLOC, ALIGNED_POSIX_MEMALIGN, ALIGNED_MEMALIGN};
    unsigned calls = 0, right = 0, aligned = 0, refused = 0;

    for (size_t c = 0; c < sizeof call / sizeof call[0]; c++)
        for (size_t a = 0; a < ALIGNS; a++)
            for (size_t s = 0; s < SIZES; s++) {
                struct countalloc_stats start, d;
                void *p;
                int err;

                countalloc_measure_begin(&start);
                p = aligned_call(call[c], align[a], size[s], &err);
                d = countalloc_measure_end(&start);
                calls++;
                if (p == NULL && err == EINVAL) { /* ASan's aligned_alloc: C11's size rule */
                    refused++;
                    continue;
                }
                if (p == NULL)
                    cli_oom(PROG, "asking for an aligned block");
                right += d.mallocs == 1 && d.total_alloc == size[s];
                aligned += aligned_of(p) >= align[a];
                aligned_free(call[c], p);
            }
    printf("counted: aligned_alloc, posix_memalign and memalign at each alignment and size\n"
           "  %u calls; %u counted as 1 allocation of the bytes asked for; %u aligned as asked\n",
           calls, right, aligned);
    if (refused > 0)
        printf("  %u refused with EINVAL: a size that is not a multiple of the alignment (ASan)\n",
               refused);
    printf("\n");
}

static void footprint(enum aligned_call c, size_t al, size_t sz, unsigned n, struct aligned_footprint *one,
                      struct aligned_footprint *many)
{
    if (aligned_footprint(c, al, sz, 1, one) != 0 || aligned_footprint(c, al, sz, n, many) != 0)
        cli_oom(PROG, "measuring glibc's heap");
}

static void footprint_row(const char *what, const struct aligned_footprint *one,
                          const struct aligned_footprint *many, unsigned n)
{
    printf("  %-26s %6llu %7llu %9.1f %9.1f %7.1f %7.1f %6lld\n", what,
           (unsigned long long)one->chunk, (unsigned long long)one->taken,
           (double)many->taken / n, (double)many->chunks / n, (double)many->parked / n,
           (double)many->binned / n, (long long)many->free_chunks);
}

static bool same_footprint(const struct aligned_footprint *x, const struct aligned_footprint *y)
{
    return x->chunk == y->chunk && x->chunks == y->chunks && x->taken == y->taken &&
           x->parked == y->parked && x->binned == y->binned && x->free_chunks == y->free_chunks;
}

static void glibc_table(size_t sz, unsigned n)
{
    struct aligned_footprint one, many, one2, many2;
    char what[40], nb[32];
    unsigned same = 0, rows = 0;

    printf("glibc's own, %zu B blocks, each row in a fresh child: one block, then %s in a row\n",
           sz, report_count(n, nb, sizeof nb));
    printf("  %-26s %6s %7s %9s %9s %7s %7s %6s\n", "", "chunk", "taken", "taken/blk",
           "chunk/blk", "tcache", "bins", "free");
    footprint(ALIGNED_MALLOC, 16, sz, n, &one, &many);
    snprintf(what, sizeof what, "malloc(%zu)", sz);
    footprint_row(what, &one, &many, n);
    for (size_t a = 0; a < ALIGNS; a++) {
        footprint(ALIGNED_ALIGNED_ALLOC, align[a], sz, n, &one, &many);
        snprintf(what, sizeof what, "aligned_alloc(%zu, %zu)", align[a], sz);
        footprint_row(what, &one, &many, n);
        for (enum aligned_call c = ALIGNED_POSIX_MEMALIGN; c <= ALIGNED_MEMALIGN; c++) {
            footprint(c, align[a], sz, n, &one2, &many2);
            same += same_footprint(&one, &one2) && same_footprint(&many, &many2) && many2.aligned;
            rows++;
        }
    }
    for (size_t a = 2; a < ALIGNS; a++) {
        footprint(ALIGNED_OWN, align[a], sz, n, &one, &many);
        snprintf(what, sizeof what, "own(%zu, %zu)", align[a], sz);
        footprint_row(what, &one, &many, n);
    }
    printf("  posix_memalign and memalign: the same figures as aligned_alloc in %u of %u rows\n\n",
           same, rows);
}

/* The alignment a block asked for with `al` should have: the next power of two, and
 * malloc's own at least. */
static size_t alignment_due(size_t al)
{
    size_t want = alignof(max_align_t);

    while (want < al)
        want <<= 1;
    return want;
}

static void outcome(enum aligned_call c, size_t al, size_t sz)
{
    size_t want = alignment_due(al);
    struct aligned_outcome o;
    char call[48];

    if (aligned_glibc_outcome(c, al, sz, &o) != 0)
        cli_oom(PROG, "calling glibc");
    if (c == ALIGNED_POSIX_MEMALIGN)
        snprintf(call, sizeof call, "posix_memalign(&p, %zu, %zu)", al, sz);
    else
        snprintf(call, sizeof call, "%s(%zu, %zu)", aligned_call_name(c), al, sz);
    printf("  %-30s ", call);
    if (o.block && o.block_align >= want)
        printf("a block at a multiple of %zu", want);
    else if (o.block)
        printf("a block at a multiple of only %zu", o.block_align);
    else
        printf("NULL");
    if (c == ALIGNED_POSIX_MEMALIGN)
        printf(", returns %s, errno %s, *memptr %s\n", o.ret == 0 ? "0" : strerrorname_np(o.ret),
               o.err == 0 ? "untouched" : strerrorname_np(o.err),
               o.wrote_memptr ? "written" : "untouched");
    else
        printf(", errno %s\n", o.err == 0 ? "untouched" : strerrorname_np(o.err));
}

static void errors(void)
{
    printf("glibc's own, the cases a caller gets wrong (a block is freed at once; its address\n"
           "checked against the next power of two, at least malloc's %zu)\n", alignof(max_align_t));
    outcome(ALIGNED_POSIX_MEMALIGN, 24, 64);
    outcome(ALIGNED_POSIX_MEMALIGN, 4, 64);
    outcome(ALIGNED_POSIX_MEMALIGN, 0, 64);
    outcome(ALIGNED_ALIGNED_ALLOC, 24, 64);
    outcome(ALIGNED_ALIGNED_ALLOC, 0, 64);
    outcome(ALIGNED_ALIGNED_ALLOC, 4, 64);
    outcome(ALIGNED_ALIGNED_ALLOC, 64, 10);
    outcome(ALIGNED_MEMALIGN, 24, 64);
    printf("  aligned_alloc refuses an alignment that is not a power of two here: %s\n",
           platform_aligned_alloc_checks_alignment() ? "yes" : "no");
}

int main(int argc, char **argv)
{
    unsigned n = DEFAULT_N;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc == 2)
        n = (unsigned)cli_u64(PROG, "N", argv[1], 1, MAX_N);

    printf("%s: how to get an aligned block, and what it costs\n\n", PROG);
    guarantee();
    counted();
    if (!aligned_glibc_serves()) {
        printf("glibc's chunks and errors: not read, glibc's malloc is not the one serving here\n");
        return 0;
    }
    printf("chunk: the block's chunk, header included; taken: what the heap's top gave up;\n"
           "per block over the row: taken, the blocks' chunks, and the split-off pieces\n"
           "parked in the tcache or free in the bins; free: free chunks added to the bins\n\n");
    for (size_t s = 0; s < SIZES; s++)
        glibc_table(size[s], n);
    errors();
    return 0;
}
