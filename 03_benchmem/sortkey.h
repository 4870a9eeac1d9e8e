/* sortkey: sorting strings case-insensitively with glibc's qsort, three ways, each
 * comparison counted. The caller owns the array and the strings; each sort reorders the
 * array's pointers and never changes a string.
 *
 *   struct sortkey_stats st = {0};
 *   sortkey_copying(v, n, &st);   // a comparator that lowercases a copy of each side
 *   sortkey_keyed(v, n, &st);     // each key lowercased once, then sorted by key
 *   sortkey_inplace(v, n, &st);   // a comparator that compares in place (strcasecmp)
 *
 * The order, all three ways: by the lowercased bytes (strcasecmp's order in the C locale),
 * ties (words equal but for case) by the bytes themselves (strcmp). The order is total, so
 * every sort algorithm gives the same array, qsort's fallbacks included.
 *
 * Costs (the tests work them out from these rules; C is the comparisons counted, which
 * follow the sort's algorithm, about n log2 n):
 *   copying: 2 allocations per comparison (a lowercased copy of each side, both freed), 2C
 *   keyed:   1 array of n pairs (key, string) and n keys, n + 1
 *   inplace: none
 * plus qsort's own: sortkey_qsort_allocs(n, element size). The copying and in-place sorts
 * sort the n pointers (8 bytes each); the keyed one sorts the n pairs (16 bytes each).
 *
 * Failure: a comparator cannot report one to qsort. When a copy cannot be allocated, the
 * copying comparator frees the other, compares that pair in place (the same order) and
 * counts a fallback: the sort is right, and the stats say how many comparisons fell back.
 * sortkey_keyed returns -1 with errno ENOMEM, having freed every key it made and left the
 * array as it was. A failed qsort buffer is glibc's to absorb: it sorts without it. */
#ifndef SORTKEY_H
#define SORTKEY_H

#include <stddef.h>
#include <stdint.h>

struct sortkey_stats {
    uint64_t compares;  /* comparator calls */
    uint64_t fallbacks; /* copying only: comparisons made in place when a copy failed */
};

/* A key with its string: what the keyed sort sorts. */
struct sortkey_pair {
    char *key;        /* the lowercased copy, malloc'd */
    const char *word; /* the caller's string */
};

/* Sort v[0..n) with a comparator that lowercases a malloc'd copy of each side, compares the
 * copies and frees both. Adds the comparisons and fallbacks to *st. Never fails. */
void sortkey_copying(char **v, size_t n, struct sortkey_stats *st);

/* Sort v[0..n) by keys made once: an array of n pairs, each word's lowercased copy, the
 * pairs sorted, the words put back in their order, every key and the array freed. 0, or
 * -1 (ENOMEM) with nothing leaked and v as it was. Adds the comparisons to *st. */
int sortkey_keyed(char **v, size_t n, struct sortkey_stats *st);

/* Sort v[0..n) with a comparator that compares in place (strcasecmp, then strcmp). Never
 * allocates; adds the comparisons to *st. */
void sortkey_inplace(char **v, size_t n, struct sortkey_stats *st);

/* The blocks glibc's qsort allocates to sort n elements of size bytes (size <= 32): its
 * merge sort's buffer of n * size bytes, 1 when that passes its stack buffer of 1,024
 * bytes, else 0. Measured: glibc 2.36 takes the buffer from n * size >= 1024 (128 pointers),
 * glibc 2.41 from n * size > 1024 (129 pointers); releases from 2.41 on are taken to do what
 * 2.41 does, earlier ones what 2.36 does (the releases between are not measured here). */
size_t sortkey_qsort_allocs(size_t n, size_t size);

/* A malloc'd copy of s with A-Z lowered (the C locale's tolower), or NULL (ENOMEM). */
char *sortkey_lower(const char *s);

/* n words, the same for the same n and seed: 3 to 8 letters, each a-z in upper or lower
 * case at random, so that some words differ only in case. *v gets the array of n
 * pointers, with the letters after it in the same block: one allocation, which the array
 * may be sorted in. 0, or -1 (ENOMEM, or EINVAL for n of 0 or too large) with nothing
 * taken. sortkey_words_free frees it. */
int sortkey_words(char ***v, size_t n, uint64_t seed);
void sortkey_words_free(char **v);

#endif
