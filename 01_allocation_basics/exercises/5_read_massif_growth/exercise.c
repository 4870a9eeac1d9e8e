/* Read a massif profile of a program you have not seen: its peak, useful against extra
 * heap, its largest branch.
 *
 * Profile the variant program (variant.c: do not read it yet) and read the output:
 *
 *   EXERCISE_VARIANT=1 valgrind --tool=massif --time-unit=B \
 *       --massif-out-file=build/variant.massif.out \
 *       build/01_allocation_basics/exercises/5_read_massif_growth/starter
 *   ms_print build/variant.massif.out | less
 *
 * Then fill in the answers below: the snapshot table, the peak's line in it, and the
 * peak's tree (the first "->" branch is the largest). */
#include "exercise.h"

const unsigned peak_snapshot = 0;
const unsigned long long peak_useful = 0;
const unsigned long long peak_extra = 0;
const char *const peak_top_function = "";
const char *const peak_top_line = "";
