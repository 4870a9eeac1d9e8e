/* test_inside.c: lesson 02's "glibc malloc inside". What glibc's chunk header, mallinfo2,
 * the program break and /proc/self/status say, as exact deltas: the smallest chunk and
 * the alignment, the mmap threshold that a free moves, the tcache's 7 chunks per size,
 * an arena per thread and M_ARENA_MAX, and malloc_trim giving pages back: under a live
 * block without moving the break, and a free top by moving it. Each test runs in a fresh
 * worker process, so glibc's thresholds start at their defaults. The same on glibc 2.36
 * and 2.41. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <malloc.h>
#include <stdalign.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "inside.h"
#include "procfs.h"

#define MIB ((size_t)1 << 20)

/* ---- the smallest block, the alignment ---- */

Test(glibc_inside, malloc_0_returns_a_32_byte_chunk_with_24_usable_bytes, GLIBC_MALLOC_ONLY)
{
    void *p;

    p = inside_glibc_malloc(0);
    cr_assert(p != NULL, "glibc's malloc(0) returns a unique block, not NULL");
    cr_assert(eq(sz, platform_chunk_of(p).size, 32));
    cr_assert(eq(sz, platform_glibc_usable_size(p), 24),
              "glibc's malloc_usable_size: the chunk less its 8-byte size field");
    inside_glibc_free(p);
}

Test(glibc_inside, every_chunk_is_the_request_plus_8_rounded_up_to_16_and_16_byte_aligned,
     GLIBC_MALLOC_ONLY)
{
    for (size_t n = 1; n <= 4096; n++) {
        void *p = inside_glibc_malloc(n);
        size_t want = (n + 8 + 15) & ~(size_t)15;

        cr_assert(p != NULL);
        cr_assert(eq(sz, (uintptr_t)p % alignof(max_align_t), 0), "malloc(%zu) at %p", n, p);
        cr_assert(eq(sz, platform_chunk_of(p).size, want < 32 ? 32 : want), "malloc(%zu)", n);
        inside_glibc_free(p);
    }
    cr_assert(eq(sz, alignof(max_align_t), 16));
}

/* ---- brk or mmap: the threshold that moves ---- */

Test(glibc_inside, a_free_of_an_mmapped_block_raises_the_mmap_threshold_to_its_chunk,
     GLIBC_MALLOC_ONLY)
{
    struct mallinfo2 b, a;
    void *p, *q;
    char *brk0;

    /* 8 MiB: more than the heap's top holds here, so the threshold decides (a request
     * the top can serve never reaches the threshold test) */
    b = mallinfo2();
    p = inside_glibc_malloc(8 * MIB);
    a = mallinfo2();
    cr_assert(platform_chunk_of(p).mmapped, "past the first threshold (128 KiB): its own pages");
    cr_assert(eq(sz, a.hblkhd - b.hblkhd, 8 * MIB + 4096), "mmap'd: 8 MiB + 8 up to a page");
    inside_glibc_free(p); /* the threshold becomes 8 MiB + 4 KiB, the trim threshold twice */
    brk0 = sbrk(0);
    b = mallinfo2();
    q = inside_glibc_malloc(8 * MIB);
    a = mallinfo2();
    cr_assert(not(platform_chunk_of(q).mmapped), "the same request now comes from the heap");
    cr_assert(eq(sz, a.hblkhd - b.hblkhd, 0));
    cr_assert(eq(sz, platform_chunk_of(q).size, 8 * MIB + 16));
    cr_assert(gt(ptr, sbrk(0), brk0), "the heap grew with brk to serve it");
    inside_glibc_free(q);
}

Test(glibc_inside, the_mmap_threshold_stops_rising_at_32_mib, GLIBC_MALLOC_ONLY)
{
    void *p;

    p = inside_glibc_malloc(64 * MIB);
    cr_assert(platform_chunk_of(p).mmapped);
    inside_glibc_free(p);
    p = inside_glibc_malloc(64 * MIB);
    cr_assert(platform_chunk_of(p).mmapped, "a block past 32 MiB never raises the threshold");
    inside_glibc_free(p);
}

Test(glibc_inside, mallopt_fixes_the_mmap_threshold_so_that_frees_do_not_move_it,
     GLIBC_MALLOC_ONLY)
{
    void *p;

    cr_assert(eq(int, mallopt(M_MMAP_THRESHOLD, 128 * 1024), 1));
    p = inside_glibc_malloc(8 * MIB);
    cr_assert(platform_chunk_of(p).mmapped);
    inside_glibc_free(p);
    p = inside_glibc_malloc(8 * MIB);
    cr_assert(platform_chunk_of(p).mmapped, "the threshold stayed at 128 KiB");
    inside_glibc_free(p);
}

/* ---- tcache and bins ---- */

#define TCACHE 7 /* chunks per size in the tcache: glibc.malloc.tcache_count */

Test(glibc_inside, seven_freed_chunks_per_size_stay_in_the_tcache_the_rest_go_to_a_fastbin,
     GLIBC_MALLOC_ONLY)
{
    void *warm[TCACHE], *blk[10], *guard;
    struct mallinfo2 b, a;

    for (int i = 0; i < TCACHE; i++) /* empties this size's tcache, whatever it held */
        warm[i] = inside_glibc_malloc(100);
    for (int i = 0; i < 10; i++)
        blk[i] = inside_glibc_malloc(100);
    guard = inside_glibc_malloc(100); /* keeps the last one off the top */
    b = mallinfo2();
    for (int i = 0; i < 10; i++)
        inside_glibc_free(blk[i]);
    a = mallinfo2();
    cr_assert(eq(sz, b.uordblks - a.uordblks, 3 * 112),
              "only 3 chunks leave 'in use': mallinfo2 counts the tcache's 7 as in use");
    cr_assert(eq(sz, a.smblks - b.smblks, 3), "the 3 past the tcache sit in a fastbin");
    cr_assert(eq(sz, a.fsmblks - b.fsmblks, 3 * 112));
    cr_assert(eq(ptr, inside_glibc_malloc(100), blk[TCACHE - 1]),
              "the tcache is a stack: the last chunk it took comes back first");
    for (int i = 0; i < TCACHE; i++)
        inside_glibc_free(warm[i]);
    inside_glibc_free(blk[TCACHE - 1]);
    inside_glibc_free(guard);
}

Test(glibc_inside, chunks_past_the_fastbins_merge_with_free_neighbours, GLIBC_MALLOC_ONLY)
{
    void *warm[TCACHE], *blk[10], *guard;
    struct mallinfo2 b, a;

    for (int i = 0; i < TCACHE; i++)
        warm[i] = inside_glibc_malloc(200);
    for (int i = 0; i < 10; i++)
        blk[i] = inside_glibc_malloc(200);
    guard = inside_glibc_malloc(200);
    b = mallinfo2();
    for (int i = 0; i < 10; i++)
        inside_glibc_free(blk[i]);
    a = mallinfo2();
    cr_assert(eq(sz, a.ordblks - b.ordblks, 1), "3 neighbours became 1 free chunk");
    cr_assert(eq(sz, a.fordblks - b.fordblks, 3 * 208));
    cr_assert(eq(sz, a.smblks - b.smblks, 0), "a 208-byte chunk is past the fastbins");
    for (int i = 0; i < TCACHE; i++)
        inside_glibc_free(warm[i]);
    inside_glibc_free(guard);
}

/* ---- arenas ---- */

#define THREADS 4

Test(glibc_inside, each_thread_alive_at_once_gets_an_arena_of_its_own, GLIBC_MALLOC_ONLY)
{
    struct inside_threads_seen seen;

    cr_assert(eq(int, inside_threads(THREADS, 1000, &seen), 0));
    cr_assert(eq(int, seen.arenas - seen.arenas_before, THREADS),
              "%d threads allocating at once: %d new arenas (8 per core at most)", THREADS,
              THREADS);
    cr_assert(eq(int, seen.other_arena, THREADS), "every thread's block is from its arena");
    cr_assert(eq(u64, seen.vmsize, THREADS * 64 * MIB),
              "each new arena reserves 64 MiB of address space (HEAP_MAX_SIZE)");
}

Test(glibc_inside, m_arena_max_1_keeps_every_thread_on_the_main_arena, GLIBC_MALLOC_ONLY)
{
    struct inside_threads_seen seen;

    /* in a child: M_ARENA_MAX counts only before the process's first extra arena */
    cr_assert(eq(int, inside_threads_in_child(1, THREADS, 1000, &seen), 0));
    cr_assert(eq(int, seen.arenas - seen.arenas_before, 0), "the threads share the arenas there are");
    cr_assert(eq(u64, seen.vmsize, 0), "no arena, no address space reserved");
}

/* ---- malloc_trim ---- */

#define TRIM_N 20000

Test(glibc_inside, malloc_trim_gives_back_the_pages_under_a_live_block_without_moving_the_break,
     GLIBC_MALLOC_ONLY)
{
    static void *blk[TRIM_N];
    uint64_t size, rss0, rss_built, rss_freed, rss_trimmed;
    size_t top;
    char *brk_built, *brk_trimmed;
    void *pin;
    int64_t grown;

    procfs_self_vm(&size, &rss0);
    for (int i = 0; i < TRIM_N; i++) {
        blk[i] = inside_glibc_malloc(1000);
        memset(blk[i], 1, 1000);
    }
    pin = inside_glibc_malloc(4096); /* past the tcache: its free merges */
    procfs_self_vm(&size, &rss_built);
    brk_built = sbrk(0);
    for (int i = 0; i < TRIM_N; i++)
        inside_glibc_free(blk[i]);
    procfs_self_vm(&size, &rss_freed);
    top = mallinfo2().keepcost; /* the free space above the live block */
    cr_assert(eq(int, malloc_trim(0), 1), "malloc_trim returns 1 when it gave memory back");
    procfs_self_vm(&size, &rss_trimmed);
    brk_trimmed = sbrk(0);
    grown = (int64_t)rss_built - (int64_t)rss0;
    cr_assert(grown > 15 * (int64_t)MIB, "20,000 blocks of 1,000 B: about 19 MiB resident");
    cr_assert(gt(i64, (int64_t)rss_freed, (int64_t)rss_built - grown / 10),
              "free keeps the pages: RSS built %llu, freed %llu",
              (unsigned long long)rss_built, (unsigned long long)rss_freed);
    cr_assert(lt(i64, (int64_t)rss_trimmed, (int64_t)rss0 + grown / 10),
              "malloc_trim(0) gives the free pages back (madvise): RSS %llu -> %llu",
              (unsigned long long)rss_freed, (unsigned long long)rss_trimmed);
    cr_assert(le(sz, (size_t)(brk_built - brk_trimmed), top),
              "the break moves down by the free top at most: the live block holds the rest");
    inside_glibc_free(pin);
    cr_assert(lt(ptr, sbrk(0), brk_built - 15 * MIB), "freeing the top block trims the heap");
}

Test(glibc_inside, malloc_trim_also_moves_the_break_down_over_a_free_top, GLIBC_MALLOC_ONLY)
{
    static void *blk[TRIM_N];
    char *brk_freed, *brk_trimmed;

    cr_assert(eq(int, mallopt(M_TRIM_THRESHOLD, 64 * (int)MIB), 1), "free keeps a free top");
    for (int i = 0; i < TRIM_N; i++)
        blk[i] = inside_glibc_malloc(1000);
    for (int i = 0; i < TRIM_N; i++)
        inside_glibc_free(blk[i]);
    brk_freed = sbrk(0);
    cr_assert(gt(sz, mallinfo2().keepcost, 15 * MIB), "the freed blocks merged into the top");
    cr_assert(eq(int, malloc_trim(0), 1), "malloc_trim returns 1 when it gave memory back");
    brk_trimmed = sbrk(0);
    cr_assert(gt(sz, (size_t)(brk_freed - brk_trimmed), 15 * MIB),
              "malloc_trim(0) shrinks the free top: the break moves down");
}

/* ---- inside_arenas allocates: the OOM sweep ---- */

static int job_arenas(void *ctx)
{
    (void)ctx;
    return inside_arenas() > 0 ? 0 : -1;
}

static int job_threads(void *ctx)
{
    struct inside_threads_seen seen;

    (void)ctx;
    return inside_threads(2, 100, &seen);
}

Test(glibc_inside, counting_the_arenas_reports_a_failed_allocation)
{
    /* malloc_info's writes fail inside the memory stream; the count sees the error */
    ASSERT_SWEEP_CLEAN(job_arenas, NULL);
}

Test(glibc_inside, starting_the_threads_reports_a_failed_allocation)
{
    /* glibc keeps a finished thread's stack, with its TLS block (288 bytes, calloc'd),
     * for the next thread: a first run fills that cache, so the sweep's runs count the
     * job's own allocations */
    cr_assert(eq(int, job_threads(NULL), 0));
    ASSERT_SWEEP_CLEAN(job_threads, NULL);
}
