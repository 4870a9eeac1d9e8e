/* test_exercise.c: the sort's order, worked out by an insertion sort with the rule of
 * exercise.h, on random words and on edge cases; its allocations, exactly qsort's own
 * (sortkey_qsort_allocs, per glibc release) below and past qsort's buffer edge; and every
 * allocation failed in turn. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "platform.h"
#include "sortkey.h"

#define PTR sizeof(char *)
#define QSORT_EDGE 1024 /* bytes of elements: glibc 2.36 takes a buffer from 1,024, 2.41 past */
#define SEED 6

/* ---- the reference order ---- */

static int lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* exercise.h's order, written out: the lowered bytes as unsigned char, then the bytes. */
static int ref_cmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

    while (*x != 0 && lower(*x) == lower(*y))
        x++, y++;
    if (lower(*x) != lower(*y))
        return lower(*x) - lower(*y);
    return strcmp(a, b);
}

/* v[0..n) sorted by ref_cmp, one insertion at a time. */
static void insertion_sort(char **v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        char *w = v[i];
        size_t j = i;

        for (; j > 0 && ref_cmp(v[j - 1], w) > 0; j--)
            v[j] = v[j - 1];
        v[j] = w;
    }
}

static char **copy_of(char *const *words, size_t n)
{
    char **v = malloc(n * PTR);

    cr_assert(v != NULL);
    memcpy(v, words, n * PTR);
    return v;
}

static int by_address(const void *pa, const void *pb)
{
    uintptr_t a = (uintptr_t) * (char *const *)pa, b = (uintptr_t) * (char *const *)pb;

    return (a > b) - (a < b);
}

/* v[0..n) holds the pointers of words[0..n), each once, in the reference order. */
static void assert_sorted_like_reference(char *const *v, char *const *words, size_t n,
                                         const char *what)
{
    char **ref = copy_of(words, n), **a = copy_of(v, n), **b = copy_of(words, n);

    insertion_sort(ref, n);
    for (size_t i = 0; i < n; i++)
        cr_assert(strcmp(v[i], ref[i]) == 0,
                  "%s, %zu words: at %zu expected \"%s\", saw \"%s\" (the order: the bytes with "
                  "A-Z lowered, as unsigned char; words equal but for case by the bytes)",
                  what, n, i, ref[i], v[i]);
    qsort(a, n, PTR, by_address);
    qsort(b, n, PTR, by_address);
    cr_assert(memcmp(a, b, n * PTR) == 0,
              "%s, %zu words: the array no longer holds each word's pointer once", what, n);
    free(b);
    free(a);
    free(ref);
}

/* ---- the order ---- */

Test(sort_ci, random_words_come_out_by_their_lowered_bytes_then_by_their_bytes)
{
    size_t n = 200;
    char **words, **v;

    cr_assert(eq(int, sortkey_words(&words, n, SEED), 0));
    v = copy_of(words, n);
    sort_ci(v, n);
    assert_sorted_like_reference(v, words, n, "sortkey_words");
    free(v);
    sortkey_words_free(words);
}

Test(sort_ci, words_equal_but_for_case_prefixes_the_empty_word_and_bytes_past_z_keep_the_order)
{
    /* '@' sorts before letters either way; '[' and '_' sit between 'Z' and 'a', so they come
     * before every letter only when A-Z are lowered (raised, they would follow); 0xc3, a
     * UTF-8 lead byte, comes last only as unsigned char */
    static char edge[][8] = {"b",  "B",  "",    "ab",  "Ab", "aB", "AB",         "a",
                             "A",  "a",  "abc", "ABC", "_",  "[",  "Z",          "z",
                             "zz", "",   "~",   "@",   "Ba", "bA", "\xc3\xa9t\xc3\xa9"};
    size_t n = sizeof edge / sizeof edge[0];
    char *words[sizeof edge / sizeof edge[0]], *v[sizeof edge / sizeof edge[0]];

    for (size_t i = 0; i < n; i++)
        words[i] = v[i] = edge[i];
    sort_ci(v, n);
    assert_sorted_like_reference(v, words, n, "edge cases");
    /* and backwards, so no order of the input happens to be left as it was */
    for (size_t i = 0; i < n; i++)
        v[i] = words[n - 1 - i];
    sort_ci(v, n);
    assert_sorted_like_reference(v, words, n, "edge cases, reversed");
}

/* ---- the budget ---- */

/* Sort n words from sortkey_words and assert the allocations: exactly qsort's own,
 * sortkey_qsort_allocs(n, 8), of n pointers each. sortkey_inplace counts the comparisons
 * of the same sort (the same answers, so glibc's qsort compares the same pairs). */
static void assert_qsort_allocs_only(size_t n)
{
    char **words, **v, **inplace;
    struct sortkey_stats st = {0};
    struct countalloc_stats d;
    uint64_t q = sortkey_qsort_allocs(n, PTR), more;

    cr_assert(eq(int, sortkey_words(&words, n, SEED), 0));
    v = copy_of(words, n);
    inplace = copy_of(words, n);
    sortkey_inplace(inplace, n, &st);
    ALLOC_MEASURE(sort_ci(v, n), d);
    more = d.mallocs > q ? d.mallocs - q : 0;
    cr_assert(d.mallocs == q && d.total_alloc == q * n * PTR,
              "sorting %zu words: expected %llu allocations of %llu bytes, qsort's own and "
              "nothing more (glibc 2.36 takes a buffer of the pointers from 1,024 bytes, 2.41 "
              "past 1,024; here %zu bytes on glibc %s); saw %llu allocations of %llu bytes, "
              "%llu more than qsort's: %.2f per comparison of the %llu the sort makes, so the "
              "comparator allocates",
              n, (unsigned long long)q, (unsigned long long)(q * n * PTR), n * PTR,
              platform_glibc_at_least(2, 41) ? ">= 2.41" : "< 2.41",
              (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
              (unsigned long long)more, (double)more / (double)st.compares,
              (unsigned long long)st.compares);
    cr_assert(d.frees == d.mallocs && d.heap_alloc == 0 && d.heap_objects == 0,
              "sorting %zu words: %llu allocations, %llu frees, %lld bytes left live", n,
              (unsigned long long)d.mallocs, (unsigned long long)d.frees, (long long)d.heap_alloc);
    for (size_t i = 0; i < n; i++)
        cr_assert(strcmp(v[i], inplace[i]) == 0,
                  "sorting %zu words: at %zu expected \"%s\" as sortkey_inplace sorts them, "
                  "saw \"%s\"", n, i, inplace[i], v[i]);
    free(inplace);
    free(v);
    sortkey_words_free(words);
}

Test(sort_ci, sorting_100_words_makes_qsorts_own_allocations_and_nothing_more)
{
    size_t n = 100;

    /* 800 bytes of pointers: below qsort's buffer on either release, so its own are none */
    cr_assert(n * PTR < QSORT_EDGE, "%zu pointers below qsort's edge on either release", n);
    assert_qsort_allocs_only(n);
}

Test(sort_ci, sorting_300_words_past_qsorts_buffer_edge_makes_its_one_buffer_and_nothing_more)
{
    size_t n = 300;

    /* 2,400 bytes of pointers: past qsort's edge on either release, so one buffer of them */
    cr_assert(n * PTR > QSORT_EDGE, "%zu pointers past qsort's edge on either release", n);
    assert_qsort_allocs_only(n);
}

/* ---- running out of memory ---- */

struct sweep_ctx {
    char **words, **ref; /* the words, and the same in the reference order */
    size_t n;
};

/* One sort of a copy of the words, checked against the reference without allocating:
 * sort_ci cannot report a failure, so each one it meets (a buffer qsort sorts without, a
 * copy the starter compares without) must be absorbed, the order right. */
static int sweep_sort(void *ctx)
{
    struct sweep_ctx *c = ctx;
    char **v = malloc(c->n * PTR);

    if (v == NULL)
        return -1;
    memcpy(v, c->words, c->n * PTR);
    sort_ci(v, c->n);
    for (size_t i = 0; i < c->n; i++)
        cr_assert(strcmp(v[i], c->ref[i]) == 0,
                  "under a failed allocation, %zu words: at %zu expected \"%s\", saw \"%s\"",
                  c->n, i, c->ref[i], v[i]);
    free(v);
    return 0;
}

Test(sort_ci_failure, every_allocation_failed_in_turn_is_absorbed_the_order_right_and_nothing_leaked)
{
    struct sweep_ctx c = {NULL, NULL, 130}; /* 1,040 bytes: qsort takes a buffer on either release */

    cr_assert(c.n * PTR > QSORT_EDGE, "%zu pointers past qsort's edge on either release", c.n);
    cr_assert(eq(int, sortkey_words(&c.words, c.n, SEED), 0));
    c.ref = copy_of(c.words, c.n);
    insertion_sort(c.ref, c.n);
    ASSERT_SWEEP_ABSORBS(sweep_sort, &c);
    free(c.ref);
    sortkey_words_free(c.words);
}
