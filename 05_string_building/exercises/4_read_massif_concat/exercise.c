/* Read a massif profile of string concatenation: the peak, the bytes allocated before
 * it, the top branch.
 *
 * Profile the variant program (variant.c: do not read it yet) and read the output:
 *
 *   EXERCISE_VARIANT=1 valgrind --tool=massif --time-unit=B \
 *       --massif-out-file=build/variant.massif.out \
 *       build/05_string_building/exercises/4_read_massif_concat/starter
 *   ms_print build/variant.massif.out | less
 *
 * With --time-unit=B the x axis is the bytes allocated and freed so far: how far the
 * program has travelled through the heap. Compare that with the height of the peak. */
#include "exercise.h"

const unsigned long long peak_useful = 0;
const unsigned long long peak_time = 0;
const char *const peak_top_function = "";
const char *const peak_top_line = "";
