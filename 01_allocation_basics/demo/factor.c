/* factor.c: grow by 2 or by 1.5, and can a growing array reuse the blocks it freed
 * (factor.h)? An array of int64_t grows from START elements until it holds N, by each
 * factor: with malloc + memcpy + free (std::vector's way), where each new block landed
 * and whether it reused the space the freed blocks left; the heap's footprint; then the
 * same growth with realloc alone, with a small block allocated after each growth, and two
 * arrays grown in turn. glibc's own malloc, each case in a fork of this process. make
 * factor-01.
 *
 * Usage: factor [START [N]]. START elements first (default 130, 130 to 8,191: past the
 * tcache's 1,032 B), N elements at the end (default 8,192, START + 1 to 8,192: every
 * block below the mmap threshold). */
#include <gnu/libc-version.h>
#include <stdio.h>

#include "child.h"
#include "cli.h"
#include "factor.h"
#include "report.h"

#include <valgrind/valgrind.h>

#define PROG "factor"
#define DEFAULT_START 130
#define DEFAULT_N FACTOR_MAX_N

struct job {
    size_t start, n;
    enum vec_growth g;
    enum factor_mode m;
    struct factor_result r;
};

static int job(void *ctx)
{
    struct job *j = ctx;

    return factor_grow(j->start, j->n, j->g, j->m, false, &j->r);
}

/* Each case in a process of its own, forked from this one: every case starts from the
 * same heap, whatever the one before it freed. stdout is flushed first: the fork gets no
 * copy of what is waiting in its buffer. */
static void run(size_t start, size_t n, enum vec_growth g, enum factor_mode m,
                struct factor_result *r)
{
    struct job j = {start, n, g, m, {0}};

    cli_flush_stdout();
    if (child_run(job, &j, sizeof j) != 0)
        cli_oom(PROG, "growing the array");
    *r = j.r;
}

static const char *name(enum vec_growth g)
{
    return g == VEC_X2 ? "x2" : "x1.5";
}

/* Where step k's block landed. */
static const char *landed(const struct factor_step *s, size_t k)
{
    if (k == 0)
        return "the first block";
    if (!s->moved)
        return "in place";
    return s->reused ? "below the old block: reused" : "above the old block";
}

static void steps(const struct factor_result *r, enum vec_growth g)
{
    char e[32], c[32], o[32], freed[32];
    long long below = 0;

    printf("\n  %-6s %8s %10s %10s %12s  %s\n", name(g), "elements", "chunk B", "offset B",
           "freed below", "landed");
    for (size_t k = 0; k <= r->growths; k++) {
        const struct factor_step *s = &r->step[k];

        /* free below the old block when this one was asked for: its offset (only the
         * array's blocks, one live at a time, lie between the first block and it) */
        below = k == 0 ? 0 : r->step[k - 1].offset;
        report_count(s->cap, e, sizeof e);
        report_count(s->chunk, c, sizeof c);
        report_count((unsigned long long)s->offset, o, sizeof o);
        report_count((unsigned long long)below, freed, sizeof freed);
        printf("  %6zu %8s %10s %10s %12s  %s\n", k, e, c, o, k == 0 ? "" : freed,
               landed(s, k));
    }
}

/* "5, 10" or "none" */
static const char *reuse_list(const struct factor_result *r, char *buf, size_t size)
{
    size_t used = 0;

    snprintf(buf, size, "none");
    for (size_t k = 1; k <= r->growths && used < size; k++) {
        if (r->step[k].reused)
            used += (size_t)snprintf(buf + used, size - used, "%s%zu", used ? ", " : "", k);
    }
    return buf;
}

static void footprint(const struct factor_result *r, enum vec_growth g)
{
    char span[32], last[32], peak[32], list[128];
    const struct factor_step *s = &r->step[r->growths];

    size_t chunk = s->chunk != 0 ? s->chunk : s->bytes; /* no chunk to read: the request */

    report_count((unsigned long long)r->span, span, sizeof span);
    report_count(chunk, last, sizeof last);
    report_count(r->arena_peak, peak, sizeof peak);
    printf("  %-4s %2zu growths, reused at %-8s heap spanned %8s B for a last chunk of %7s B"
           " (%.2fx); arena peak %s B\n", name(g), r->growths, reuse_list(r, list, sizeof list),
           span, last, (double)r->span / (double)chunk, peak);
}

static void fenced(const struct factor_result *r, enum vec_growth g)
{
    size_t after = 0, below = 0;

    for (size_t k = 1; k <= r->growths; k++) {
        after += r->step[k].fence_next;
        below += r->step[k].fence_below;
    }
    printf("  %-4s %2zu growths, %2zu moved, %zu reused; fences right after the array %zu, "
           "below it %zu\n", name(g), r->growths, r->moves, r->reuses, after, below);
}

static const char *where(const struct factor_step *s, size_t k)
{
    return k == 0 ? "" : !s->moved ? "in place" : s->reused ? "reused" : "above";
}

static void pairs(const struct factor_result *r, enum vec_growth g)
{
    char e[32], c[32], a[32], b[32];

    printf("\n  %-6s %8s %10s %10s %-9s %10s\n", name(g), "elements", "chunk B", "first at", "",
           "second at");
    for (size_t k = 0; k <= r->growths; k++) {
        const struct factor_step *s = &r->step[k], *t = &r->pair[k];

        report_count(s->cap, e, sizeof e);
        report_count(s->chunk, c, sizeof c);
        report_count((unsigned long long)s->offset, a, sizeof a);
        report_count((unsigned long long)t->offset, b, sizeof b);
        printf("  %6zu %8s %10s %10s %-9s %10s%s%s\n", k, e, c, a, where(s, k), b, k ? " " : "",
               where(t, k));
    }
    printf("  %s: %zu + %zu moved, %zu + %zu reused\n", name(g), r->moves, r->pair_moves,
           r->reuses, r->pair_reuses);
}

int main(int argc, char **argv)
{
    size_t start = DEFAULT_START, n = DEFAULT_N;
    struct factor_result x15, x2;
    char s[32], sb[32], nn[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 2, "[START [N]]");
    if (argc > 1)
        start = (size_t)cli_u64(PROG, "START", argv[1], FACTOR_MIN_START, FACTOR_MAX_START);
    if (argc > 2)
        n = (size_t)cli_u64(PROG, "N", argv[2], start + 1, FACTOR_MAX_N);
    else if (n <= start)
        n = start + 1;
    printf("glibc %s: an array of int64_t from %s elements (%s B) until it holds %s, grown by\n"
           "1.5 and by 2 (vec_next_cap); glibc's own malloc, each case in a fork of this process.\n",
           gnu_get_libc_version(), report_count(start, s, sizeof s),
           report_count(start * 8, sb, sizeof sb), report_count(n, nn, sizeof nn));
    if (RUNNING_ON_VALGRIND)
        printf("under Valgrind, whose allocator places every block its own way and keeps no glibc\n"
               "header: no chunks to read, and every realloc moves\n");

    printf("\nmalloc(new) + memcpy + free(old), as std::vector grows: the old block is live while\n"
           "the new one is placed; offsets from the first block's address\n");
    run(start, n, VEC_X1_5, FACTOR_COPY, &x15);
    run(start, n, VEC_X2, FACTOR_COPY, &x2);
    steps(&x15, VEC_X1_5);
    steps(&x2, VEC_X2);
    printf("\n  footprint: from the first chunk's start to the highest chunk end reached\n");
    footprint(&x15, VEC_X1_5);
    footprint(&x2, VEC_X2);

    printf("\nrealloc alone, nothing else allocated:\n");
    run(start, n, VEC_X1_5, FACTOR_REALLOC, &x15);
    run(start, n, VEC_X2, FACTOR_REALLOC, &x2);
    printf("  %-4s %2zu growths, %2zu moved\n", name(VEC_X1_5), x15.growths, x15.moves);
    printf("  %-4s %2zu growths, %2zu moved\n", name(VEC_X2), x2.growths, x2.moves);

    printf("\nrealloc, and a %d-byte block malloc'd after each growth, kept to the end:\n",
           FACTOR_FENCE_SIZE);
    run(start, n, VEC_X1_5, FACTOR_FENCE, &x15);
    run(start, n, VEC_X2, FACTOR_FENCE, &x2);
    fenced(&x15, VEC_X1_5);
    fenced(&x2, VEC_X2);

    printf("\ntwo arrays, malloc'd one after the other and grown in turn by realloc: each is what\n"
           "follows the other (offsets from the first array's first block; reused: below its\n"
           "old block)\n");
    run(start, n, VEC_X1_5, FACTOR_PAIR, &x15);
    run(start, n, VEC_X2, FACTOR_PAIR, &x2);
    pairs(&x15, VEC_X1_5);
    pairs(&x2, VEC_X2);
    return 0;
}
