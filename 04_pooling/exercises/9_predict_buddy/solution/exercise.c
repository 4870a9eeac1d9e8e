/* exercise.c: the predictions. */
#include "exercise.h"

const long long first_alloc_splits = 5;     /* 100 B takes 128 = 2^7: 12 - 7 halvings, from
                                             * 4 KiB down to 128 B */
const long long bytes_of_600 = 1024;        /* the smallest power of two that holds 600 */
const long long merges_of_free_b = 2;       /* B with A (32 B), that with the free 32 B block
                                             * beside it (64 B); that one's buddy is C */
const int half_after_quarters = 0;          /* the 2nd's buddy is the 1st, the 3rd's the 4th:
                                             * no two free buddies, no 2 KiB block */
const long long free_after_sequence = 3040; /* 4,096 less 1,024 (600 B) and 32 (17 B); the
                                             * 128 freed cannot merge, its buddy is split */
