/* exercise.h: lesson 03, fix: a case-insensitive sort whose comparator allocates. The
 * caller owns the array and the strings; sort_ci reorders the array's pointers and never
 * changes a string. It cannot fail: a comparator has no way to report one to qsort.
 *
 * The order (the README's "A comparator that allocates", sortkey.h's): by the bytes with
 * A-Z lowered, compared as unsigned char (strcasecmp's order in the C locale); words equal
 * but for case by the bytes themselves (strcmp), so "Ab" before "aB" before "ab". The order
 * is total: one sorted array for any input.
 *
 * The budget: sort_ci allocates nothing of its own. Sorting n pointers makes exactly
 * qsort's own allocations, sortkey_qsort_allocs(n, sizeof(char *)): none for 100 words on
 * glibc 2.36 and 2.41, one buffer of n pointers for 300. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

/* Sort v[0..n) in the order above. */
void sort_ci(char **v, size_t n);

#endif
