/* exercise.c: the answers, as ms_print shows them for the variant. "Detailed snapshots:
 * [..., 47 (peak), ...]" names the peak; its row in the table gives useful and extra heap;
 * its tree's first branch is the array grown by doubling (4,096 elements of 8 bytes).
 * The 3,000 boxes of 8 bytes each cost 16 bytes of extra heap apiece under Valgrind's
 * allocator: more overhead than data. The figures are valgrind 3.19's with glibc 2.36;
 * the tests compare with their own run. */
#include "exercise.h"

const unsigned peak_snapshot = 47;
const unsigned long long peak_useful = 80768;
const unsigned long long peak_extra = 48016;
const char *const peak_top_function = "load_numbers";
const char *const peak_top_line = "variant.c:24";
