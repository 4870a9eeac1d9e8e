/* test_exercise.c: typing at the cursor changes one byte of the block at most, whatever
 * the text's length; a move of the cursor by D changes D bytes at most; the text is right
 * after typing, moving and growing; the allocations are the load and the growths alone,
 * worked out from N, K and EDIT_ROOM; a move past the end and a failed growth change
 * nothing. The bytes moved are seen from outside: the block copied before each step and
 * compared after it (exercise.h). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdint.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

#define TEXT_MAX 4096

static char text[TEXT_MAX];
static char before[4 * TEXT_MAX]; /* the block before a step */

/* The text: lower-case letters, each unlike the one before. */
static void fill(size_t n)
{
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + i % 26);
}

static void load(struct edit *e, size_t n)
{
    fill(n);
    cr_assert(eq(int, edit_init(e, text, n), 0), "edit_init: out of memory");
}

/* Fill the gap, whose bytes malloc left undefined, with a byte no text or keystroke holds,
 * so that the block compared is defined bytes all through (memcheck). The gap is free: the
 * test may write it. */
static void define_gap(struct edit *e)
{
    memset(e->buf + e->gap_start, '.', e->gap_end - e->gap_start);
}

/* The bytes of the block that differ from before[0..cap), the block unmoved. */
static size_t changed(const struct edit *e)
{
    size_t c = 0;

    for (size_t i = 0; i < e->cap; i++)
        c += before[i] != e->buf[i];
    return c;
}

/* The text equals want[0..len). */
static void assert_text(const struct edit *e, const char *want, size_t len, const char *when)
{
    static char got[4 * TEXT_MAX];

    cr_assert(eq(sz, edit_len(e), len), "%s: expected %zu bytes of text, saw %zu", when, len,
              edit_len(e));
    edit_text(e, got);
    for (size_t i = 0; i < len; i++)
        cr_assert(got[i] == want[i], "%s: byte %zu of the text is '%c', expected '%c'", when,
                  i, got[i], want[i]);
}

Test(typing, a_keystroke_at_the_cursor_changes_one_byte_of_the_block_whatever_the_text)
{
    static const size_t ns[] = {100, 3000};

    for (size_t x = 0; x < sizeof ns / sizeof ns[0]; x++) {
        const size_t n = ns[x], at = n / 2, k = 3 * EDIT_ROOM; /* past two growths */
        struct edit e;

        load(&e, n);
        define_gap(&e);
        cr_assert(eq(int, edit_move(&e, at), 0));
        for (size_t i = 0; i < k; i++) {
            size_t cap = e.cap, c;

            memcpy(before, e.buf, e.cap);
            cr_assert(eq(int, edit_insert(&e, (char)('A' + i % 26)), 0), "out of memory");
            if (e.cap != cap) {
                define_gap(&e); /* a growth: a new block, the text copied once (edit_grow) */
                continue;
            }
            c = changed(&e);
            cr_assert(c <= 1,
                      "N = %zu, keystroke %zu at byte %zu: %zu bytes of the block changed, "
                      "expected one (the letter written into the gap): the %zu bytes after "
                      "the cursor moved one on. Keep the gap at the cursor", n, i, at + i, c,
                      n - at);
        }
        edit_free(&e);
    }
}

Test(typing, a_move_of_the_cursor_by_d_changes_at_most_d_bytes_of_the_block)
{
    static const size_t to[] = {1500, 200, 200, 0, 2000, 1999, 1000};
    struct edit e;
    size_t at = 2000;

    load(&e, 2000);
    define_gap(&e);
    for (size_t j = 0; j < sizeof to / sizeof to[0]; j++) {
        size_t d = to[j] > at ? to[j] - at : at - to[j], c;
        int rc;

        memcpy(before, e.buf, e.cap);
        ASSERT_NO_ALLOCS(rc = edit_move(&e, to[j]));
        cr_assert(eq(int, rc, 0));
        c = changed(&e);
        cr_assert(c <= d, "the cursor from %zu to %zu (D = %zu) changed %zu bytes of the "
                          "block: a move need not move more than the D bytes between",
                  at, to[j], d, c);
        cr_assert(eq(sz, e.cursor, to[j]));
        assert_text(&e, text, 2000, "moving the cursor changes no byte of the text");
        at = to[j];
    }
    edit_free(&e);
}

Test(typing, the_text_after_typing_moving_and_typing_again_is_the_text_typed)
{
    static char want[TEXT_MAX];
    const size_t n = 600, k = 40;
    struct edit e;
    size_t len;

    load(&e, n);
    /* type k at 400, then k at 100, then k at the very start, then k at the end */
    cr_assert(eq(int, edit_move(&e, 400), 0));
    for (size_t i = 0; i < k; i++)
        cr_assert(eq(int, edit_insert(&e, 'X'), 0));
    cr_assert(eq(int, edit_move(&e, 100), 0));
    for (size_t i = 0; i < k; i++)
        cr_assert(eq(int, edit_insert(&e, 'Y'), 0));
    cr_assert(eq(int, edit_move(&e, 0), 0));
    for (size_t i = 0; i < k; i++)
        cr_assert(eq(int, edit_insert(&e, 'Z'), 0));
    cr_assert(eq(int, edit_move(&e, n + 3 * k), 0));
    for (size_t i = 0; i < k; i++)
        cr_assert(eq(int, edit_insert(&e, 'W'), 0));
    len = 0;
    memset(want + len, 'Z', k), len += k;
    memcpy(want + len, text, 100), len += 100;
    memset(want + len, 'Y', k), len += k;
    memcpy(want + len, text + 100, 300), len += 300;
    memset(want + len, 'X', k), len += k;
    memcpy(want + len, text + 400, n - 400), len += n - 400;
    memset(want + len, 'W', k), len += k;
    assert_text(&e, want, len, "Z at 0, text, Y, text, X, text, W");
    cr_assert(eq(sz, e.cursor, len), "the cursor after the last letter typed");
    edit_free(&e);
}

Test(allocations, the_load_and_the_growths_alone_one_each_when_the_gap_is_full)
{
    const size_t n = 200, k = 300;
    struct countalloc_stats all, d;
    size_t cap = n + EDIT_ROOM;
    unsigned growths = 0;
    struct edit e;

    int rc;

    fill(n);
    countalloc_measure_begin(&all);
    ASSERT_ALLOCS(rc = edit_init(&e, text, n), 1, n + EDIT_ROOM);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(int, edit_move(&e, 50), 0));
    for (size_t i = 0; i < k; i++) {
        int full = n + i == cap;

        ALLOC_MEASURE(rc = edit_insert(&e, 'Q'), d);
        cr_assert(eq(int, rc, 0));
        cr_assert(d.mallocs == (uint64_t)full && d.frees == (uint64_t)full &&
                      d.total_alloc == (full ? 2 * cap : 0),
                  "keystroke %zu, %zu bytes of text in a block of %zu: expected %s, saw %llu "
                  "allocations of %llu bytes and %llu frees", i, n + i, cap,
                  full ? "edit_grow's one allocation of twice the block and one free"
                       : "no allocation",
                  (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
                  (unsigned long long)d.frees);
        if (full) {
            cap *= 2;
            growths++;
        }
    }
    unsigned want = 0;
    for (size_t c = n + EDIT_ROOM; c < n + k; c *= 2) /* the least g: (n + room) 2^g >= n + k */
        want++;
    cr_assert(eq(u32, growths, want), "%zu keystrokes into %zu + %d bytes: %u doublings", k,
              n, EDIT_ROOM, want);
    edit_free(&e);
    ASSERT_ALL_FREED_SINCE(&all, "edit_free");
}

Test(failure, a_cursor_past_the_end_is_refused_and_nothing_changes)
{
    struct edit e;
    int rc;

    load(&e, 50);
    cr_assert(eq(int, edit_move(&e, 20), 0));
    cr_assert(eq(int, edit_insert(&e, 'X'), 0));
    struct edit was = e;
    define_gap(&e);
    memcpy(before, e.buf, e.cap);
    ASSERT_NO_ALLOCS(rc = edit_move(&e, 52));
    cr_assert(eq(int, rc, -1), "the cursor to 52 in a text of 51 bytes should be refused");
    cr_assert(e.buf == was.buf && e.cap == was.cap && e.gap_start == was.gap_start &&
                  e.gap_end == was.gap_end && e.cursor == was.cursor && changed(&e) == 0,
              "a refused move should change nothing");
    cr_assert(eq(int, edit_move(&e, 51), 0), "the end of the text is a place for the cursor");
    edit_free(&e);
    edit_free(NULL);
}

Test(failure, a_failed_growth_leaves_the_text_and_the_cursor_as_they_were)
{
    SKIP_WITHOUT_INJECTION();
    static char want[64];
    struct countalloc_stats d;
    struct edit e;
    int rc;

    load(&e, 20);
    cr_assert(eq(int, edit_move(&e, 10), 0));
    for (int i = 0; i < EDIT_ROOM; i++) /* the gap is full */
        cr_assert(eq(int, edit_insert(&e, 'X'), 0));
    memcpy(want, text, 10);
    memset(want + 10, 'X', EDIT_ROOM);
    memcpy(want + 10 + EDIT_ROOM, text + 10, 10);
    countalloc_fail_at(1, false);
    ALLOC_MEASURE(rc = edit_insert(&e, 'Y'), d);
    countalloc_fail_at(0, false);
    cr_assert(eq(int, rc, -1), "with the growth's allocation failing, edit_insert should "
                               "return -1, and returned %d", rc);
    cr_assert(d.mallocs == 0 && d.frees == 0, "a failed keystroke allocates and frees nothing");
    assert_text(&e, want, 20 + EDIT_ROOM, "after a failed growth");
    cr_assert(eq(sz, e.cursor, 10 + EDIT_ROOM), "the cursor where it was");
    cr_assert(eq(int, edit_insert(&e, 'Y'), 0), "the next keystroke grows the block");
    want[10 + EDIT_ROOM] = 'Y';
    memcpy(want + 11 + EDIT_ROOM, text + 10, 10);
    assert_text(&e, want, 21 + EDIT_ROOM, "after the growth");
    edit_free(&e);
}

/* The whole job: load, type at the middle past two growths, move, type. */
static int job(void *ctx)
{
    struct edit e;
    int rc = 0;

    (void)ctx;
    if (edit_init(&e, text, 100) != 0)
        return -1;
    rc |= edit_move(&e, 50);
    for (int i = 0; rc == 0 && i < 200; i++) /* 116 -> 232 -> 464 bytes */
        rc = edit_insert(&e, 'k');
    rc |= edit_move(&e, 10);
    for (int i = 0; rc == 0 && i < 10; i++)
        rc = edit_insert(&e, 'j');
    edit_free(&e);
    return rc;
}

Test(failure, every_allocation_failed_in_turn_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(job, NULL);
}
