/* gap.c: editing in the middle. A text of N bytes, K keystrokes typed at its middle, as a
 * plain array and as a gap buffer (gapbuf.h), three workloads: type K; type K, jump back
 * to a quarter, type K more; type K, then backspace them. For each way: the bytes of text
 * moved to put the cursor there, moved by the keystrokes and per keystroke, the growths,
 * the bytes they copied, the allocations and their bytes, and the text both ways. Counts
 * only; --time times a keystroke instead, at N and 10N. make gap-05.
 *
 *   gap [N [K]]          a text of N bytes (default 1,000,000, 1 to 100,000,000), K
 *                        keystrokes (default 1,000, 1 to 100,000)
 *   gap --time [N]       ns per keystroke typed at the middle of N and 10N bytes (default
 *                        1,000,000, 1,000 to 10,000,000), 5 rounds of each way, alternated:
 *                        the median and the spread */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "countalloc.h"
#include "gapbuf.h"
#include "report.h"

#define PROG "gap"
#define N_DEFAULT 1000000
#define N_MAX 100000000
#define K_DEFAULT 1000
#define K_MAX 100000
#define ROOM 1024 /* free bytes after the text when it is loaded */
#define TIME_N_MIN 1000
#define TIME_N_MAX 10000000
#define ROUNDS 5
#define ARRAY_BYTES 500000000.0 /* bytes an array's timed round moves: about 50 ms */
#define GAP_KEYS 1000000        /* keystrokes of a gap buffer's timed round */

static const char *const way_name[2] = {"array", "gap buffer"};
static char *text, *out[2]; /* the loaded text; each way's text at the end */
static struct gapbuf bufs[2];

static void free_all(void)
{
    gapbuf_free(&bufs[0]);
    gapbuf_free(&bufs[1]);
    free(out[0]);
    free(out[1]);
    free(text);
}

/* The text of n bytes: lower-case letters, each unlike the one before. */
static void make_text(size_t n)
{
    if ((text = malloc(n)) == NULL)
        cli_oom(PROG, "the text");
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + i % 26);
}

/* k keystrokes at the cursor: upper-case letters. */
static void type(struct gapbuf *g, size_t k, const char *way)
{
    for (size_t i = 0; i < k; i++)
        if (gapbuf_insert(g, (char)('A' + i % 26)) != 0)
            cli_oom(PROG, way);
}

static void move(struct gapbuf *g, size_t pos)
{
    if (gapbuf_move(g, pos) != 0)
        abort(); /* pos is inside the text: never */
}

enum work { TYPE, JUMP, BACKSPACE };

/* One workload on a fresh buffer of way w; its row. Returns whether both ways agree, once
 * the second has run. */
static int workload(enum work work, size_t n, size_t k)
{
    uint64_t to_cursor[2], typing[2];
    size_t len[2];
    int same;

    for (int w = 0; w < 2; w++) {
        struct gapbuf *g = &bufs[w];
        struct countalloc_stats start, d;
        char a[32], b[32], c[32], e[32], f[32], h[32];
        uint64_t before;

        countalloc_measure_begin(&start);
        if (gapbuf_init(g, w == 0 ? GAP_ARRAY : GAP_BUFFER, text, n, ROOM) != 0)
            cli_oom(PROG, "the buffer");
        move(g, n / 2);
        to_cursor[w] = g->moved;
        before = g->moved;
        type(g, k, way_name[w]);
        if (work == JUMP) {
            uint64_t m = g->moved;

            move(g, n / 4);
            to_cursor[w] += g->moved - m;
            before += g->moved - m;
            type(g, k, way_name[w]);
        } else if (work == BACKSPACE)
            for (size_t i = 0; i < k; i++)
                if (gapbuf_backspace(g) != 0)
                    abort(); /* k bytes were typed before the cursor: never */
        typing[w] = g->moved - before;
        d = countalloc_measure_end(&start);
        len[w] = gapbuf_len(g);
        if ((out[w] = malloc(len[w])) == NULL)
            cli_oom(PROG, "the text read back");
        gapbuf_text(g, out[w]);
        printf("  %-10s  %10s  %14s  %9s  %7llu  %10s  %6s  %10s\n", way_name[w],
               report_count(to_cursor[w], a, 32), report_count(typing[w], b, 32),
               report_count(typing[w] / (work == TYPE ? k : 2 * k), c, 32),
               (unsigned long long)g->grows, report_count(g->copied, e, 32),
               report_count(d.mallocs, f, 32), report_count(d.total_alloc, h, 32));
        gapbuf_free(g);
    }
    same = len[0] == len[1] && memcmp(out[0], out[1], len[0]) == 0;
    free(out[0]);
    free(out[1]);
    out[0] = out[1] = NULL;
    return same;
}

static void header(void)
{
    printf("  %-10s  %s\n", "", "bytes of text moved by");
    printf("  %-10s  %10s  %14s  %9s  %7s  %10s  %6s  %10s\n", "way", "the cursor",
           "the keystrokes", "per key", "growths", "grown copy", "allocs", "bytes");
}

static void counts(size_t n, size_t k)
{
    char a[32], b[32], c[32], e[32];
    int same = 1;

    make_text(n);
    printf("A text of %s bytes edited at a cursor two ways (gapbuf.h). array: the text whole\n"
           "at the front of its block, so a keystroke moves every byte after the cursor one\n"
           "on (memmove). gap buffer: the block's free bytes (the gap) kept at the cursor, so\n"
           "a keystroke writes into the gap, and moving the cursor moves the bytes it\n"
           "passes. Each loads the text into one block with %s bytes of room, the cursor at\n"
           "the end, and doubles the block when it is full. Bytes of text moved: to put the\n"
           "cursor there, by the keystrokes, and per keystroke; then the growths, the bytes\n"
           "they copied, and the allocations (the load's and the growths').\n",
           report_count(n, a, 32), report_count(ROOM, e, 32));
    printf("\ntype K = %s at the middle (byte %s):\n", report_count(k, b, 32),
           report_count(n / 2, c, 32));
    header();
    same &= workload(TYPE, n, k);
    printf("\ntype K at the middle, jump back to a quarter (byte %s), type K more:\n",
           report_count(n / 4, e, 32));
    header();
    same &= workload(JUMP, n, k);
    printf("\ntype K at the middle, then K backspaces:\n");
    header();
    same &= workload(BACKSPACE, n, k);
    printf("the same text both ways: %s\n", same ? "yes" : "NO (a bug)");
    if (!same)
        exit(1);
}

/* ---- --time ---- */

/* One timed round: a fresh buffer of way w, its gap touched before the clock starts,
 * the cursor at the middle, then k keystrokes timed. ns per keystroke. */
static double round_of(int w, size_t n, size_t k)
{
    struct gapbuf *g = &bufs[w];
    double t0, t1;

    if (gapbuf_init(g, w == 0 ? GAP_ARRAY : GAP_BUFFER, text, n, k) != 0)
        cli_oom(PROG, "the buffer");
    /* written before any keystroke is timed: their first-touch faults are no keystroke's */
    memset(g->buf + g->gap_start, 0, g->gap_end - g->gap_start);
    move(g, n / 2);
    t0 = report_now_ns();
    type(g, k, way_name[w]);
    t1 = report_now_ns();
    gapbuf_free(g);
    return (t1 - t0) / (double)k;
}

/* "2.7 ns (2.6-3.0 ns)" below 100 ns, as report_time_spread prints longer times. */
static char *spread(const struct report_run *r, char *buf, size_t size)
{
    if (r->ns_max >= 100)
        return report_time_spread(r, buf, size);
    snprintf(buf, size, "%.1f ns (%.1f-%.1f ns)", r->ns, r->ns_min, r->ns_max);
    return buf;
}

/* "2,321x (1,500-3,100x round against round)", or "~1x" where the rounds overlap. */
static char *ratio(const struct report_run *a, const struct report_run *b, char *buf, size_t size)
{
    char m[32], lo[32], hi[32];

    if (report_runs_overlap(a, b))
        return report_time_ratio(a, b, buf, size);
    snprintf(buf, size, "%s (%s-%sx round against round)", report_time_ratio(a, b, m, sizeof m),
             report_count((unsigned long long)(a->ns_min / b->ns_max + 0.5), lo, sizeof lo),
             report_count((unsigned long long)(a->ns_max / b->ns_min + 0.5), hi, sizeof hi));
    return buf;
}

static void timing(size_t n0)
{
    char a[32], b[48], c[32], e[64];

    printf("ns per keystroke typed at the middle of the text, the block loaded with room\n"
           "for every keystroke (no growth timed, the room touched before the clock\n"
           "starts); %d rounds of each way, alternated: the median and the spread (fastest -\n"
           "slowest round). The array's rounds type fewer keystrokes (each moves half the\n"
           "text); ratio: the array's time over the gap buffer's, ~1x where the rounds\n"
           "overlap\n", ROUNDS);
    printf("  %11s  %-10s  %10s  %-26s  %s\n", "N", "way", "keystrokes", "per keystroke",
           "ratio");
    for (size_t n = n0; n <= 10 * n0; n *= 10) {
        size_t k[2] = {(size_t)(ARRAY_BYTES / (double)(n - n / 2)) + 1, GAP_KEYS};
        double v[2][ROUNDS];
        struct report_run r[2];

        make_text(n);
        for (int i = 0; i < ROUNDS; i++)
            for (int w = 0; w < 2; w++)
                v[w][i] = round_of(w, n, k[w]);
        for (int w = 0; w < 2; w++) {
            double median = report_median(v[w], ROUNDS); /* sorts v[w] */

            r[w] = (struct report_run){.ns = median, .ns_min = v[w][0],
                                       .ns_max = v[w][ROUNDS - 1], .runs = ROUNDS};
        }
        printf("  %11s  %-10s  %10s  %-26s  %s\n", report_count(n, a, 32), way_name[0],
               report_count(k[0], c, 32), spread(&r[0], b, sizeof b),
               ratio(&r[0], &r[1], e, sizeof e));
        printf("  %11s  %-10s  %10s  %s\n", "", way_name[1], report_count(k[1], c, 32),
               spread(&r[1], b, sizeof b));
        cli_flush_stdout();
        free(text);
        text = NULL;
    }
}

int main(int argc, char **argv)
{
    size_t n = N_DEFAULT, k = K_DEFAULT;

    cli_close_stdout_at_exit(PROG);
    atexit(free_all);
    if (cli_flag(argc, argv, "--time")) {
        cli_max_args(PROG, argc, 2, "--time [N]");
        if (argc == 3)
            n = (size_t)cli_u64(PROG, "N", argv[2], TIME_N_MIN, TIME_N_MAX);
        timing(n);
        return 0;
    }
    cli_max_args(PROG, argc, 2, "[N [K]] or --time [N]");
    if (argc > 1)
        n = (size_t)cli_u64(PROG, "N", argv[1], 1, N_MAX);
    if (argc > 2)
        k = (size_t)cli_u64(PROG, "K", argv[2], 1, K_MAX);
    counts(n, k);
    return 0;
}
