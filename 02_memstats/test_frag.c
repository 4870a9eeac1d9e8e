/* test_frag.c: lesson 02's fragmentation. mixed and arena keep the same entries; exact
 * counts for each step; after the load, mixed leaves one free chunk per scratch buffer
 * (none can merge: an entry sits between each two), its heap in use falls and its RSS
 * does not, even after malloc_trim; arena gives its pages back when the load is done. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <malloc.h>

#include "alloc_assert.h"
#include "frag.h"
#include "memstats.h"

#define N 5000
#define TCACHE 7                             /* freed chunks per size glibc's tcache keeps */
#define PER_CHUNK ((FRAG_ARENA_CHUNK - 16) / 1008) /* scratch buffers per arena chunk */
#define CHUNKS(n) (((n) + PER_CHUNK - 1) / PER_CHUNK)

Test(frag, mixed_and_arena_keep_the_same_entries)
{
    struct frag_mixed m;
    struct frag_arena a;

    cr_assert(eq(int, frag_mixed_load(&m, N), 0));
    cr_assert(eq(int, frag_arena_load(&a, N, 0), 0));
    frag_mixed_done(&m);
    frag_arena_done(&a);
    cr_assert(eq(u64, frag_digest(m.entry, m.n), frag_digest(a.entry, a.n)));
    cr_assert(eq(u64, m.entry[N - 1]->id, N - 1));
    frag_mixed_free(&m);
    frag_arena_free(&a);
}

Test(frag, mixed_load_makes_two_allocations_per_record_and_two_arrays)
{
    struct frag_mixed m;

    ASSERT_ALLOCS(frag_mixed_load(&m, N), 2 * N + 2,
                  N * (FRAG_SCRATCH + sizeof(struct frag_entry)) + 2 * N * sizeof(void *));
    frag_mixed_free(&m);
}

Test(frag, arena_load_makes_one_allocation_per_record_and_one_per_arena_chunk)
{
    struct frag_arena a;

    cr_assert(eq(int, CHUNKS(N), 5), "1,040 scratch buffers of 1,008 B per 1 MiB chunk");
    ASSERT_ALLOCS(frag_arena_load(&a, N, 0), N + 1 + CHUNKS(N),
                  N * sizeof(struct frag_entry) + N * sizeof(void *) +
                      CHUNKS(N) * FRAG_ARENA_CHUNK);
    frag_arena_free(&a);
}

Test(frag, ending_the_load_frees_the_scratch_and_allocates_nothing)
{
    struct frag_mixed m;
    struct frag_arena a;
    struct countalloc_stats d;

    frag_mixed_load(&m, N);
    frag_arena_load(&a, N, 0);
    ALLOC_MEASURE(frag_mixed_done(&m), d);
    cr_assert(eq(u64, d.mallocs, 0));
    cr_assert(eq(u64, d.frees, N + 1), "every scratch buffer and their array");
    ALLOC_MEASURE(frag_arena_done(&a), d);
    cr_assert(eq(u64, d.mallocs, 0));
    cr_assert(eq(u64, d.frees, CHUNKS(N)), "the arena's chunks, one free each");
    frag_mixed_free(&m);
    frag_arena_free(&a);
}

Test(frag, both_sides_leave_nothing_behind)
{
    ASSERT_NO_LEAK({
        struct frag_mixed m;
        frag_mixed_load(&m, N);
        frag_mixed_done(&m);
        frag_mixed_free(&m);
    });
    ASSERT_NO_LEAK({
        struct frag_arena a;
        frag_arena_load(&a, N, 0);
        frag_arena_done(&a);
        frag_arena_free(&a);
    });
}

/* ---- the allocator's view ---- */

Test(frag, mixed_leaves_a_free_chunk_per_scratch_buffer_that_nothing_can_merge,
     GLIBC_MALLOC_ONLY)
{
    struct frag_mixed m;
    struct mallinfo2 b, a;

    cr_assert(eq(int, frag_mixed_load(&m, N), 0));
    b = mallinfo2();
    frag_mixed_done(&m);
    a = mallinfo2();
    /* the first 7 go to the tcache (in use, says mallinfo2); the scratch array, freed
     * last, sits between the entry array and a chunk in the tcache: it stays whole too */
    cr_assert(eq(sz, a.ordblks - b.ordblks, N - TCACHE + 1),
              "%d scratch buffers freed between live entries: as many free chunks", N);
    cr_assert(eq(sz, a.fordblks - b.fordblks,
                 (N - TCACHE) * (size_t)1024 + ((N * sizeof(void *) + 16 + 8 + 15) & ~(size_t)15)),
              "1,000 B + 16 (countalloc) + 8 (glibc) = a 1,024-byte chunk each");
    frag_mixed_free(&m);
}

/* ---- the operating system's view ---- */

#define BIG 20000 /* records: 20 MiB of scratch, enough for the page counts to speak */

Test(frag, mixed_keeps_its_pages_after_the_load_and_after_malloc_trim, GLIBC_MALLOC_ONLY)
{
    struct frag_mixed m;
    struct views start, loaded, done, trimmed;
    int64_t grown;

    views_read(&start);
    cr_assert(eq(int, frag_mixed_load(&m, BIG), 0));
    views_read(&loaded);
    frag_mixed_done(&m);
    views_read(&done);
    malloc_trim(0);
    views_read(&trimmed);
    grown = (int64_t)loaded.os.rss - (int64_t)start.os.rss;
    cr_assert(lt(u64, done.program.heap_alloc - start.program.heap_alloc,
                 (loaded.program.heap_alloc - start.program.heap_alloc) / 10),
              "the heap in use falls by over 90%%");
    cr_assert(gt(i64, (int64_t)done.os.rss, (int64_t)loaded.os.rss - grown / 10),
              "RSS stays: every page still holds entries");
    cr_assert(gt(i64, (int64_t)trimmed.os.rss, (int64_t)loaded.os.rss - grown / 10),
              "malloc_trim finds no whole free page to give back");
    frag_mixed_free(&m);
}

Test(frag, arena_gives_its_pages_back_when_the_load_is_done, GLIBC_MALLOC_ONLY)
{
    struct frag_arena a;
    struct views start, loaded, done;
    int64_t grown;

    views_read(&start);
    cr_assert(eq(int, frag_arena_load(&a, BIG, 0), 0));
    views_read(&loaded);
    frag_arena_done(&a);
    views_read(&done);
    grown = (int64_t)loaded.os.rss - (int64_t)start.os.rss;
    cr_assert(lt(i64, (int64_t)done.os.rss - (int64_t)start.os.rss, grown / 4),
              "RSS falls to the entries' pages: start %llu, loaded %llu, done %llu",
              (unsigned long long)start.os.rss, (unsigned long long)loaded.os.rss,
              (unsigned long long)done.os.rss);
    frag_arena_free(&a);
}

/* ---- OOM sweeps ---- */

static int job_mixed(void *ctx)
{
    struct frag_mixed m;

    (void)ctx;
    if (frag_mixed_load(&m, 10) != 0)
        return -1;
    frag_mixed_free(&m);
    return 0;
}

static int job_arena(void *ctx)
{
    struct frag_arena a;

    (void)ctx;
    /* 4 KiB chunks hold 4 scratch buffers: 10 records take three chunks, each can fail */
    if (frag_arena_load(&a, 10, 4096) != 0)
        return -1;
    frag_arena_free(&a);
    return 0;
}

Test(frag, mixed_load_survives_every_allocation_failing)
{
    ASSERT_SWEEP_CLEAN(job_mixed, NULL);
}

Test(frag, arena_load_survives_every_allocation_failing)
{
    ASSERT_SWEEP_CLEAN(job_arena, NULL);
}
