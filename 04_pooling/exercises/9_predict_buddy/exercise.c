/* Predict what a buddy allocator does with a few requests on 4 KiB: the splits of a first
 * block, the bytes a request takes, the merges of one free, a half refused, the bytes
 * left free.
 *
 * Read the lesson's "A buddy allocator: blocks of powers of two, split and merged",
 * buddy.h and snippets.c. For each case in exercise.h, replace the guess below with what
 * the test will read. The guesses are a first try, and each is wrong. */
#include "exercise.h"

const long long first_alloc_splits = 1;     /* halve the region once: 2 KiB hold 100 B */
const long long bytes_of_600 = 600;         /* no header: a block of the bytes asked for */
const long long merges_of_free_b = 1;       /* B merges with its buddy A, once */
const int half_after_quarters = 1;          /* 2 KiB free, side by side: a block */
const long long free_after_sequence = 3479; /* 4,096 less the 617 B still held */
