/* Predict mallocs, frees, total_alloc, heap_alloc and peak over five snippets.
 *
 * Read snippets.c. For each snippet, replace MEMSTATS_UNKNOWN with the five figures
 * {mallocs, frees, total_alloc, heap_alloc, peak} as they move over the snippet. The
 * difference between bytes allocated (TotalAlloc), bytes live (HeapAlloc) and the peak
 * is the lesson: they answer "how much work?", "how much now?" and "how much at most?". */
#include "exercise.h"

const struct memstats_prediction keep_one_of_two = MEMSTATS_UNKNOWN;
const struct memstats_prediction scratch_in_a_loop = MEMSTATS_UNKNOWN;
const struct memstats_prediction realloc_grow = MEMSTATS_UNKNOWN;
const struct memstats_prediction three_names_kept = MEMSTATS_UNKNOWN;
const struct memstats_prediction list_built_and_freed = MEMSTATS_UNKNOWN;
