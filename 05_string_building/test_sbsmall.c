/* test_sbsmall.c: the inline-buffer builder (sbsmall.h) against the plain one (sb.h):
 * exact allocation counts for every length around the inline capacity and beyond, the
 * same text as struct sb's, the move to the heap keeping the bytes, where the text lives
 * and how long a pointer to it stays valid, reset, and every failure leaving the builder
 * as it was. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "sb.h"
#include "sbsmall.h"

/* Building a text of `len` bytes one byte at a time, from a builder whose capacity
 * without allocating is `cap` (0 for struct sb, SBS_INLINE for struct sbs): a growth
 * each time len + 1 no longer fits, to SB_MIN_CAP first if cap is 0, else to cap times
 * SB_GROWTH. The allocations, and *bytes, their sizes in all. */
static uint64_t growth_allocs(size_t cap, size_t len, uint64_t *bytes)
{
    uint64_t k = 0, sum = 0;

    if (len == 0) { /* nothing appended: nothing grows */
        *bytes = 0;
        return 0;
    }
    while (cap < len + 1) {
        cap = cap == 0 ? SB_MIN_CAP : cap * SB_GROWTH;
        k++;
        sum += cap;
    }
    *bytes = sum;
    return k;
}

/* The byte at position i of every test text. */
static char byte_at(size_t i)
{
    return (char)('a' + i % 26);
}

static int build_sbs(struct sbs *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (sbs_putc(b, byte_at(i)) != 0)
            return -1;
    return 0;
}

static int build_sb(struct sb *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (sb_putc(b, byte_at(i)) != 0)
            return -1;
    return 0;
}

static const size_t lengths[] = {0, 1, 15, SBS_INLINE - 2, SBS_INLINE - 1, SBS_INLINE,
                                 SBS_INLINE + 1, SBS_INLINE + 2, 63, 64, 100, 1000, 10000};
#define N_LENGTHS (sizeof lengths / sizeof lengths[0])

Test(inline_counts, a_text_that_fits_inline_with_its_terminator_makes_no_allocation)
{
    for (size_t len = 0; len + 1 <= SBS_INLINE; len++) {
        struct sbs b = SBS_INIT;
        int rc = -1;

        ASSERT_NO_ALLOCS(rc = build_sbs(&b, len));
        cr_assert(eq(int, rc, 0));
        cr_assert(sbs_is_inline(&b), "%zu bytes and the terminator fit in %d", len, SBS_INLINE);
        sbs_free(&b);
    }
}

Test(inline_counts, a_longer_text_makes_one_allocation_plus_one_per_doubling)
{
    for (size_t i = 0; i < N_LENGTHS; i++) {
        struct sbs b = SBS_INIT;
        uint64_t bytes, allocs = growth_allocs(SBS_INLINE, lengths[i], &bytes);
        int rc = -1;

        if (lengths[i] + 1 <= SBS_INLINE)
            cr_assert(eq(u64, allocs, 0), "the rule itself: a text that fits costs nothing");
        else
            cr_assert(ge(u64, allocs, 1));
        ASSERT_ALLOCS(rc = build_sbs(&b, lengths[i]), allocs, bytes);
        cr_assert(eq(int, rc, 0));
        sbs_free(&b);
    }
}

Test(inline_counts, the_plain_builder_allocates_on_the_first_append_even_of_one_byte)
{
    for (size_t i = 0; i < N_LENGTHS; i++) {
        struct sb b = SB_INIT;
        uint64_t bytes, allocs = growth_allocs(0, lengths[i], &bytes);
        int rc = -1;

        ASSERT_ALLOCS(rc = build_sb(&b, lengths[i]), allocs, bytes);
        cr_assert(eq(int, rc, 0));
        sb_free(&b);
    }
    struct sb one = SB_INIT;
    ASSERT_ALLOCS(sb_putc(&one, 'x'), 1, SB_MIN_CAP);
    sb_free(&one);
}

Test(inline_counts, past_the_inline_buffer_both_builders_make_the_same_allocations)
{
    for (size_t len = SBS_INLINE; len <= 4 * SB_MIN_CAP; len++) {
        uint64_t sb_bytes, sbs_bytes;

        cr_assert(eq(u64, growth_allocs(0, len, &sb_bytes), growth_allocs(SBS_INLINE, len, &sbs_bytes)),
                  "length %zu: the inline builder's first block is SB_MIN_CAP, as sb's", len);
        cr_assert(eq(u64, sb_bytes, sbs_bytes));
    }
}

static void assert_same_text(size_t len)
{
    struct sb plain = SB_INIT;
    struct sbs small = SBS_INIT;

    cr_assert(eq(int, build_sb(&plain, len), 0));
    cr_assert(eq(int, build_sbs(&small, len), 0));
    cr_assert(eq(sz, sbs_len(&small), len));
    cr_assert(eq(sz, strlen(sbs_str(&small)), len), "the text is NUL-terminated at its length");
    cr_assert(eq(int, memcmp(sbs_str(&small), sb_str(&plain), len + 1), 0),
              "length %zu: the inline builder's text differs from struct sb's", len);
    sbs_free(&small);
    sb_free(&plain);
}

Test(inline_text, equals_the_plain_builders_for_every_length_around_the_inline_capacity)
{
    for (size_t len = SBS_INLINE - 2; len <= SBS_INLINE + 2; len++)
        assert_same_text(len);
}

Test(inline_text, equals_the_plain_builders_for_long_texts_and_the_empty_one)
{
    for (size_t i = 0; i < N_LENGTHS; i++)
        assert_same_text(lengths[i]);
    assert_same_text(100000);
}

Test(inline_text, equals_the_plain_builders_when_appended_in_pieces_that_straddle_the_boundary)
{
    struct sb plain = SB_INIT;
    struct sbs small = SBS_INIT;
    const char *piece = "0123456789abc"; /* 13 bytes: the third crosses SBS_INLINE */

    for (int i = 0; i < 20; i++) {
        cr_assert(eq(int, sb_puts(&plain, piece), 0));
        cr_assert(eq(int, sbs_puts(&small, piece), 0));
        cr_assert(eq(str, (char *)sbs_str(&small), (char *)sb_str(&plain)));
    }
    sbs_free(&small);
    sb_free(&plain);
}

Test(inline_heap, the_move_to_the_heap_is_one_allocation_and_keeps_every_inline_byte)
{
    struct sbs b = SBS_INIT;
    char before[SBS_INLINE];
    int rc = -1;

    cr_assert(eq(int, build_sbs(&b, SBS_INLINE - 1), 0));
    cr_assert(sbs_is_inline(&b));
    memcpy(before, sbs_str(&b), SBS_INLINE);
    ASSERT_ALLOCS(rc = sbs_putc(&b, '!'), 1, 2 * SBS_INLINE);
    cr_assert(eq(int, rc, 0));
    cr_assert(not(sbs_is_inline(&b)), "%d bytes and the terminator do not fit in %d",
              SBS_INLINE, SBS_INLINE);
    cr_assert(eq(int, memcmp(sbs_str(&b), before, SBS_INLINE - 1), 0),
              "the heap block must start with the inline bytes");
    cr_assert(eq(str, (char *)sbs_str(&b) + SBS_INLINE - 1, "!"));
    sbs_free(&b);
}

static bool inside(const void *p, const void *obj, size_t size)
{
    uintptr_t a = (uintptr_t)p, o = (uintptr_t)obj;

    return a >= o && a < o + size;
}

Test(inline_heap, the_inline_text_is_inside_the_struct_and_the_heap_text_is_not)
{
    struct sbs b = SBS_INIT;

    cr_assert(eq(int, sbs_puts(&b, "short"), 0));
    cr_assert(inside(sbs_str(&b), &b, sizeof b), "while inline, the text is in the struct");
    cr_assert(eq(int, build_sbs(&b, SBS_INLINE), 0));
    cr_assert(not(inside(sbs_str(&b), &b, sizeof b)), "on the heap, it is in a block of its own");
    sbs_free(&b);
}

/* A pointer to the text is valid only until the next append. While the text stays
 * inline the address does not change; the append that moves it to the heap leaves an old
 * pointer on the struct's inline bytes, which no longer hold the text. */
Test(inline_heap, a_pointer_to_the_text_is_stale_after_the_append_that_moves_it)
{
    struct sbs b = SBS_INIT;
    const char *p;

    cr_assert(eq(int, sbs_puts(&b, "abc"), 0));
    p = sbs_str(&b);
    cr_assert(eq(int, build_sbs(&b, SBS_INLINE - 1 - 3), 0));
    cr_assert(sbs_is_inline(&b));
    cr_assert(eq(ptr, (void *)p, (void *)sbs_str(&b)), "inline appends keep the address");
    cr_assert(eq(int, sbs_putc(&b, '!'), 0));
    cr_assert(ne(ptr, (void *)p, (void *)sbs_str(&b)), "the append that moved the text moved its address");
    cr_assert(eq(sz, strlen(p), SBS_INLINE - 1), "the old pointer reads the inline bytes without the '!'");
    cr_assert(eq(sz, strlen(sbs_str(&b)), SBS_INLINE));
    sbs_free(&b);
}

Test(inline_reset, reset_keeps_the_heap_block_so_the_same_build_again_allocates_nothing)
{
    struct sbs b = SBS_INIT;
    struct sb plain = SB_INIT;
    int rc = -1;

    cr_assert(eq(int, build_sbs(&b, 100), 0));
    cr_assert(eq(int, build_sb(&plain, 100), 0));
    sbs_reset(&b);
    sb_reset(&plain);
    cr_assert(eq(sz, sbs_len(&b), 0));
    cr_assert(eq(str, (char *)sbs_str(&b), ""));
    ASSERT_NO_ALLOCS(rc = build_sbs(&b, 100));
    cr_assert(eq(int, rc, 0));
    ASSERT_NO_ALLOCS(rc = build_sb(&plain, 100));
    cr_assert(eq(int, rc, 0), "sb_reset keeps its buffer too");
    sbs_free(&b);
    sb_free(&plain);
}

Test(inline_reset, reset_of_an_inline_builder_empties_it_and_free_twice_is_harmless)
{
    struct sbs b = SBS_INIT;

    cr_assert(eq(int, sbs_puts(&b, "abc"), 0));
    sbs_reset(&b);
    cr_assert(eq(sz, sbs_len(&b), 0));
    cr_assert(eq(str, (char *)sbs_str(&b), ""));
    cr_assert(sbs_is_inline(&b));
    sbs_free(&b);
    sbs_free(&b);
    sbs_free(NULL);
    cr_assert(sbs_is_inline(&b));
    cr_assert(eq(str, (char *)sbs_str(&b), ""));
}

static void assert_failed_append_changes_nothing(size_t len, const char *what)
{
    struct sbs b = SBS_INIT;
    struct sbs copy;
    int rc;

    cr_assert(eq(int, build_sbs(&b, len), 0));
    copy = b;
    countalloc_fail_at(1, false);
    rc = sbs_append(&b, "0123456789012345678901234567890123456789", 40);
    countalloc_fail_off();
    cr_assert(eq(int, rc, -1), "%s: the append must report the failure", what);
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(eq(ptr, b.heap, copy.heap), "%s", what);
    cr_assert(eq(sz, b.len, copy.len), "%s", what);
    cr_assert(eq(sz, b.cap, copy.cap), "%s", what);
    cr_assert(eq(int, memcmp(b.small, copy.small, SBS_INLINE), 0), "%s", what);
    cr_assert(eq(sz, strlen(sbs_str(&b)), len), "%s: the text is still there", what);
    sbs_free(&b);
}

Test(inline_failure, a_failed_move_to_the_heap_leaves_the_builder_as_it_was)
{
    SKIP_WITHOUT_INJECTION();
    assert_failed_append_changes_nothing(10, "inline, 10 bytes");
}

Test(inline_failure, a_failed_growth_on_the_heap_leaves_the_builder_as_it_was)
{
    SKIP_WITHOUT_INJECTION();
    assert_failed_append_changes_nothing(SB_MIN_CAP - 1, "on the heap, a full block");
}

Test(inline_failure, a_size_that_overflows_is_refused_without_allocating)
{
    struct sbs b = SBS_INIT;
    volatile size_t huge = SIZE_MAX - 2; /* opaque: gcc would flag the constant at compile time */
    int rc = 0;

    cr_assert(eq(int, sbs_puts(&b, "abc"), 0));
    ASSERT_NO_ALLOCS(rc = sbs_append(&b, "x", huge));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EOVERFLOW));
    cr_assert(eq(str, (char *)sbs_str(&b), "abc"));
    sbs_free(&b);
}

/* One whole job for the sweep: 1,000 bytes one at a time (inline, the move, doublings). */
static int sweep_build(void *ctx)
{
    struct sbs b = SBS_INIT;
    int rc = build_sbs(&b, *(const size_t *)ctx);

    sbs_free(&b);
    return rc;
}

Test(inline_failure, every_allocation_of_a_build_failed_in_turn_is_reported_and_leaks_nothing)
{
    size_t len = 1000;

    ASSERT_SWEEP_CLEAN(sweep_build, &len);
}
