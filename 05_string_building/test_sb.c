/* test_sb.c: the string builder's contract: exact allocation counts for every way of
 * growing, the terminator in the capacity, size_t overflow, printf-style appends, the
 * builder unchanged after every failure, and OOM sweeps. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "sb.h"

/* The allocations and bytes of appending `total` bytes in small pieces (each smaller
 * than SB_MIN_CAP) under the doubling policy: capacities SB_MIN_CAP, 2x, 4x ... until
 * total + 1 (the terminator) fits. */
static uint64_t doubling_allocs(size_t total, uint64_t *bytes)
{
    uint64_t k = 1, sum = SB_MIN_CAP;

    for (size_t c = SB_MIN_CAP; c < total + 1; c *= 2) {
        k++;
        sum += c * 2;
    }
    *bytes = sum;
    return k;
}

static int append_n(struct sb *b, size_t pieces, const char *piece)
{
    for (size_t i = 0; i < pieces; i++)
        if (sb_puts(b, piece) != 0)
            return -1;
    return 0;
}

/* The builder is exactly as it was: same buffer, length, capacity and content. */
static void assert_unchanged(const struct sb *b, const struct sb *was, const char *content)
{
    cr_assert(eq(ptr, b->buf, was->buf), "the buffer moved although the call failed");
    cr_assert(eq(sz, b->len, was->len), "the length changed although the call failed");
    cr_assert(eq(sz, b->cap, was->cap), "the capacity changed although the call failed");
    cr_assert(eq(str, (char *)sb_str(b), (char *)content), "the content changed");
}

/* ---- the handle and the first allocation ---- */

Test(sb, a_new_builder_allocates_nothing_and_reads_as_an_empty_string)
{
    struct sb b = SB_INIT;

    const char *str = NULL;

    ASSERT_NO_ALLOCS(str = sb_str(&b));
    cr_assert(eq(str, (char *)str, ""));
    cr_assert(eq(sz, b.len, 0));
    cr_assert(eq(sz, sb_avail(&b), 0));
    sb_free(&b);
}

Test(sb, the_first_append_allocates_sb_min_cap_bytes)
{
    struct sb b = SB_INIT;
    int rc;

    ASSERT_ALLOCS(rc = sb_puts(&b, "hello"), 1, SB_MIN_CAP);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(str, (char *)sb_str(&b), "hello"));
    cr_assert(eq(sz, b.len, 5));
    sb_free(&b);
}

Test(sb, appends_that_fit_allocate_nothing)
{
    struct sb b = SB_INIT;

    sb_putc(&b, 'a');
    ASSERT_NO_ALLOCS(append_n(&b, 6, "0123456789"));
    cr_assert(eq(sz, b.len, 61));
    sb_free(&b);
}

Test(sb, the_terminator_is_counted_in_the_capacity)
{
    struct sb b = SB_INIT;
    char fill[SB_MIN_CAP];

    memset(fill, 'x', sizeof fill);
    /* SB_MIN_CAP - 1 bytes and the '\0' fill the first buffer exactly ... */
    ASSERT_ALLOCS(sb_append(&b, fill, SB_MIN_CAP - 1), 1, SB_MIN_CAP);
    cr_assert(eq(sz, sb_avail(&b), 0));
    cr_assert(eq(int, b.buf[b.len], '\0'));
    /* ... so one more byte needs the next buffer, not a write past the end. */
    ASSERT_ALLOCS(sb_putc(&b, 'y'), 1, 2 * SB_MIN_CAP);
    cr_assert(eq(sz, b.len, SB_MIN_CAP));
    cr_assert(eq(int, b.buf[b.len], '\0'));
    sb_free(&b);
}

Test(sb, appends_keep_bytes_after_a_nul)
{
    struct sb b = SB_INIT;

    sb_append(&b, "a\0b", 3);
    cr_assert(eq(sz, b.len, 3));
    cr_assert(eq(int, memcmp(b.buf, "a\0b", 4), 0), "three bytes and the terminator");
    sb_free(&b);
}

/* ---- growth ---- */

Test(sb, n_appends_make_log2_of_total_over_min_cap_plus_one_allocations)
{
    struct sb b = SB_INIT;
    uint64_t bytes, allocs = doubling_allocs(1000 * 10, &bytes);

    ASSERT_ALLOCS(append_n(&b, 1000, "0123456789"), allocs, bytes);
    cr_assert(eq(sz, b.len, 10000));
    cr_assert(eq(u64, allocs, 9), "64 B doubled to 16 KiB is 9 buffers: the formula is off");
    sb_free(&b);
}

Test(sb, the_policy_doubles_starts_at_min_cap_and_never_overflows)
{
    cr_assert(eq(sz, sb_grow_cap(0, 1), SB_MIN_CAP));
    cr_assert(eq(sz, sb_grow_cap(0, 1000), 1000), "a first need above the minimum is met exactly");
    cr_assert(eq(sz, sb_grow_cap(64, 65), 64 * SB_GROWTH));
    cr_assert(eq(sz, sb_grow_cap(64, 500), 500), "a jump past the doubling takes the need");
    cr_assert(eq(sz, sb_grow_cap(SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 2), SIZE_MAX / 2 + 2),
              "doubling past SIZE_MAX must not wrap around to a small capacity");
    cr_assert(eq(sz, sb_grow_cap(SIZE_MAX - 1, SIZE_MAX), SIZE_MAX));
}

Test(sb, a_big_append_grows_once_to_fit_it)
{
    struct sb b = SB_INIT;
    char big[1000];

    memset(big, 'z', sizeof big);
    sb_putc(&b, 'a');
    ASSERT_ALLOCS(sb_append(&b, big, sizeof big), 1, 1 + sizeof big + 1);
    cr_assert(eq(sz, b.len, 1001));
    sb_free(&b);
}

Test(sb, reserve_then_appends_is_exactly_one_allocation)
{
    struct sb b = SB_INIT;
    int rc;

    ASSERT_ALLOCS(rc = sb_reserve(&b, 10000), 1, 10000 + 1);
    cr_assert(eq(int, rc, 0));
    ASSERT_NO_ALLOCS(append_n(&b, 1000, "0123456789"));
    cr_assert(eq(sz, b.len, 10000));
    ASSERT_ALLOCS(sb_putc(&b, '!'), 1, 2 * 10001);
    sb_free(&b);
}

Test(sb, reserve_never_allocates_less_than_min_cap_nor_when_the_room_is_there)
{
    struct sb b = SB_INIT;

    ASSERT_ALLOCS(sb_reserve(&b, 3), 1, SB_MIN_CAP);
    ASSERT_NO_ALLOCS(sb_reserve(&b, SB_MIN_CAP - 1));
    sb_puts(&b, "abc");
    ASSERT_ALLOCS(sb_reserve(&b, SB_MIN_CAP), 1, 2 * SB_MIN_CAP);
    cr_assert(eq(str, b.buf, "abc"));
    sb_free(&b);
}

Test(sb, reserve_in_a_loop_still_grows_geometrically)
{
    struct sb b = SB_INIT;
    uint64_t bytes, allocs = doubling_allocs(1000, &bytes);

    /* sb_reserve(1) before each byte: exact-size growth here would be 1,000 reallocs. */
    ASSERT_ALLOC_COUNT(for (int i = 0; i < 1000; i++) {
        sb_reserve(&b, 1);
        sb_putc(&b, 'r');
    }, allocs);
    sb_free(&b);
}

Test(sb, a_pointer_into_the_buffer_stays_valid_only_within_the_reserved_room)
{
    struct sb b = SB_INIT;
    const char *first;
    size_t off;

    sb_reserve(&b, 100);
    sb_puts(&b, "head");
    first = b.buf;
    append_n(&b, 9, "0123456789");
    cr_assert(eq(ptr, (void *)b.buf, (void *)first), "appends inside the reserve never move buf");
    /* Past the reserve, buf may move: keep an offset, not a pointer. */
    off = b.len;
    sb_puts(&b, "tail");
    append_n(&b, 1000, "0123456789");
    cr_assert(eq(int, strncmp(b.buf + off, "tail", 4), 0));
    sb_free(&b);
}

/* ---- reset, detach, free ---- */

Test(sb, reset_keeps_the_buffer_so_reuse_allocates_nothing_after_warm_up)
{
    struct sb b = SB_INIT;
    int failed = 0;

    append_n(&b, 100, "0123456789"); /* warm-up: the buffer reaches its size */
    ASSERT_NO_ALLOCS(for (int r = 0; r < 100; r++) {
        sb_reset(&b);
        failed |= append_n(&b, 100, "0123456789");
    });
    cr_assert(eq(int, failed, 0));
    cr_assert(eq(sz, b.len, 1000));
    sb_reset(&b);
    cr_assert(eq(str, b.buf, ""), "a reset builder reads as an empty string");
    sb_free(&b);
}

Test(sb, detach_hands_over_the_buffer_without_copying)
{
    struct sb b = SB_INIT;
    char *was, *s = NULL;
    size_t len = 0;

    sb_puts(&b, "owned");
    was = b.buf;
    ASSERT_NO_ALLOCS(s = sb_detach(&b, &len));
    cr_assert(eq(ptr, s, was));
    cr_assert(eq(str, s, "owned"));
    cr_assert(eq(sz, len, 5));
    cr_assert(eq(ptr, b.buf, NULL), "the builder must forget the buffer it handed over");
    cr_assert(eq(sz, b.cap, 0));
    free(s);
}

Test(sb, detach_of_a_builder_that_never_allocated_returns_a_fresh_empty_string)
{
    struct sb b = SB_INIT;
    char *s = NULL;

    ASSERT_ALLOCS(s = sb_detach(&b, NULL), 1, 1);
    cr_assert(eq(str, s, ""));
    free(s);
}

Test(sb, free_releases_the_buffer_and_accepts_null)
{
    struct sb b = SB_INIT;

    ASSERT_NO_LEAK({
        append_n(&b, 50, "0123456789");
        sb_free(&b);
        sb_free(&b);
        sb_free(NULL);
    });
    cr_assert(eq(ptr, b.buf, NULL), "a freed builder is empty again");
}

/* ---- printf-style ---- */

Test(sb, printf_appends_formatted_text)
{
    struct sb b = SB_INIT;

    sb_puts(&b, "id=");
    cr_assert(eq(int, sb_printf(&b, "%d,%s,%05.1f", 42, "x", 2.5), 0));
    cr_assert(eq(str, b.buf, "id=42,x,002.5"));
    cr_assert(eq(sz, b.len, strlen("id=42,x,002.5")));
    sb_free(&b);
}

Test(sb, printf_that_fits_allocates_nothing_and_one_that_does_not_grows_once)
{
    struct sb b = SB_INIT;
    char want[300];

    sb_putc(&b, '>');
    ASSERT_NO_ALLOCS(sb_printf(&b, "%d", 12345));
    ASSERT_ALLOCS(sb_printf(&b, "%0200d", 7), 1, 6 + 200 + 1);
    snprintf(want, sizeof want, ">12345%0200d", 7);
    cr_assert(eq(str, b.buf, want));
    sb_free(&b);
}

Test(sb, printf_into_a_new_builder_allocates_once)
{
    struct sb b = SB_INIT;

    ASSERT_ALLOCS(sb_printf(&b, "%s-%d", "key", 9), 1, SB_MIN_CAP);
    cr_assert(eq(str, b.buf, "key-9"));
    sb_free(&b);
}

Test(sb, a_printf_output_error_leaves_the_builder_unchanged)
{
    struct sb b = SB_INIT, was;
    static const wchar_t bad[] = {0xD800, 0}; /* no multibyte form in the C locale */

    sb_puts(&b, "kept");
    was = b;
    errno = 0;
    cr_assert(eq(int, sb_printf(&b, "%ls", bad), -1));
    cr_assert(eq(int, errno, EOVERFLOW));
    assert_unchanged(&b, &was, "kept");
    sb_free(&b);
}

/* ---- size_t overflow ---- */

Test(sb, an_append_or_reserve_that_would_overflow_size_t_is_refused_without_allocating)
{
    struct sb b = SB_INIT, was;
    volatile size_t huge = SIZE_MAX - 2; /* opaque: gcc would flag the constant at compile time */
    int rc;

    sb_puts(&b, "abc");
    was = b;
    errno = 0;
    ASSERT_NO_ALLOCS(rc = sb_append(&b, "x", huge));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EOVERFLOW));
    assert_unchanged(&b, &was, "abc");
    errno = 0;
    ASSERT_NO_ALLOCS(rc = sb_reserve(&b, SIZE_MAX - 3));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EOVERFLOW));
    assert_unchanged(&b, &was, "abc");
    sb_free(&b);
}

Test(sb, an_impossible_size_that_does_not_overflow_fails_with_enomem_and_changes_nothing)
{
    struct sb b = SB_INIT, was;

    sb_puts(&b, "abc");
    was = b;
    errno = 0;
    cr_assert(eq(int, sb_reserve(&b, SIZE_MAX / 4), -1)); /* no machine has it; not "negative" */
    cr_assert(eq(int, errno, ENOMEM));
    assert_unchanged(&b, &was, "abc");
    sb_free(&b);
}

/* ---- running out of memory ---- */

Test(sb, a_failed_append_leaves_the_builder_and_its_content_intact)
{
    struct sb b = SB_INIT, was;
    char fill[SB_MIN_CAP];

    SKIP_WITHOUT_INJECTION();
    memset(fill, 'f', sizeof fill);
    sb_append(&b, fill, SB_MIN_CAP - 1);
    was = b;
    countalloc_fail_at(1, false);
    errno = 0;
    cr_assert(eq(int, sb_putc(&b, '!'), -1));
    countalloc_fail_off();
    cr_assert(eq(int, errno, ENOMEM));
    fill[SB_MIN_CAP - 1] = '\0';
    assert_unchanged(&b, &was, fill);
    cr_assert(eq(int, sb_putc(&b, '!'), 0), "the builder works again once memory is back");
    sb_free(&b);
}

Test(sb, a_failed_printf_leaves_the_builder_and_its_content_intact)
{
    struct sb b = SB_INIT, was;

    SKIP_WITHOUT_INJECTION();
    sb_puts(&b, "kept");
    was = b;
    countalloc_fail_at(1, false);
    /* The first try writes a truncated copy into the spare room: it must not show. */
    cr_assert(eq(int, sb_printf(&b, "%0100d", 1), -1));
    countalloc_fail_off();
    assert_unchanged(&b, &was, "kept");
    sb_free(&b);
}

Test(sb, a_failed_detach_leaves_the_builder_usable)
{
    struct sb b = SB_INIT;

    SKIP_WITHOUT_INJECTION();
    countalloc_fail_at(1, false);
    cr_assert(eq(ptr, sb_detach(&b, NULL), NULL));
    countalloc_fail_off();
    cr_assert(eq(ptr, b.buf, NULL));
    cr_assert(eq(int, sb_puts(&b, "fine"), 0));
    sb_free(&b);
}

/* Sweep jobs: each builds, checks that a failure left the builder as it was, frees. */
static int append_job(void *ctx)
{
    struct sb b = SB_INIT;
    int rc = 0;

    (void)ctx;
    for (int i = 0; i < 300 && rc == 0; i++) {
        size_t len = b.len;
        if (sb_puts(&b, "0123456789") != 0)
            rc = b.len == len && (b.buf == NULL || b.buf[len] == '\0') ? -1 : 0;
    }
    sb_free(&b);
    return rc;
}

static int printf_job(void *ctx)
{
    struct sb b = SB_INIT;
    int rc = 0;

    (void)ctx;
    for (int i = 0; i < 200 && rc == 0; i++) {
        size_t len = b.len;
        if (sb_printf(&b, "%d:%s;", i, "value") != 0)
            rc = b.len == len && (b.buf == NULL || b.buf[len] == '\0') ? -1 : 0;
    }
    sb_free(&b);
    return rc;
}

static int reserve_detach_job(void *ctx)
{
    struct sb b = SB_INIT;
    char *s = NULL;
    int rc = -1;

    (void)ctx;
    if (sb_reserve(&b, 100) != 0 || append_n(&b, 20, "0123456789") != 0)
        goto out;
    s = sb_detach(&b, NULL);
    if (s == NULL || strlen(s) != 200)
        goto out;
    rc = 0;
out:
    free(s);
    sb_free(&b);
    return rc;
}

static int empty_detach_job(void *ctx)
{
    struct sb b = SB_INIT;
    char *s = sb_detach(&b, NULL);

    (void)ctx;
    if (s == NULL)
        return -1;
    free(s);
    return 0;
}

Test(sb, appends_survive_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(append_job, NULL);
}

Test(sb, printf_survives_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(printf_job, NULL);
}

Test(sb, reserve_and_detach_survive_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(reserve_detach_job, NULL);
    ASSERT_SWEEP_CLEAN(empty_detach_job, NULL);
}
