/* sortkey.c: a comparator that allocates. The same words sorted case-insensitively with
 * glibc's qsort three ways (sortkey.h): a comparator that lowercases a malloc'd copy of
 * each side, keys lowercased once, a comparator that compares in place; for N, 2N and 4N
 * words, the comparisons and the allocations of each (counted), per word, and the blocks
 * qsort itself took; then qsort's own buffer measured where glibc's rule puts it, around
 * 1,024 bytes of elements. make sortkey-03; ARGS=N (default 1,000). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "countalloc.h"
#include "report.h"
#include "sortkey.h"

#define PROG "sortkey"
#define N_DEFAULT 1000
#define N_MAX 1000000 /* 4N words: 36 MB of letters, 32 MB of pointers per copy */
#define SEED 1

/* One way's run: its comparisons, fallbacks and what it allocated. */
struct way {
    struct sortkey_stats st;
    struct countalloc_stats d;
};

static void row(size_t n, const char *name, const struct way *w, size_t qsort_allocs)
{
    char nb[32], cb[32], ab[32];

    printf("  %9s  %-9s %12s %9.2f %12s %9.2f %8zu\n", report_count(n, nb, 32), name,
           report_count(w->st.compares, cb, 32), (double)w->st.compares / (double)n,
           report_count(w->d.mallocs, ab, 32), (double)w->d.mallocs / (double)n, qsort_allocs);
}

/* v[0..n) in sortkey.h's order: each pair in order, none equal (the words are distinct
 * pointers; two equal words may sit either way, they print the same). */
static int ordered(char *const *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        int c = strcasecmp(v[i - 1], v[i]);

        if (c > 0 || (c == 0 && strcmp(v[i - 1], v[i]) > 0))
            return 0;
    }
    return 1;
}

/* Sort n words three ways and print a row for each; 0, or 1 when the orders differ. */
static int sort_n(size_t n, uint64_t *fallbacks)
{
    char **words, **v[3];
    struct way w[3] = {0};
    struct countalloc_stats start;
    int rc = 0;

    if (sortkey_words(&words, n, SEED) != 0)
        cli_oom(PROG, "making the words");
    for (int i = 0; i < 3; i++)
        if ((v[i] = malloc(n * sizeof *v[i])) == NULL)
            cli_oom(PROG, "copying the array of words");
        else
            memcpy(v[i], words, n * sizeof *words);

    countalloc_measure_begin(&start);
    sortkey_copying(v[0], n, &w[0].st);
    w[0].d = countalloc_measure_end(&start);
    countalloc_measure_begin(&start);
    if (sortkey_keyed(v[1], n, &w[1].st) != 0)
        cli_oom(PROG, "making the keys");
    w[1].d = countalloc_measure_end(&start);
    countalloc_measure_begin(&start);
    sortkey_inplace(v[2], n, &w[2].st);
    w[2].d = countalloc_measure_end(&start);

    row(n, "copying", &w[0], sortkey_qsort_allocs(n, sizeof(char *)));
    row(n, "keyed", &w[1], sortkey_qsort_allocs(n, sizeof(struct sortkey_pair)));
    row(n, "in place", &w[2], sortkey_qsort_allocs(n, sizeof(char *)));
    *fallbacks += w[0].st.fallbacks;
    if (!ordered(v[2], n) || memcmp(v[0], v[2], n * sizeof *v[0]) != 0 ||
        memcmp(v[1], v[2], n * sizeof *v[1]) != 0)
        rc = 1;
    for (int i = 0; i < 3; i++)
        free(v[i]);
    sortkey_words_free(words);
    return rc;
}

/* qsort's own blocks, measured: the in-place sort of n pointers allocates nothing else. */
static void qsort_row(size_t n)
{
    char **words, nb[32], eb[32], bb[32];
    struct sortkey_stats st = {0};
    struct countalloc_stats start, d;

    if (sortkey_words(&words, n, SEED) != 0)
        cli_oom(PROG, "making the words");
    countalloc_measure_begin(&start);
    sortkey_inplace(words, n, &st);
    d = countalloc_measure_end(&start);
    printf("  %9s %12s %8llu %12s\n", report_count(n, nb, 32),
           report_count(n * sizeof *words, eb, 32), (unsigned long long)d.mallocs,
           report_count(d.total_alloc, bb, 32));
    sortkey_words_free(words);
}

int main(int argc, char **argv)
{
    size_t n = N_DEFAULT;
    uint64_t fallbacks = 0;
    int bad = 0;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = (size_t)cli_u64(PROG, "N", argv[1], 1, N_MAX);

    printf("words of 3 to 8 letters, each in upper or lower case at random (sortkey_words), sorted\n"
           "case-insensitively with glibc's qsort, ties by the bytes, three ways (sortkey.h):\n"
           "  copying    the comparator lowercases a malloc'd copy of each side, frees both\n"
           "  keyed      each word lowercased once (n keys, an array of n pairs), pairs sorted\n"
           "  in place   the comparator compares with strcasecmp\n"
           "allocations counted around each sort; qsort's: the blocks qsort itself takes\n\n");
    printf("  %9s  %-9s %12s %9s %12s %9s %8s\n", "words", "way", "comparisons", "per word",
           "allocs", "per word", "qsort's");
    for (size_t m = n, i = 0; i < 3; i++, m *= 2) {
        bad |= sort_n(m, &fallbacks);
        if (i < 2)
            printf("\n");
    }
    if (fallbacks > 0)
        printf("\n%llu comparisons compared in place: a copy could not be allocated\n",
               (unsigned long long)fallbacks);
    if (bad) {
        printf("\nthe same order all three ways: NO (a bug)\n");
        return 1;
    }
    printf("\nthe same order all three ways, at every N: yes\n");

    printf("\nqsort's own blocks, measured around the in-place sort (nothing else allocates):\n"
           "  %9s %12s %8s %12s\n", "pointers", "their bytes", "allocs", "bytes");
    for (size_t m = 127; m <= 129; m++)
        qsort_row(m);
    return 0;
}
