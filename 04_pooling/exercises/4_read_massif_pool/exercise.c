/* Read a massif profile of a pooled server: the peak, the pool's own malloc, the caller
 * down the branch.
 *
 * Profile the variant program (variant.c, a server whose requests take buffers from the
 * lesson's pool: do not read it yet) and read the output:
 *
 *   EXERCISE_VARIANT=1 valgrind --tool=massif --time-unit=B \
 *       --massif-out-file=build/variant.massif.out \
 *       build/04_pooling/exercises/4_read_massif_pool/starter
 *   ms_print build/variant.massif.out | less
 *
 * The peak's tree charges the memory to the pool's own malloc call; follow the largest
 * branch down to the code that made the pool need it. */
#include "exercise.h"

const unsigned long long peak_useful = 0;
const char *const peak_alloc_function = "";
const char *const peak_request_line = "";
const char *const peak_caller_function = "";
const unsigned long long held_at_exit = 0;
