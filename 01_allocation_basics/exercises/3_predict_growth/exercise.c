/* Predict the allocations and bytes of ten numbers held six ways: grown by one, doubled,
 * pre-sized, boxed, records with copied names.
 *
 * Read snippets.c: ten numbers held six ways. For each snippet, replace PREDICT_UNKNOWN
 * with {allocations, bytes}. Work it out on paper first: the sums of a doubling series
 * and of 1 + 2 + ... + n are the whole trick, and the reason pre-sizing wins. */
#include "exercise.h"

const struct prediction grow_by_one = PREDICT_UNKNOWN;             /* realloc by one */
const struct prediction grow_doubling_from_one = PREDICT_UNKNOWN;  /* 1, 2, 4, ... */
const struct prediction grow_doubling_from_four = PREDICT_UNKNOWN; /* 4, 8, ... */
const struct prediction presized = PREDICT_UNKNOWN;                /* one malloc of 10 */
const struct prediction boxed = PREDICT_UNKNOWN;                   /* 10 pointers, 10 boxes */
const struct prediction records_with_names = PREDICT_UNKNOWN;      /* 3 records, 3 names */
