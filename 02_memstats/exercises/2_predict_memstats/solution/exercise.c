/* exercise.c: the predictions. {mallocs, frees, total_alloc, heap_alloc, peak} */
#include "exercise.h"

/* 100 + 200 asked for, both live at once, 200 left. */
const struct memstats_prediction keep_one_of_two = {2, 1, 300, 200, 300};
/* Ten times 64 bytes of work, never more than 64 live, nothing left. */
const struct memstats_prediction scratch_in_a_loop = {10, 10, 640, 0, 64};
/* realloc is an allocation of 4,000 and a free of the 1,000: 5,000 asked for in all;
 * the peak is the 4,000-byte block (the old one is gone when realloc returns). */
const struct memstats_prediction realloc_grow = {2, 2, 5000, 0, 4000};
/* 24 bytes of pointers and 4 + 6 + 6 of names, all still live. */
const struct memstats_prediction three_names_kept = {4, 0, 40, 40, 40};
/* Five nodes of 16 bytes, all live at once before the first free. */
const struct memstats_prediction list_built_and_freed = {5, 5, 80, 0, 80};
