/* test_sortkey.c: a case-insensitive sort three ways (sortkey.h): the same order from all
 * three; the allocations worked out from the comparisons counted and glibc's qsort buffer
 * rule, per release (the copying comparator 2 per comparison, keys made once n + 1, strcasecmp
 * none); a failed copy that falls back to comparing in place; the keyed sort's failures,
 * which leave the array as it was; and the demo's bad arguments and clean exit. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "platform.h"
#include "sortkey.h"

#define PTR sizeof(char *)
#define PAIR sizeof(struct sortkey_pair)

/* A copy of words[0..n), which the caller frees; NULL when it cannot be allocated (under
 * a sweep). */
static char **try_copy(char **words, size_t n)
{
    char **v = malloc(n * sizeof *v);

    if (v != NULL)
        memcpy(v, words, n * sizeof *v);
    return v;
}

static char **copy_of(char **words, size_t n)
{
    char **v = try_copy(words, n);

    cr_assert(v != NULL);
    return v;
}

/* v[0..n) in sortkey.h's order: by strcasecmp, ties by strcmp. */
static void assert_ordered(char *const *v, size_t n, const char *what)
{
    for (size_t i = 1; i < n; i++) {
        int c = strcasecmp(v[i - 1], v[i]);

        cr_assert(c < 0 || (c == 0 && strcmp(v[i - 1], v[i]) <= 0),
                  "%s, %zu words: \"%s\" before \"%s\" at %zu", what, n, v[i - 1], v[i], i);
    }
}

/* The bytes of the keys the keyed sort makes for words[0..n): each word's length plus 1. */
static uint64_t key_bytes(char *const *words, size_t n)
{
    uint64_t b = 0;

    for (size_t i = 0; i < n; i++)
        b += strlen(words[i]) + 1;
    return b;
}

static void assert_counts(const struct countalloc_stats *d, uint64_t allocs, uint64_t bytes,
                          const char *what, size_t n, uint64_t q)
{
    cr_assert(d->mallocs == allocs && d->frees == allocs,
              "%s, %zu words: expected %llu allocations and as many frees (qsort's own: %llu on "
              "glibc %s; 2.36 takes its buffer from 1,024 bytes of elements, 2.41 past 1,024), "
              "saw %llu and %llu",
              what, n, (unsigned long long)allocs, (unsigned long long)q,
              platform_glibc_at_least(2, 41) ? ">= 2.41" : "< 2.41",
              (unsigned long long)d->mallocs, (unsigned long long)d->frees);
    cr_assert(bytes == 0 || d->total_alloc == bytes, "%s, %zu words: expected %llu bytes, saw %llu",
              what, n, (unsigned long long)bytes, (unsigned long long)d->total_alloc);
    cr_assert(d->heap_alloc == 0 && d->heap_objects == 0, "%s, %zu words: %lld bytes left live",
              what, n, (long long)d->heap_alloc);
}

/* ---- the counts ---- */

Test(sortkey, three_ways_one_order_copying_allocates_two_per_comparison_keyed_n_plus_one_in_place_none)
{
    /* 127, 128 and 129 pointers straddle qsort's stack buffer of 1,024 bytes: glibc 2.36
     * takes a buffer for 128, glibc 2.41 only from 129; 63, 64, 65 pairs do the same */
    static const size_t ns[] = {1, 2, 63, 64, 65, 127, 128, 129, 300};

    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        size_t n = ns[i];
        char **words, **v[3];
        struct sortkey_stats st[3] = {0};
        struct countalloc_stats d[3];
        uint64_t qp = sortkey_qsort_allocs(n, PTR), qk = sortkey_qsort_allocs(n, PAIR);
        int rc = -1;

        cr_assert(eq(int, sortkey_words(&words, n, n), 0));
        for (int j = 0; j < 3; j++)
            v[j] = copy_of(words, n);
        ALLOC_MEASURE(sortkey_copying(v[0], n, &st[0]), d[0]);
        ALLOC_MEASURE(rc = sortkey_keyed(v[1], n, &st[1]), d[1]);
        ALLOC_MEASURE(sortkey_inplace(v[2], n, &st[2]), d[2]);
        cr_assert(eq(int, rc, 0));

        assert_ordered(v[2], n, "in place");
        cr_assert(memcmp(v[0], v[2], n * PTR) == 0 && memcmp(v[1], v[2], n * PTR) == 0,
                  "%zu words: the three ways gave different orders", n);
        cr_assert(n < 2 || st[2].compares > 0, "%zu words: no comparison counted", n);
        /* glibc's merge sort compares the same pairs when the answers are the same */
        cr_assert(st[0].compares == st[2].compares && st[1].compares == st[2].compares,
                  "%zu words: %llu, %llu and %llu comparisons", n,
                  (unsigned long long)st[0].compares, (unsigned long long)st[1].compares,
                  (unsigned long long)st[2].compares);
        cr_assert(eq(u64, st[0].fallbacks, 0));
        assert_counts(&d[0], 2 * st[0].compares + qp, 0, "copying", n, qp);
        assert_counts(&d[1], n + 1 + qk, n * PAIR + key_bytes(words, n) + qk * n * PAIR, "keyed",
                      n, qk);
        assert_counts(&d[2], qp, qp * n * PTR, "in place", n, qp);
        for (int j = 0; j < 3; j++)
            free(v[j]);
        sortkey_words_free(words);
    }
}

/* ---- failures ---- */

Test(sortkey_failure, a_failed_copy_is_compared_in_place_and_the_sort_is_still_right)
{
    SKIP_WITHOUT_INJECTION();
    size_t n = 50; /* 400 bytes of pointers: no qsort buffer on either release */
    char **words, **ref;
    struct sortkey_stats rs = {0};

    cr_assert(eq(int, sortkey_words(&words, n, 7), 0));
    ref = copy_of(words, n);
    sortkey_inplace(ref, n, &rs);
    /* allocation k: an odd k is the first copy of comparison (k + 1) / 2 (the second is
     * then not asked for), an even k its second copy (the first freed) */
    for (uint64_t k = 1; k <= 6; k++) {
        char **v = copy_of(words, n);
        struct sortkey_stats st = {0};
        struct countalloc_stats d;

        countalloc_fail_at(k, false);
        ALLOC_MEASURE(sortkey_copying(v, n, &st), d);
        cr_assert(eq(u64, countalloc_fail_off(), 1), "allocation %llu failed", (unsigned long long)k);
        cr_assert(eq(u64, st.fallbacks, 1), "allocation %llu: one comparison in place", (unsigned long long)k);
        cr_assert(eq(u64, st.compares, rs.compares), "allocation %llu: the same comparisons", (unsigned long long)k);
        cr_assert(memcmp(v, ref, n * PTR) == 0, "allocation %llu: a different order", (unsigned long long)k);
        assert_counts(&d, 2 * (st.compares - 1) + (k % 2 == 0), 0, "copying, one copy failed", n, 0);
        free(v);
    }
    free(ref);
    sortkey_words_free(words);
}

struct sweep_ctx {
    char **words, **ref;
    size_t n;
};

/* The keyed sort of a copy: on failure the copy is the words as they were; on success
 * (qsort absorbs a failed buffer) it is the reference order. */
static int sweep_keyed(void *ctx)
{
    struct sweep_ctx *c = ctx;
    char **v = try_copy(c->words, c->n);
    struct sortkey_stats st = {0};
    int rc;

    if (v == NULL)
        return -1;
    if ((rc = sortkey_keyed(v, c->n, &st)) != 0) {
        cr_assert(eq(int, errno, ENOMEM));
        cr_assert(memcmp(v, c->words, c->n * PTR) == 0, "a failed keyed sort changed the array");
    } else {
        cr_assert(memcmp(v, c->ref, c->n * PTR) == 0, "the keyed sort's order is wrong");
    }
    free(v);
    return rc;
}

/* The copying sort never fails: each failure is a comparison in place, or qsort sorting
 * without its buffer; the order is the reference's either way. */
static int sweep_copying(void *ctx)
{
    struct sweep_ctx *c = ctx;
    char **v = try_copy(c->words, c->n);
    struct sortkey_stats st = {0};

    if (v == NULL)
        return -1;
    sortkey_copying(v, c->n, &st);
    cr_assert(memcmp(v, c->ref, c->n * PTR) == 0, "the copying sort's order is wrong");
    free(v);
    return 0;
}

static int sweep_words(void *ctx)
{
    char **w;

    if (sortkey_words(&w, *(size_t *)ctx, 1) != 0)
        return -1;
    sortkey_words_free(w);
    return 0;
}

Test(sortkey_failure, every_allocation_failed_in_turn_is_reported_or_absorbed_and_leaks_nothing)
{
    struct sweep_ctx c = {NULL, NULL, 200}; /* qsort takes a buffer for 200 on either release */
    struct sortkey_stats st = {0};
    char **w;
    int rc;

    SKIP_WITHOUT_INJECTION();
    cr_assert(eq(int, sortkey_words(&c.words, c.n, 3), 0));
    c.ref = copy_of(c.words, c.n);
    sortkey_inplace(c.ref, c.n, &st);
    ASSERT_SWEEP_ABSORBS(sweep_keyed, &c);
    /* the copying sort of the first 30 words: 2 copies per comparison, each failed in turn */
    c.n = 30;
    memcpy(c.ref, c.words, c.n * PTR);
    sortkey_inplace(c.ref, c.n, &st);
    ASSERT_SWEEP_ABSORBS(sweep_copying, &c);
    ASSERT_SWEEP_CLEAN(sweep_words, &c.n);
    ASSERT_NO_ALLOCS(rc = sortkey_words(&w, 0, 1));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
    free(c.ref);
    sortkey_words_free(c.words);
}

/* ---- the program ---- */

Test(sortkey_program, bad_arguments_get_one_line_and_exit_status_2_and_a_run_frees_everything)
{
    static const char *const bad[] = {"abc", "0", "-5", "1000001", "1x", "--bogus",
                                      "99999999999999999999999", "1 2"};

    ASSERT_BAD_ARGUMENTS("demo/sortkey", "N", bad);
    cli_assert_frees_everything("demo/sortkey", "100");
}
