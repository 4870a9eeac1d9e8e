/* test_factor.c: grow by 2 or by 1.5 (factor.h). What each way allocates, exactly, from
 * vec_next_cap's capacities; every failure freeing what it took. Then where glibc put
 * each block, from demo/factor's tables, against a model worked out from glibc's chunk
 * sizes ((n + 8 + 15) / 16 x 16): the old block is live while the new one is placed, the
 * blocks freed before it lie merged below it, and the new block lands at the bottom of
 * that space when its chunk fits there, else right after the old block. By 2 it never
 * fits (1 + 2 + ... + 2^(k-2) < 2^k, chunks included); by 1.5 it does, at the growths
 * the model finds. realloc alone never moves the block (it borders the top chunk); a
 * small block malloc'd after each growth stops it once, then lands in the space that
 * move freed, and the array grows in place again. Two arrays grown in turn by realloc
 * land where a model of glibc's heap puts them (best fit, splitting, merging, realloc
 * in place into the top chunk or a free neighbour), and by 2 as well the second lands in
 * space the first freed.
 *
 * glibc 2.36 (Debian 12) and 2.41 (Debian 13) do the same here. The addresses are the
 * demo's, a process started for each case and each growth run in a fork of it: a run in
 * this worker would find the worker's own free chunks in the bins. The address tests are
 * skipped under Valgrind and in ASan builds, whose allocators place blocks their own way;
 * the allocation counts hold under any allocator. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli.h"
#include "cli_assert.h"
#include "factor.h"
#include "platform.h"

static const size_t starts[] = {FACTOR_MIN_START, 200, 1000, 3000};
static const enum vec_growth factors[] = {VEC_X1_5, VEC_X2};

/* The growths from start to n, worked out from vec_next_cap. */
static size_t growths_to(size_t start, size_t n, enum vec_growth g, size_t *caps)
{
    size_t k = 0;

    caps[0] = start;
    for (size_t cap = start; cap < n; k++) {
        cap = vec_next_cap(cap, g);
        caps[k + 1] = cap;
    }
    return k;
}

/* ---- what it allocates ---- */

Test(factor_allocs, copying_growth_is_one_malloc_and_one_free_per_growth)
{
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        for (size_t f = 0; f < 2; f++) {
            size_t caps[FACTOR_MAX_GROWTHS + 2], k = growths_to(starts[i], FACTOR_MAX_N, factors[f], caps);
            unsigned long long bytes = 0;
            struct factor_result r;

            for (size_t j = 0; j <= k; j++)
                bytes += caps[j] * sizeof(int64_t);
            int rc = -1;

            ASSERT_ALLOCS(rc = factor_grow(starts[i], FACTOR_MAX_N, factors[f], FACTOR_COPY, true, &r),
                          1 + k, bytes);
            cr_assert(eq(int, rc, 0));
            cr_assert(eq(sz, r.growths, k), "from %zu: %zu growths by vec_next_cap", starts[i], k);
            cr_assert(eq(sz, r.moves, k), "every copy is a new block");
            cr_assert(r.intact);
        }
    }
}

Test(factor_allocs, realloc_is_one_allocation_and_one_free_per_growth_a_fence_one_more_malloc_a_pair_twice)
{
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        for (size_t f = 0; f < 2; f++) {
            size_t caps[FACTOR_MAX_GROWTHS + 2], k = growths_to(starts[i], FACTOR_MAX_N, factors[f], caps);
            unsigned long long bytes = 0;
            struct countalloc_stats d;
            struct factor_result r;

            for (size_t j = 0; j <= k; j++)
                bytes += caps[j] * sizeof(int64_t);
            int rc = -1;

            ALLOC_MEASURE(rc = factor_grow(starts[i], FACTOR_MAX_N, factors[f], FACTOR_REALLOC, true, &r), d);
            cr_assert(eq(int, rc, 0));
            cr_assert(d.mallocs == 1 + k && d.frees == 1 + k && d.total_alloc == bytes && d.heap_objects == 0,
                      "from %zu, realloc: expected %zu allocations (a malloc, %zu reallocs), as many frees, "
                      "%llu B; saw %llu, %llu, %llu B", starts[i], 1 + k, k, bytes,
                      (unsigned long long)d.mallocs, (unsigned long long)d.frees, (unsigned long long)d.total_alloc);
            ALLOC_MEASURE(rc = factor_grow(starts[i], FACTOR_MAX_N, factors[f], FACTOR_FENCE, true, &r), d);
            cr_assert(eq(int, rc, 0));
            cr_assert(d.mallocs == 1 + 2 * k && d.frees == 1 + 2 * k &&
                          d.total_alloc == bytes + k * FACTOR_FENCE_SIZE && d.heap_objects == 0,
                      "from %zu, fenced: expected %zu allocations, as many frees; saw %llu, %llu",
                      starts[i], 1 + 2 * k, (unsigned long long)d.mallocs, (unsigned long long)d.frees);
            cr_assert(r.intact);
            ALLOC_MEASURE(rc = factor_grow(starts[i], FACTOR_MAX_N, factors[f], FACTOR_PAIR, true, &r), d);
            cr_assert(eq(int, rc, 0));
            cr_assert(d.mallocs == 2 * (1 + k) && d.frees == 2 * (1 + k) && d.total_alloc == 2 * bytes &&
                          d.heap_objects == 0,
                      "from %zu, two arrays: expected %zu allocations, as many frees, %llu B; saw "
                      "%llu, %llu, %llu B", starts[i], 2 * (1 + k), 2 * bytes,
                      (unsigned long long)d.mallocs, (unsigned long long)d.frees,
                      (unsigned long long)d.total_alloc);
            cr_assert(r.intact);
        }
    }
}

Test(factor_allocs, arguments_out_of_range_allocate_nothing)
{
    struct factor_result r;
    int rc = 0;

    ASSERT_NO_ALLOCS(rc = factor_grow(FACTOR_MIN_START - 1, 1000, VEC_X2, FACTOR_COPY, true, &r));
    cr_assert(eq(int, rc, -1));
    ASSERT_NO_ALLOCS(rc = factor_grow(200, 200, VEC_X2, FACTOR_COPY, true, &r));
    cr_assert(eq(int, rc, -1));
    ASSERT_NO_ALLOCS(rc = factor_grow(200, FACTOR_MAX_N + 1, VEC_X2, FACTOR_COPY, true, &r));
    cr_assert(eq(int, rc, -1));
    ASSERT_NO_ALLOCS(rc = factor_grow(200, 1000, VEC_BY_ONE, FACTOR_COPY, true, &r));
    cr_assert(eq(int, rc, -1));
}

struct sweep_ctx {
    enum vec_growth g;
    enum factor_mode m;
};

static int job(void *ctx)
{
    struct sweep_ctx *c = ctx;
    struct factor_result r;

    return factor_grow(FACTOR_MIN_START, 1000, c->g, c->m, true, &r);
}

Test(factor_allocs, every_mode_frees_what_it_took_whichever_allocation_fails)
{
    for (int m = FACTOR_COPY; m <= FACTOR_PAIR; m++) {
        for (size_t f = 0; f < 2; f++) {
            struct sweep_ctx c = {factors[f], (enum factor_mode)m};

            ASSERT_SWEEP_CLEAN(job, &c);
        }
    }
}

/* ---- where glibc put the blocks: demo/factor START, a process per case ---- */

struct demo_step {
    size_t cap, chunk;
    long long offset;
    bool reused;
};

struct demo_run {
    size_t growths[2];                       /* x1.5, x2 */
    struct demo_step step[2][FACTOR_MAX_GROWTHS + 1];
    long long span[2];
    size_t realloc_moves[2], fence_moves[2], fence_reused[2], fence_after[2], fence_below[2];
    long long pair_at[2][FACTOR_MAX_GROWTHS + 1][2]; /* two arrays: each block's offset */
    size_t pair_rows[2];
};

/* "1,056" -> 1056 */
static unsigned long long number(const char *s)
{
    unsigned long long v = 0;

    for (; *s && *s != ' '; s++) {
        if (*s >= '0' && *s <= '9')
            v = v * 10 + (unsigned long long)(*s - '0');
    }
    return v;
}

static const char *after(const char *line, const char *word)
{
    const char *p = strstr(line, word);

    cr_assert(p != NULL, "no \"%s\" in: %s", word, line);
    p += strlen(word);
    while (*p == ' ')
        p++;
    return p;
}

static void demo(size_t start, struct demo_run *d)
{
    char err[4096], line[256];
    int section = 0, f = -1;
    FILE *out = tmpfile();

    memset(d, 0, sizeof *d);
    cr_assert(out != NULL);
    snprintf(line, sizeof line, "%zu", start);
    cr_assert(eq(int, cli_run_beside_fd("", "demo/factor", line, fileno(out), err, sizeof err), 0),
              "demo/factor %zu: exit status 0 (make builds it with the lesson's tests): %s", start, err);
    rewind(out);
    while (fgets(line, sizeof line, out) != NULL) {
        const char *p = line + 2;
        int g = strncmp(p, "x1.5", 4) == 0 ? 0 : strncmp(p, "x2", 2) == 0 ? 1 : -1;

        if (strncmp(line, "realloc alone", 13) == 0)
            section = 1;
        else if (strncmp(line, "realloc, and", 12) == 0)
            section = 2;
        else if (strncmp(line, "two arrays", 10) == 0)
            section = 3;
        if (line[0] != ' ')
            continue;
        if (g >= 0 && strstr(line, "elements") != NULL) {
            f = g; /* a table's header */
        } else if (f >= 0 && section == 3 && line[2] == ' ') {
            /* k, elements, chunk, the first's offset, the second's: the numbers of the row */
            unsigned long long num[8];
            int nn = 0;
            char *save = NULL;

            for (char *t = strtok_r(line, " \n", &save); t != NULL; t = strtok_r(NULL, " \n", &save)) {
                if (*t >= '0' && *t <= '9' && nn < 8)
                    num[nn++] = number(t);
            }
            cr_assert(eq(int, nn, 5), "a row of the pair's table: 5 numbers, saw %d", nn);
            cr_assert(num[0] <= FACTOR_MAX_GROWTHS);
            d->pair_at[f][num[0]][0] = (long long)num[3];
            d->pair_at[f][num[0]][1] = (long long)num[4];
            d->pair_rows[f]++;
        } else if (f >= 0 && section == 0 && line[2] == ' ') {
            unsigned k;
            char e[32], c[32], o[32];

            cr_assert(eq(int, sscanf(line, "%u %31s %31s %31s", &k, e, c, o), 4), "a row: %s", line);
            cr_assert(k <= FACTOR_MAX_GROWTHS);
            d->step[f][k] = (struct demo_step){number(e), number(c), (long long)number(o),
                                               strstr(line, "reused") != NULL};
        } else if (g >= 0 && section == 0 && strstr(line, "spanned") != NULL) {
            d->growths[g] = number(after(line, g == 0 ? "x1.5" : "x2"));
            d->span[g] = (long long)number(after(line, "spanned"));
        } else if (g >= 0 && section == 1) {
            d->realloc_moves[g] = number(after(line, "growths,"));
        } else if (g >= 0 && section == 2) {
            d->fence_moves[g] = number(after(line, "growths,"));
            d->fence_reused[g] = number(after(line, "moved,"));
            d->fence_after[g] = number(after(line, "after the array"));
            d->fence_below[g] = number(after(line, "below it"));
        }
    }
    fclose(out);
}

/* The model: the live block's chunk at [s, e) from the first chunk's start; everything
 * below s is free and merged (the blocks freed so far), everything from e up free too
 * (the top chunk). */
struct model {
    long long s, e, span;
};

Test(factor_places, copying_growth_reuses_freed_space_where_the_chunks_fit_by_1_5_and_never_by_2,
     GLIBC_MALLOC_ONLY)
{
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        struct demo_run d;

        demo(starts[i], &d);
        for (size_t f = 0; f < 2; f++) {
            size_t caps[FACTOR_MAX_GROWTHS + 2], k = growths_to(starts[i], FACTOR_MAX_N, factors[f], caps);
            struct model m = {0, (long long)platform_chunk_for(caps[0] * 8), (long long)platform_chunk_for(caps[0] * 8)};
            size_t reuses = 0;

            cr_assert(eq(sz, d.growths[f], k), "from %zu: %zu growths", starts[i], k);
            for (size_t j = 1; j <= k; j++) {
                long long c = (long long)platform_chunk_for(caps[j] * 8);
                bool fits = c <= m.s;
                long long at = fits ? 0 : m.e;

                cr_assert(eq(sz, d.step[f][j].cap, caps[j]));
                cr_assert(d.step[f][j].reused == fits && d.step[f][j].offset == at,
                          "%s from %zu, growth %zu: a chunk of %lld B, %lld B free below the old "
                          "block: expected it %s (offset %lld); saw offset %lld%s",
                          f ? "x2" : "x1.5", starts[i], j, c, m.s,
                          fits ? "at the bottom of the freed space" : "after the old block", at,
                          d.step[f][j].offset, d.step[f][j].reused ? ", reused" : "");
                reuses += fits;
                m.s = at;
                m.e = at + c;
                if (m.e > m.span)
                    m.span = m.e;
            }
            if (factors[f] == VEC_X2)
                cr_assert(eq(sz, reuses, 0), "by 2 the freed blocks never add up to the next");
            cr_assert(eq(i64, d.span[f], m.span), "%s from %zu: the heap should span %lld B, saw %lld",
                      f ? "x2" : "x1.5", starts[i], m.span, d.span[f]);
        }
    }
}

Test(factor_places, by_1_5_the_first_reuse_is_the_first_growth_the_freed_chunks_hold,
     GLIBC_MALLOC_ONLY)
{
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        /* the sum the argument is about: the chunks freed before the live one, against the
         * next chunk, until the first that fits */
        size_t caps[FACTOR_MAX_GROWTHS + 2], k = growths_to(starts[i], FACTOR_MAX_N, VEC_X1_5, caps);
        size_t first = 0, seen = 0, freed = 0;
        struct demo_run d;

        for (size_t j = 2; j <= k && first == 0; j++) {
            freed += platform_chunk_for(caps[j - 2] * 8);
            if (platform_chunk_for(caps[j] * 8) <= freed)
                first = j;
        }
        demo(starts[i], &d);
        for (size_t j = k; j >= 1; j--) {
            if (d.step[0][j].reused)
                seen = j;
        }
        cr_assert(eq(sz, seen, first),
                  "x1.5 from %zu: the chunks freed before growth %zu add up to its chunk first; "
                  "the demo's first reuse was growth %zu (0: none)", starts[i], first, seen);
    }
}

Test(factor_places, realloc_alone_never_moves_and_a_fence_stops_it_once, GLIBC_MALLOC_ONLY)
{
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        struct demo_run d;

        demo(starts[i], &d);
        for (size_t f = 0; f < 2; f++) {
            size_t k = d.growths[f];

            cr_assert(eq(sz, d.realloc_moves[f], 0),
                      "from %zu, realloc alone: the block borders the top chunk and grows into it",
                      starts[i]);
            if (k < 2)
                continue;
            cr_assert(d.fence_moves[f] == 1 && d.fence_reused[f] == 0 && d.fence_after[f] == 1 &&
                          d.fence_below[f] == k - 1,
                      "from %zu, fenced, %zu growths: expected the first fence after the array, one "
                      "move at the next growth, and every later fence in the space it freed "
                      "(1 move, 0 reused, 1 after, %zu below); saw %zu, %zu, %zu, %zu", starts[i], k,
                      k - 1, d.fence_moves[f], d.fence_reused[f], d.fence_after[f], d.fence_below[f]);
        }
    }
}

/* A model of glibc's heap for chunks past the tcache, in address order from the first
 * block: malloc takes the smallest free chunk that fits (the bins' best fit), split at its
 * start when what remains can be a chunk, else the top chunk; free merges a chunk with
 * its free neighbours, and into the top chunk when it borders it; realloc grows in place
 * when the next chunk is the top one, or a free one that is large enough, and otherwise
 * mallocs, copies and frees. */
#define MODEL_MAX 64
#define MIN_CHUNK 32

struct heap_model {
    long long at[MODEL_MAX], size[MODEL_MAX];
    bool free[MODEL_MAX];
    int n;
    long long top; /* where the top chunk starts */
};

static void model_insert(struct heap_model *h, int i, long long at, long long size, bool free)
{
    cr_assert(h->n < MODEL_MAX);
    memmove(&h->at[i + 1], &h->at[i], (size_t)(h->n - i) * sizeof h->at[0]);
    memmove(&h->size[i + 1], &h->size[i], (size_t)(h->n - i) * sizeof h->size[0]);
    memmove(&h->free[i + 1], &h->free[i], (size_t)(h->n - i) * sizeof h->free[0]);
    h->at[i] = at;
    h->size[i] = size;
    h->free[i] = free;
    h->n++;
}

static void model_remove(struct heap_model *h, int i)
{
    h->n--;
    memmove(&h->at[i], &h->at[i + 1], (size_t)(h->n - i) * sizeof h->at[0]);
    memmove(&h->size[i], &h->size[i + 1], (size_t)(h->n - i) * sizeof h->size[0]);
    memmove(&h->free[i], &h->free[i + 1], (size_t)(h->n - i) * sizeof h->free[0]);
}

static int model_find(const struct heap_model *h, long long at)
{
    for (int i = 0; i < h->n; i++) {
        if (h->at[i] == at)
            return i;
    }
    cr_assert(false, "the model has no chunk at %lld", at);
    return -1;
}

static long long model_malloc(struct heap_model *h, long long size)
{
    int best = -1;

    for (int i = 0; i < h->n; i++) {
        if (h->free[i] && h->size[i] >= size && (best < 0 || h->size[i] < h->size[best]))
            best = i;
    }
    if (best < 0) {
        long long at = h->top;

        model_insert(h, h->n, at, size, false);
        h->top += size;
        return at;
    }
    if (h->size[best] - size >= MIN_CHUNK) {
        model_insert(h, best + 1, h->at[best] + size, h->size[best] - size, true);
        h->size[best] = size;
    }
    h->free[best] = false;
    return h->at[best];
}

static void model_free(struct heap_model *h, long long at)
{
    int i = model_find(h, at);

    h->free[i] = true;
    if (i + 1 < h->n && h->free[i + 1]) {
        h->size[i] += h->size[i + 1];
        model_remove(h, i + 1);
    }
    if (i > 0 && h->free[i - 1]) {
        h->size[i - 1] += h->size[i];
        model_remove(h, i);
        i--;
    }
    if (i == h->n - 1 && h->at[i] + h->size[i] == h->top) {
        h->top = h->at[i];
        model_remove(h, i);
    }
}

static long long model_realloc(struct heap_model *h, long long at, long long size)
{
    int i = model_find(h, at);
    long long now;

    if (h->at[i] + h->size[i] == h->top) { /* into the top chunk */
        h->top = at + size;
        h->size[i] = size;
        return at;
    }
    if (i + 1 < h->n && h->free[i + 1] && h->size[i] + h->size[i + 1] >= size) {
        long long rest = h->size[i] + h->size[i + 1] - size;

        model_remove(h, i + 1);
        if (rest >= MIN_CHUNK) {
            model_insert(h, i + 1, at + size, rest, true);
            h->size[i] = size;
        } else {
            h->size[i] = size + rest;
        }
        return at;
    }
    now = model_malloc(h, size);
    model_free(h, at);
    return now;
}

Test(factor_places, two_arrays_grown_in_turn_land_where_a_best_fit_heap_model_puts_them,
     GLIBC_MALLOC_ONLY)
{
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        struct demo_run d;

        demo(starts[i], &d);
        for (size_t f = 0; f < 2; f++) {
            size_t caps[FACTOR_MAX_GROWTHS + 2], k = growths_to(starts[i], FACTOR_MAX_N, factors[f], caps);
            struct heap_model h = {.n = 0, .top = 0};
            long long a = model_malloc(&h, (long long)platform_chunk_for(caps[0] * 8));
            long long b = model_malloc(&h, (long long)platform_chunk_for(caps[0] * 8));
            size_t below = 0;

            cr_assert(eq(sz, d.pair_rows[f], k + 1), "%s from %zu: %zu rows", f ? "x2" : "x1.5",
                      starts[i], k + 1);
            for (size_t j = 0; j <= k; j++) {
                if (j > 0) {
                    long long was = b;

                    a = model_realloc(&h, a, (long long)platform_chunk_for(caps[j] * 8));
                    b = model_realloc(&h, b, (long long)platform_chunk_for(caps[j] * 8));
                    below += b < was;
                }
                cr_assert(d.pair_at[f][j][0] == a && d.pair_at[f][j][1] == b,
                          "%s from %zu, growth %zu: the model puts the arrays at %lld and %lld; "
                          "glibc put them at %lld and %lld", f ? "x2" : "x1.5", starts[i], j, a, b,
                          d.pair_at[f][j][0], d.pair_at[f][j][1]);
            }
            if (factors[f] == VEC_X2 && k >= 2)
                cr_assert(below > 0, "x2 from %zu: the second array lands below its old block "
                          "(in the first's freed space) at least once", starts[i]);
        }
    }
}

/* ---- the program ---- */

Test(factor_demo, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad_start[] = {"abc", "0", "129", "8192", "1x", "--bogus", "99999999999999999999999"};
    static const char *const bad_n[] = {"200 200", "200 8193", "200 x"};
    static const char *const extra[] = {"200 300 1"};

    ASSERT_BAD_ARGUMENTS("demo/factor", "START must be a whole number from 130 to 8,191", bad_start);
    ASSERT_BAD_ARGUMENTS("demo/factor", "N must be a whole number from 201 to 8,192", bad_n);
    ASSERT_BAD_ARGUMENTS("demo/factor", "too many arguments", extra);
}
