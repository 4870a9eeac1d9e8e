/* test_gapbuf.c: editing in the middle (gapbuf.h). The array moves every byte after the
 * cursor on each keystroke and nothing when the cursor moves; the gap buffer moves nothing
 * on a keystroke and the D bytes between when the cursor moves by D. Every count is worked
 * out from N, K, the cursor and the room; the counters are checked against the bytes of
 * the block that really changed; the text after edits at both ends equals a reference
 * made byte by byte; a failed growth leaves the buffer as it was and usable. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "gapbuf.h"

#define TEXT_MAX 8192

static const enum gap_way ways[2] = {GAP_ARRAY, GAP_BUFFER};
static const char *const way_name[2] = {"array", "gap buffer"};

struct shape {
    size_t n, room, k, at; /* a text of n bytes, room after it, k keystrokes typed at `at` */
};

static const struct shape shapes[] = {
    {1000, 64, 40, 500}, {1000, 16, 100, 0}, {1000, 16, 100, 1000}, {4001, 1, 300, 2000},
    {0, 8, 50, 0},       {1, 1, 17, 1},
};

/* Byte i of the loaded text: lower-case letters, each unlike the one before. */
static char text_byte(size_t i)
{
    return (char)('a' + i % 26);
}

static char text[TEXT_MAX];

static const char *loaded(void)
{
    for (size_t i = 0; i < TEXT_MAX; i++)
        text[i] = text_byte(i);
    return text;
}

/* The block's size after each growth from n + room, doubled until it holds len bytes. */
static size_t cap_for(size_t n, size_t room, size_t len, unsigned *growths)
{
    size_t cap = n + room;

    *growths = 0;
    while (cap < len) {
        cap *= 2;
        (*growths)++;
    }
    return cap;
}

static void init(struct gapbuf *g, enum gap_way way, const char *t, size_t n, size_t room)
{
    int rc;

    ASSERT_ALLOCS(rc = gapbuf_init(g, way, t, n, room), 1, n + room);
    cr_assert(eq(int, rc, 0));
    cr_assert(g->cursor == n && gapbuf_len(g) == n, "loaded: the cursor at the end");
    cr_assert(g->moved == 0 && g->grows == 0 && g->copied == 0);
}

/* The buffer's text equals want[0..len). */
static void assert_text(const struct gapbuf *g, const char *want, size_t len, const char *what)
{
    static char got[2 * TEXT_MAX];

    cr_assert(eq(sz, gapbuf_len(g), len), "%s: expected %zu bytes of text", what, len);
    gapbuf_text(g, got);
    for (size_t i = 0; i < len; i++)
        cr_assert(got[i] == want[i], "%s: byte %zu of %zu is '%c', expected '%c'", what, i,
                  len, got[i], want[i]);
}

/* Every field of a equals b's (not memcmp: the struct has padding). */
static int same_state(const struct gapbuf *a, const struct gapbuf *b)
{
    return a->way == b->way && a->buf == b->buf && a->cap == b->cap &&
           a->gap_start == b->gap_start && a->gap_end == b->gap_end && a->cursor == b->cursor &&
           a->moved == b->moved && a->grows == b->grows && a->copied == b->copied;
}

/* ---- typing ---- */

Test(gapbuf_typing, the_array_moves_every_byte_after_the_cursor_per_keystroke_the_gap_buffer_none)
{
    static char want[2 * TEXT_MAX];

    loaded();
    for (size_t x = 0; x < sizeof shapes / sizeof shapes[0]; x++) {
        const struct shape *sh = &shapes[x];
        size_t tail = sh->n - sh->at; /* the bytes after the cursor, the same after each key */

        for (int w = 0; w < 2; w++) {
            struct gapbuf g;
            uint64_t m;

            init(&g, ways[w], text, sh->n, sh->room);
            int rc;

            ASSERT_NO_ALLOCS(rc = gapbuf_move(&g, sh->at));
            cr_assert(eq(int, rc, 0));
            cr_assert(g.moved == (ways[w] == GAP_ARRAY ? 0 : tail),
                      "%s, n = %zu: the cursor from the end to %zu should move %zu bytes, "
                      "moved %llu", way_name[w], sh->n, sh->at,
                      ways[w] == GAP_ARRAY ? (size_t)0 : tail, (unsigned long long)g.moved);
            for (size_t i = 0; i < sh->k; i++) {
                m = g.moved;
                cr_assert(eq(int, gapbuf_insert(&g, (char)('A' + i % 26)), 0));
                cr_assert(g.moved - m == (ways[w] == GAP_ARRAY ? tail : 0),
                          "%s, n = %zu, keystroke %zu at %zu: expected %zu bytes moved, saw "
                          "%llu", way_name[w], sh->n, i, sh->at + i,
                          ways[w] == GAP_ARRAY ? tail : (size_t)0,
                          (unsigned long long)(g.moved - m));
            }
            cr_assert(g.moved == (ways[w] == GAP_ARRAY ? sh->k * tail : tail),
                      "%s: in all, K x the tail (array) or the tail once (gap buffer)",
                      way_name[w]);
            memcpy(want, text, sh->at);
            for (size_t i = 0; i < sh->k; i++)
                want[sh->at + i] = (char)('A' + i % 26);
            memcpy(want + sh->at + sh->k, text + sh->at, tail);
            assert_text(&g, want, sh->n + sh->k, way_name[w]);
            cr_assert(eq(sz, g.cursor, sh->at + sh->k), "the cursor after the typed text");
            gapbuf_free(&g);
        }
    }
}

Test(gapbuf_typing, a_full_gap_doubles_the_block_one_allocation_and_one_free_the_text_copied_once)
{
    loaded();
    for (size_t x = 0; x < sizeof shapes / sizeof shapes[0]; x++) {
        const struct shape *sh = &shapes[x];

        for (int w = 0; w < 2; w++) {
            struct countalloc_stats all, d;
            uint64_t copied = 0;
            unsigned growths, grown = 0;
            size_t cap = sh->n + sh->room;
            struct gapbuf g;

            countalloc_measure_begin(&all);
            init(&g, ways[w], text, sh->n, sh->room);
            cr_assert(eq(int, gapbuf_move(&g, sh->at), 0));
            for (size_t i = 0; i < sh->k; i++) {
                size_t len = sh->n + i;
                int full = len == cap, rc;

                ALLOC_MEASURE(rc = gapbuf_insert(&g, 'x'), d);
                cr_assert(eq(int, rc, 0));
                cr_assert(d.mallocs == (uint64_t)full && d.frees == (uint64_t)full &&
                              d.total_alloc == (full ? 2 * cap : 0),
                          "%s, keystroke %zu, %zu bytes of text in a block of %zu: expected "
                          "%s, saw %llu allocations of %llu bytes and %llu frees", way_name[w],
                          i, len, cap, full ? "one allocation of twice the block, one free" :
                          "no allocation", (unsigned long long)d.mallocs,
                          (unsigned long long)d.total_alloc, (unsigned long long)d.frees);
                if (full) {
                    copied += len;
                    cap *= 2;
                    grown++;
                }
                cr_assert(eq(sz, g.cap, cap));
            }
            cr_assert(eq(sz, cap_for(sh->n, sh->room, sh->n + sh->k, &growths), cap));
            cr_assert(g.grows == growths && grown == growths,
                      "%s: %zu keystrokes into %zu bytes with %zu of room: expected %u growths "
                      "(the least g with (n + room) x 2^g >= n + K), saw %llu", way_name[w],
                      sh->k, sh->n, sh->room, growths, (unsigned long long)g.grows);
            cr_assert(eq(u64, g.copied, copied), "each growth copies the text once");
            gapbuf_free(&g);
            ASSERT_ALL_FREED_SINCE(&all, "gapbuf_free");
        }
    }
}

/* The bytes of the block that differ between before[0..cap) and the block now. */
static size_t changed(const char *before, const struct gapbuf *g)
{
    size_t c = 0;

    for (size_t i = 0; i < g->cap; i++)
        c += before[i] != g->buf[i];
    return c;
}

Test(gapbuf_typing, the_counters_agree_with_the_bytes_of_the_block_that_changed)
{
    static char before[2 * TEXT_MAX];
    const size_t n = 3000, at = 1000, k = 50;

    loaded();
    for (int w = 0; w < 2; w++) {
        struct gapbuf g;

        /* room for every keystroke, so the block stays where it is */
        cr_assert(eq(int, gapbuf_init(&g, ways[w], text, n, k), 0));
        memset(g.buf + n, '.', k); /* the gap: no letter, so a letter typed there shows */
        cr_assert(eq(int, gapbuf_move(&g, at), 0));
        for (size_t i = 0; i < k; i++) {
            uint64_t m = g.moved;
            size_t c;

            memcpy(before, g.buf, g.cap);
            cr_assert(eq(int, gapbuf_insert(&g, (char)('A' + i % 26)), 0));
            c = changed(before, &g);
            /* neighbours differ, so a tail moved one on changes every byte it covers: its
             * bytes and the one past it; the keystroke's own byte is the first of them */
            cr_assert(c == g.moved - m + 1,
                      "%s, keystroke %zu: the counter says %llu bytes moved, so %llu bytes of "
                      "the block should differ, %zu do", way_name[w], i,
                      (unsigned long long)(g.moved - m), (unsigned long long)(g.moved - m + 1),
                      c);
        }
        gapbuf_free(&g);
    }
}

/* ---- the cursor ---- */

Test(gapbuf_cursor, a_jump_by_d_moves_d_bytes_in_the_gap_buffer_and_none_in_the_array)
{
    static const size_t to[] = {700, 100, 100, 0, 1200, 1200, 650, 1200, 0};
    const size_t n = 1200;

    loaded();
    for (int w = 0; w < 2; w++) {
        struct gapbuf g;
        size_t at = n;

        init(&g, ways[w], text, n, 8);
        for (size_t j = 0; j < sizeof to / sizeof to[0]; j++) {
            uint64_t m = g.moved;
            size_t d = to[j] > at ? to[j] - at : at - to[j];

            int rc;

            ASSERT_NO_ALLOCS(rc = gapbuf_move(&g, to[j]));
            cr_assert(eq(int, rc, 0));
            cr_assert(g.moved - m == (ways[w] == GAP_ARRAY ? 0 : d),
                      "%s: the cursor from %zu to %zu (D = %zu) should move %zu bytes, moved "
                      "%llu", way_name[w], at, to[j], d, ways[w] == GAP_ARRAY ? (size_t)0 : d,
                      (unsigned long long)(g.moved - m));
            cr_assert(eq(sz, g.cursor, to[j]));
            assert_text(&g, text, n, "moving the cursor changes no byte of the text");
            at = to[j];
        }
        gapbuf_free(&g);
    }
}

Test(gapbuf_cursor, a_cursor_past_the_end_is_refused_and_nothing_changes)
{
    loaded();
    for (int w = 0; w < 2; w++) {
        struct gapbuf g;
        int rc;

        cr_assert(eq(int, gapbuf_init(&g, ways[w], text, 100, 4), 0));
        cr_assert(eq(int, gapbuf_move(&g, 40), 0));
        cr_assert(eq(int, gapbuf_insert(&g, 'X'), 0));
        struct gapbuf was = g;
        ASSERT_NO_ALLOCS(rc = gapbuf_move(&g, 102));
        cr_assert(rc == -1 && errno == EINVAL, "%s: the cursor to 102 in 101 bytes: EINVAL",
                  way_name[w]);
        cr_assert(same_state(&g, &was), "%s: a refused move changes nothing",
                  way_name[w]);
        cr_assert(eq(int, gapbuf_move(&g, 101), 0), "the end itself is a place for the cursor");
        gapbuf_free(&g);
    }
}

/* ---- backspace ---- */

Test(gapbuf_backspace, the_array_moves_the_tail_back_per_backspace_the_gap_buffer_none)
{
    const size_t n = 2000, at = 1500, k = 30;

    loaded();
    for (int w = 0; w < 2; w++) {
        struct gapbuf g;
        uint64_t m;
        int rc;

        init(&g, ways[w], text, n, 16);
        cr_assert(eq(int, gapbuf_move(&g, at), 0));
        for (size_t i = 0; i < k; i++) {
            m = g.moved;
            ASSERT_NO_ALLOCS(rc = gapbuf_backspace(&g));
            cr_assert(eq(int, rc, 0));
            cr_assert(g.moved - m == (ways[w] == GAP_ARRAY ? n - at : 0),
                      "%s, backspace %zu: expected %zu bytes moved, saw %llu", way_name[w], i,
                      ways[w] == GAP_ARRAY ? n - at : (size_t)0,
                      (unsigned long long)(g.moved - m));
        }
        static char want[TEXT_MAX];
        memcpy(want, text, at - k);
        memcpy(want + at - k, text + at, n - at);
        assert_text(&g, want, n - k, way_name[w]);
        cr_assert(eq(int, gapbuf_move(&g, 0), 0));
        ASSERT_NO_ALLOCS(rc = gapbuf_backspace(&g));
        cr_assert(rc == -1 && errno == EINVAL, "%s: a backspace at 0 is EINVAL", way_name[w]);
        assert_text(&g, want, n - k, "a refused backspace changes nothing");
        gapbuf_free(&g);
    }
}

/* ---- the text: edits at both ends, against a reference made byte by byte ---- */

struct ref {
    char s[TEXT_MAX];
    size_t len, cursor;
};

static void ref_insert(struct ref *r, char c)
{
    for (size_t i = r->len; i > r->cursor; i--)
        r->s[i] = r->s[i - 1];
    r->s[r->cursor++] = c;
    r->len++;
}

static void ref_backspace(struct ref *r)
{
    for (size_t i = r->cursor; i < r->len; i++)
        r->s[i - 1] = r->s[i];
    r->cursor--;
    r->len--;
}

Test(gapbuf_text, edits_at_both_ends_and_in_between_give_the_text_a_reference_gives)
{
    /* a script: a move (a place, or END), then keystrokes ('<' a backspace) */
    static const struct {
        size_t at;
        const char *keys;
    } script[] = {
        {0, "AB"}, {1000, "end"}, {7, "<<<xyz"}, {1, "<"}, {0, "start"}, {500, "mid<<dle"},
        {3, "<<<"},  {1000, "!"}, {0, ""},      {2, "<<Q"},
    };
    const size_t n = 40;

    loaded();
    for (int w = 0; w < 2; w++) {
        struct ref r = {{0}, n, n};
        struct gapbuf g;

        memcpy(r.s, text, n);
        cr_assert(eq(int, gapbuf_init(&g, ways[w], text, n, 2), 0));
        for (size_t j = 0; j < sizeof script / sizeof script[0]; j++) {
            size_t at = script[j].at > r.len ? r.len : script[j].at; /* 1000: the end */

            cr_assert(eq(int, gapbuf_move(&g, at), 0));
            r.cursor = at;
            for (const char *c = script[j].keys; *c; c++)
                if (*c == '<') {
                    cr_assert(eq(int, gapbuf_backspace(&g), 0));
                    ref_backspace(&r);
                } else {
                    cr_assert(eq(int, gapbuf_insert(&g, *c), 0));
                    ref_insert(&r, *c);
                }
            assert_text(&g, r.s, r.len, way_name[w]);
            cr_assert(eq(sz, g.cursor, r.cursor));
        }
        gapbuf_free(&g);
    }
}

/* ---- failure ---- */

Test(gapbuf_failure, a_room_of_zero_or_a_size_past_size_max_is_refused_without_allocating)
{
    struct gapbuf g;
    int rc;

    ASSERT_NO_ALLOCS(rc = gapbuf_init(&g, GAP_BUFFER, "abc", 3, 0));
    cr_assert(rc == -1 && errno == EINVAL, "a room of 0 is EINVAL");
    ASSERT_NO_ALLOCS(rc = gapbuf_init(&g, GAP_ARRAY, "abc", SIZE_MAX - 1, 2));
    cr_assert(rc == -1 && errno == EOVERFLOW, "n + room past SIZE_MAX is EOVERFLOW");
    gapbuf_free(NULL);
}

Test(gapbuf_failure, a_failed_growth_leaves_the_buffer_as_it_was_and_still_usable)
{
    SKIP_WITHOUT_INJECTION();
    static char want[64];

    loaded();
    for (int w = 0; w < 2; w++) {
        struct countalloc_stats d;
        struct gapbuf g;
        int rc;

        cr_assert(eq(int, gapbuf_init(&g, ways[w], text, 20, 3), 0));
        cr_assert(eq(int, gapbuf_move(&g, 10), 0));
        for (int i = 0; i < 3; i++) /* the gap is full */
            cr_assert(eq(int, gapbuf_insert(&g, 'X'), 0));
        struct gapbuf was = g;
        memcpy(want, text, 10);
        memcpy(want + 10, "XXX", 3);
        memcpy(want + 13, text + 10, 10);
        countalloc_fail_at(1, false);
        ALLOC_MEASURE(rc = gapbuf_insert(&g, 'Y'), d);
        countalloc_fail_at(0, false);
        cr_assert(rc == -1 && errno == ENOMEM, "%s: a growth that fails is -1, ENOMEM",
                  way_name[w]);
        cr_assert(d.mallocs == 0 && d.frees == 0 && d.heap_alloc == 0,
                  "%s: a failed growth allocates and frees nothing, saw %llu and %llu",
                  way_name[w], (unsigned long long)d.mallocs, (unsigned long long)d.frees);
        cr_assert(same_state(&g, &was), "%s: the buffer as it was", way_name[w]);
        assert_text(&g, want, 23, "the text after a failed growth");
        cr_assert(eq(int, gapbuf_insert(&g, 'Y'), 0), "%s: the next keystroke grows it",
                  way_name[w]);
        want[13] = 'Y';
        memcpy(want + 14, text + 10, 10);
        assert_text(&g, want, 24, "the text after the growth");
        gapbuf_free(&g);
    }
}

/* The whole job of one way: load, move, type past two growths, jump, backspace. */
static int job(void *ctx)
{
    const enum gap_way *way = ctx;
    struct gapbuf g;
    int rc = 0;

    if (gapbuf_init(&g, *way, text, 100, 4) != 0)
        return -1;
    rc |= gapbuf_move(&g, 50);
    for (int i = 0; rc == 0 && i < 250; i++) /* 104 -> 208 -> 416 bytes: two growths */
        rc = gapbuf_insert(&g, 'k');
    rc |= gapbuf_move(&g, 10);
    for (int i = 0; rc == 0 && i < 5; i++)
        rc = gapbuf_backspace(&g);
    gapbuf_free(&g);
    return rc;
}

Test(gapbuf_failure, every_allocation_of_either_way_failed_in_turn_is_reported_and_leaks_nothing)
{
    loaded();
    for (int w = 0; w < 2; w++) /* the load, then two growths */
        ASSERT_SWEEP_CLEAN(job, (void *)&ways[w]);
}

/* ---- the program ---- */

Test(gapbuf_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad_n[] = {"abc", "0", "-5", "100000001", "1x", "--bogus",
                                        "99999999999999999999999", "1 2 3"};
    static const char *const bad_k[] = {"1000 0", "1000 100001", "1000 abc"};
    static const char *const bad_time[] = {"--time 999", "--time 10000001", "--time x",
                                           "--time 1000 2"};

    ASSERT_BAD_ARGUMENTS("demo/gap", "N", bad_n);
    ASSERT_BAD_ARGUMENTS("demo/gap", "K", bad_k);
    ASSERT_BAD_ARGUMENTS("demo/gap", "N", bad_time);
}

Test(gapbuf_program, a_run_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/gap", "3000 100");
}
