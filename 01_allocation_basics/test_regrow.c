/* test_regrow.c: lesson 01's big block grown two ways. glibc's realloc grows a block past
 * its mmap threshold with mremap: a few page faults at most, the same at 32 MiB and at 64
 * MiB, where malloc + memcpy + free faults at least once per page of the old contents;
 * both keep the contents, and the counting allocator sees the same 1 allocation and 1
 * free either way; a failed growth leaves the caller's block as it was. Under Valgrind
 * and in the ASan build another allocator's realloc copies every page. glibc 2.36 and
 * 2.41 alike. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "platform.h"
#include "regrow.h"

#define MIB ((size_t)1 << 20)

/* realloc's faults, whatever the size: none for the block (mremap moves its page-table
 * entries, and glibc's header is on a page that moves with them); only the pages of code
 * and stack a first call touches, 3 in a fresh process on glibc 2.36 and 2.41. */
#define REALLOC_FAULTS_MAX 8
/* A copy writes every page of the old contents, plus the page or two the block's headers
 * (glibc's, the counting allocator's) push it into. */
#define COPY_SLACK 8

static size_t page(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

/* ---- the two ways, counted ---- */

Test(regrow, a_realloc_counts_one_allocation_of_the_new_size_and_one_free)
{
    void *p = malloc(64 * 1024);
    struct countalloc_stats d;
    int rc = -1;

    cr_assert(p != NULL);
    ALLOC_MEASURE(rc = regrow_realloc(&p, 128 * 1024), d);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(u64, d.mallocs, 1), "as memcheck counts a realloc: one allocation");
    cr_assert(eq(u64, d.frees, 1), "and one free, whether or not the block moved");
    cr_assert(eq(u64, d.total_alloc, 128 * 1024));
    free(p);
}

Test(regrow, a_copying_growth_counts_the_same_one_allocation_and_one_free)
{
    void *p = malloc(64 * 1024);
    struct countalloc_stats d;
    int rc = -1;

    cr_assert(p != NULL);
    ALLOC_MEASURE(rc = regrow_copy(&p, 64 * 1024, 128 * 1024), d);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(u64, d.mallocs, 1));
    cr_assert(eq(u64, d.frees, 1));
    cr_assert(eq(u64, d.total_alloc, 128 * 1024));
    free(p);
}

Test(regrow, a_growth_either_way_keeps_every_word_and_frees_everything)
{
    for (int w = 0; w < 2; w++) {
        struct regrow_step st;
        int rc = -1;

        ASSERT_NO_LEAK(rc = regrow_grow(MIB, (enum regrow_way)w, &st));
        cr_assert(eq(int, rc, 0));
        cr_assert(st.intact, "way %d: every old word must read what was written", w);
        cr_assert(eq(u64, st.d.mallocs, 1), "way %d: the growth is one allocation", w);
        cr_assert(eq(u64, st.d.frees, 1), "way %d: and one free", w);
        cr_assert(eq(u64, st.d.total_alloc, 2 * MIB), "way %d: of twice the size", w);
    }
}

Test(regrow, a_failed_growth_leaves_the_callers_block_as_it_was)
{
    SKIP_WITHOUT_INJECTION();
    char *p = malloc(1000);

    cr_assert(p != NULL);
    memset(p, 'k', 1000);
    for (int w = 0; w < 2; w++) {
        void *q = p;
        int rc;

        countalloc_fail_at(1, false);
        rc = w == REGROW_REALLOC ? regrow_realloc(&q, 2000) : regrow_copy(&q, 1000, 2000);
        cr_assert(eq(u64, countalloc_fail_off(), 1), "way %d: the growth's allocation failed", w);
        cr_assert(eq(int, rc, -1), "way %d: a failed growth returns -1", w);
        cr_assert(eq(ptr, q, p), "way %d: and leaves the caller's pointer alone", w);
        cr_assert(p[0] == 'k' && p[999] == 'k', "way %d: and the block's bytes", w);
    }
    free(p);
}

static int sweep_grow(void *ctx)
{
    struct regrow_step st;

    (void)ctx;
    if (regrow_grow(64 * 1024, REGROW_REALLOC, &st) != 0)
        return -1;
    return regrow_grow(64 * 1024, REGROW_COPY, &st);
}

Test(regrow, every_growth_reports_a_failed_allocation_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(sweep_grow, NULL);
}

/* ---- glibc's pages ---- */

Test(mremap, a_32_mib_block_is_mmapped_whatever_the_threshold_has_risen_to, GLIBC_MALLOC_ONLY)
{
    void *big = __libc_malloc(31 * MIB), *again, *always;

    cr_assert(big != NULL);
    cr_assert(platform_chunk_of(big).mmapped, "31 MiB is past the first threshold (128 KiB)");
    __libc_free(big); /* freeing an mmap'd block raises the threshold to its size */
    again = __libc_malloc(31 * MIB);
    always = __libc_malloc(REGROW_MMAP_ALWAYS);
    cr_assert(again != NULL && always != NULL);
    cr_assert(not(platform_chunk_of(again).mmapped),
              "31 MiB again: the threshold rose past it, and the heap serves it now");
    cr_assert(platform_chunk_of(always).mmapped,
              "32 MiB: the threshold never rises past 32 MiB on a 64-bit system");
    __libc_free(again);
    __libc_free(always);
}

Test(mremap, glibc_realloc_grows_a_32_or_a_64_mib_block_with_a_few_faults_whatever_its_size,
     GLIBC_MALLOC_ONLY)
{
    for (size_t mib = 32; mib <= 64; mib *= 2) {
        struct regrow_step st;

        cr_assert(eq(int, regrow_grow(mib * MIB, REGROW_REALLOC, &st), 0));
        cr_assert(st.intact);
        cr_assert(le(u64, st.faults, REALLOC_FAULTS_MAX),
                  "realloc of %zu MiB to %zu MiB: mremap moves the pages, copies none; expected "
                  "at most %d faults whatever the size, saw %llu (%zu pages hold the contents)",
                  mib, 2 * mib, REALLOC_FAULTS_MAX, (unsigned long long)st.faults,
                  mib * MIB / page());
    }
}

Test(mremap, a_copying_growth_of_32_mib_faults_once_per_page_it_writes, GLIBC_MALLOC_ONLY)
{
    size_t bytes = REGROW_MMAP_ALWAYS;
    uint64_t pages = bytes / page();
    struct regrow_step st;

    cr_assert(eq(int, regrow_grow(bytes, REGROW_COPY, &st), 0));
    cr_assert(st.intact);
    cr_assert(st.moved, "a new block is a new address");
    cr_assert(ge(u64, st.faults, pages),
              "malloc + memcpy of %zu MiB writes %llu fresh pages: expected a fault each, saw %llu",
              bytes / MIB, (unsigned long long)pages, (unsigned long long)st.faults);
    cr_assert(le(u64, st.faults, pages + COPY_SLACK),
              "and little more (base pages, THP off): saw %llu for %llu pages",
              (unsigned long long)st.faults, (unsigned long long)pages);
}

/* Valgrind's realloc, and ASan's, allocate a new block, copy and free: a fault per page
 * there too. Natively glibc's realloc serves it, which the tests above measure. */
Test(mremap, where_another_allocator_serves_realloc_it_copies_every_page)
{
    struct regrow_step st;
    uint64_t pages = MIB / page();

    if (native_only_here() == NATIVE_SKIP_UNSANITIZED)
        cr_skip_test("natively glibc's realloc serves it: the glibc tests above measure it");
    cr_assert(eq(int, regrow_grow(MIB, REGROW_REALLOC, &st), 0));
    cr_assert(st.intact);
    cr_assert(ge(u64, st.faults, pages),
              "realloc of 1 MiB by Valgrind's or ASan's allocator copies: expected a fault for "
              "each of its %llu pages, saw %llu", (unsigned long long)pages,
              (unsigned long long)st.faults);
}

/* ---- the program ---- */

Test(mremap_demo, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "31", "1025", "1x", "--bogus", "99999999999999999999999"};
    static const char *const extra[] = {"32 64"};

    ASSERT_BAD_ARGUMENTS("demo/mremap", "MIB must be a whole number from 32 to 1,024", bad);
    ASSERT_BAD_ARGUMENTS("demo/mremap", "too many arguments", extra);
}
