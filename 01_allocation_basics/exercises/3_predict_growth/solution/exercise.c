/* exercise.c: the predictions, with the arithmetic. */
#include "exercise.h"

const struct prediction grow_by_one = {10, 440};            /* 8 * (1 + 2 + ... + 10) */
const struct prediction grow_doubling_from_one = {5, 248};  /* 8 * (1 + 2 + 4 + 8 + 16) */
const struct prediction grow_doubling_from_four = {3, 224}; /* 8 * (4 + 8 + 16) */
const struct prediction presized = {1, 80};                 /* 8 * 10 */
const struct prediction boxed = {11, 160};                  /* 80 of pointers, 10 boxes of 8 */
const struct prediction records_with_names = {6, 64};       /* 3 * 16, then 4 + 6 + 6 */
