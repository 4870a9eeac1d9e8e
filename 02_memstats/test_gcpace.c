/* test_gcpace.c: lesson 02's "why is a Go heap about twice its live set", the C side.
 * free drops a block at once, so with a live set of n blocks the heap's peak is the live
 * set plus the one garbage block in flight; dropping garbage in batches, as a collector
 * does, moves the peak by the batch, exactly. Every figure is worked out here from n, the
 * block size and the batch; VmHWM, the kernel's figure, is bounded by the peak plus what
 * glibc adds to each block and keeps at the heap's top. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli.h"
#include "cli_assert.h"
#include "gcpace.h"

#define B GCPACE_BLOCK
#define PTR sizeof(void *)
#define LIVE 64      /* blocks in the live set */
#define GARBAGE 1000 /* garbage blocks through it */

/* glibc's chunk of a counted block: the counting allocator's 16-byte header, then glibc's
 * 8-byte size field, rounded up to 16: B + 32 bytes for B = 4096. */
#define CHUNK_OVERHEAD 32
/* What glibc asks the kernel for past the top when the heap grows (M_TOP_PAD's default). */
#define TOP_PAD (128 * 1024)
/* The kernel counts a thread's resident pages in batches (up to 64 pages apart), so
 * VmRSS and VmHWM can each be off by that much. */
#define PAGE_SLACK (64 * 4096)

/* ---- the live set ---- */

Test(gcpace_keep, the_live_set_is_one_allocation_per_block_plus_the_array)
{
    struct gcpace g = GCPACE_INIT;
    int rc = -1;

    ASSERT_ALLOCS(rc = gcpace_keep(&g, LIVE, B), 1 + LIVE, LIVE * PTR + LIVE * B);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(u64, gcpace_live_bytes(LIVE, B), LIVE * (B + PTR)));
    for (size_t i = 0; i < LIVE; i++)
        cr_assert(eq(u8, g.blocks[i][B - 1], (uint8_t)i), "block %zu is filled", i);

    struct countalloc_stats d;

    ALLOC_MEASURE(gcpace_free(&g), d);
    cr_assert(eq(u64, d.frees, 1 + LIVE));
    cr_assert(eq(i64, d.heap_alloc, -(int64_t)(LIVE * (B + PTR))), "free gives every byte back");
    cr_assert(eq(ptr, g.blocks, NULL));
    ASSERT_NO_ALLOCS(gcpace_free(&g)); /* an empty one: nothing */
}

Test(gcpace_keep, bad_sizes_are_einval_and_leave_the_set_as_it_was)
{
    struct gcpace g = GCPACE_INIT;
    static const size_t bad[][2] = {{0, B}, {LIVE, 0}, {SIZE_MAX, B}};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = 0;

        errno = 0;
        ASSERT_NO_ALLOCS(rc = gcpace_keep(&g, bad[i][0], bad[i][1]));
        cr_assert(eq(int, rc, -1), "gcpace_keep(%zu, %zu)", bad[i][0], bad[i][1]);
        cr_assert(eq(int, errno, EINVAL));
    }
    cr_assert(eq(ptr, g.blocks, NULL));
    cr_assert(eq(sz, g.n, 0));
}

/* ---- the garbage: freed at once, or in batches ---- */

/* What the garbage adds to the heap at its highest, worked out here: one block when each
 * is freed at once; else the array of `batch` pointers, and batch blocks (or all the
 * garbage, where there is less). */
static uint64_t in_flight(size_t batch, uint64_t garbage)
{
    if (batch == 1)
        return B;
    return batch * PTR + (garbage < batch ? garbage : batch) * B;
}

Test(gcpace_churn, freed_at_once_the_heap_rises_by_one_block_whatever_the_garbage)
{
    struct gcpace g = GCPACE_INIT;
    static const uint64_t garbage[] = {1, 2, GARBAGE, 10 * GARBAGE};

    cr_assert(eq(int, gcpace_keep(&g, LIVE, B), 0));
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        struct countalloc_stats d;
        int rc = -1;

        ALLOC_MEASURE(rc = gcpace_churn(&g, garbage[i], 1), d);
        cr_assert(eq(int, rc, 0));
        cr_assert(eq(u64, d.mallocs, garbage[i]), "one allocation per garbage block");
        cr_assert(eq(u64, d.frees, garbage[i]));
        cr_assert(eq(u64, d.total_alloc, garbage[i] * B));
        cr_assert(eq(i64, d.peak, B), "%llu garbage blocks freed at once: the heap should rise by "
                  "one block (%d B) above the live set, rose by %lld", (unsigned long long)garbage[i],
                  B, (long long)d.peak);
        cr_assert(eq(i64, d.heap_alloc, 0));
    }
    gcpace_free(&g);
}

Test(gcpace_churn, in_batches_the_heap_rises_by_the_batch_and_its_array_exactly)
{
    struct gcpace g = GCPACE_INIT;
    static const size_t batch[] = {2, 7, LIVE / 2, LIVE, 2 * LIVE, GARBAGE, GARBAGE + 5};

    cr_assert(eq(int, gcpace_keep(&g, LIVE, B), 0));
    for (size_t i = 0; i < sizeof batch / sizeof batch[0]; i++) {
        struct countalloc_stats d;
        int rc = -1;

        ALLOC_MEASURE(rc = gcpace_churn(&g, GARBAGE, batch[i]), d);
        cr_assert(eq(int, rc, 0));
        cr_assert(eq(u64, d.mallocs, GARBAGE + 1), "batch %zu: the garbage and the array", batch[i]);
        cr_assert(eq(u64, d.frees, GARBAGE + 1));
        cr_assert(eq(u64, d.total_alloc, GARBAGE * B + batch[i] * PTR));
        cr_assert(eq(i64, d.peak, (int64_t)in_flight(batch[i], GARBAGE)),
                  "batch %zu: the heap should rise by %llu B above the live set, rose by %lld",
                  batch[i], (unsigned long long)in_flight(batch[i], GARBAGE), (long long)d.peak);
        cr_assert(eq(u64, gcpace_in_flight(B, batch[i], GARBAGE), in_flight(batch[i], GARBAGE)));
    }
    cr_assert(eq(u64, gcpace_in_flight(B, 1, GARBAGE), B));
    cr_assert(eq(u64, gcpace_in_flight(B, 1, 0), 0));
    cr_assert(eq(u64, gcpace_in_flight(B, 0, GARBAGE), 0));
    gcpace_free(&g);
}

Test(gcpace_churn, the_live_set_is_read_never_changed_and_batch_0_is_einval)
{
    struct gcpace g = GCPACE_INIT;

    int rc = 0;

    cr_assert(eq(int, gcpace_keep(&g, LIVE, B), 0));
    errno = 0;
    ASSERT_NO_ALLOCS(rc = gcpace_churn(&g, GARBAGE, 0));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(int, gcpace_churn(&g, GARBAGE, LIVE), 0));
    for (size_t i = 0; i < LIVE; i++)
        cr_assert(eq(u8, g.blocks[i][0], (uint8_t)i), "live block %zu as it was", i);
    gcpace_free(&g);
}

/* ---- the whole run: the peak is the live set plus what waits ---- */

Test(gcpace_measure, the_peak_is_the_live_set_plus_the_garbage_in_flight_and_moves_by_the_batch)
{
    static const size_t batch[] = {1, LIVE / 2, LIVE, 2 * LIVE, GARBAGE};
    uint64_t live = LIVE * (B + PTR), at_once = 0;

    for (size_t i = 0; i < sizeof batch / sizeof batch[0]; i++) {
        struct gcpace_run r;

        cr_assert(eq(int, gcpace_measure(LIVE, B, GARBAGE, batch[i], &r), 0));
        cr_assert(eq(u64, r.mallocs, 1 + LIVE + GARBAGE + (batch[i] > 1)));
        cr_assert(eq(u64, r.frees, r.mallocs), "everything freed");
        cr_assert(eq(u64, r.peak, live + in_flight(batch[i], GARBAGE)),
                  "batch %zu: peak %llu, expected the live set (%llu) plus %llu in flight", batch[i],
                  (unsigned long long)r.peak, (unsigned long long)live,
                  (unsigned long long)in_flight(batch[i], GARBAGE));
        if (batch[i] == 1)
            at_once = r.peak;
        else /* against free at once: the batch's other blocks and their pointers */
            cr_assert(eq(u64, r.peak - at_once, (batch[i] - 1) * B + batch[i] * PTR));
    }
}

Test(gcpace_measure, vmhwm_grows_by_the_peak_plus_what_glibc_adds_and_free_at_once_keeps_it_at_the_live_set,
     GLIBC_MALLOC_ONLY)
{
    enum { L = 2048, G = 4 * L }; /* 8 MiB live, 32 MiB of garbage: well above the slack */
    static const size_t batch[] = {1, L, 2 * L};

    for (size_t i = 0; i < sizeof batch / sizeof batch[0]; i++) {
        struct gcpace_run r;
        uint64_t chunks, most, least;

        cr_assert(eq(int, gcpace_measure(L, B, G, batch[i], &r), 0));
        if (!r.hwm_reset)
            cr_skip_test("/proc/self/clear_refs cannot reset VmHWM here");
        chunks = r.peak + (L + (batch[i] > 1 ? batch[i] : 1)) * CHUNK_OVERHEAD;
        most = chunks + TOP_PAD + 2 * PAGE_SLACK;
        least = r.peak - 2 * PAGE_SLACK;
        cr_assert(r.hwm_growth <= most && r.hwm_growth >= least,
                  "batch %zu: VmHWM grew %llu B, expected the peak (%llu) plus glibc's chunk headers "
                  "(%llu in all) and its top pad, give or take the kernel's page counting: "
                  "%llu to %llu", batch[i], (unsigned long long)r.hwm_growth,
                  (unsigned long long)r.peak, (unsigned long long)chunks,
                  (unsigned long long)least, (unsigned long long)most);
        if (batch[i] == 1)
            cr_assert(r.hwm_growth < (uint64_t)L * B + (uint64_t)G * B / 4,
                      "free at once: the pages are the live set's, not the %d garbage blocks'", G);
    }
}

/* ---- out of memory ---- */

static int sweep_keep(void *ctx)
{
    struct gcpace g = GCPACE_INIT;

    (void)ctx;
    if (gcpace_keep(&g, LIVE, B) != 0) {
        cr_assert(eq(ptr, g.blocks, NULL), "a failed keep leaves the set empty");
        return -1;
    }
    gcpace_free(&g);
    return 0;
}

Test(gcpace_oom, keep_reports_every_failed_allocation_and_frees_what_it_took)
{
    ASSERT_SWEEP_CLEAN(sweep_keep, NULL);
}

/* The live set is made before the sweep counts (one shared set); the churn alone fails. */
static int sweep_churn(void *ctx)
{
    const struct gcpace *g = ctx;
    static const size_t batch[] = {1, 3, LIVE};

    for (size_t i = 0; i < sizeof batch / sizeof batch[0]; i++)
        if (gcpace_churn(g, 20, batch[i]) != 0) {
            cr_assert(eq(int, errno, ENOMEM));
            return -1;
        }
    return 0;
}

Test(gcpace_oom, churn_reports_every_failed_allocation_and_frees_its_garbage)
{
    struct gcpace g = GCPACE_INIT;

    cr_assert(eq(int, gcpace_keep(&g, LIVE, B), 0));
    ASSERT_SWEEP_CLEAN(sweep_churn, &g);
    for (size_t i = 0; i < LIVE; i++)
        cr_assert(eq(u8, g.blocks[i][0], (uint8_t)i), "the live set survives every failure");
    gcpace_free(&g);
}

static int sweep_measure(void *ctx)
{
    struct gcpace_run r;

    (void)ctx;
    return gcpace_measure(8, B, 20, 4, &r);
}

Test(gcpace_oom, measure_reports_every_failed_allocation_and_frees_everything)
{
    ASSERT_SWEEP_CLEAN(sweep_measure, NULL);
}

/* ---- the program ---- */

Test(gcpace_program, bad_arguments_get_one_line_naming_the_argument_and_exit_status_2)
{
    static const char *const bad_live[] = {"abc", "0", "-5", "1048577", "1x", "--bogus",
                                           "99999999999999999999999"};
    static const char *const bad_garbage[] = {"4 0", "--counted 4 abc"};
    static const char *const bad_usage[] = {"1 2 3", "--counted 1 2 3"};

    ASSERT_BAD_ARGUMENTS("demo/gcpace", "LIVE", bad_live);
    ASSERT_BAD_ARGUMENTS("demo/gcpace", "GARBAGE", bad_garbage);
    ASSERT_BAD_ARGUMENTS("demo/gcpace", "usage", bad_usage);
}

Test(gcpace_program, its_own_check_of_the_peaks_passes)
{
    static char out[16 * 1024];
    int rc = cli_run_beside("", "demo/gcpace", "--counted 16 100", out, sizeof out);

    /* it exits 1, saying "NO (a bug)", where a peak is not the one worked out */
    cr_assert(eq(int, rc, 0), "gcpace --counted 16 100: exit status %d: %s", rc, out);
}
