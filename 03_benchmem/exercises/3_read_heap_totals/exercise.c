/* Read memcheck's heap summaries of two runs: allocations and bytes per record, the
 * fixed cost, the leak.
 *
 * Run the variant program (variant.c: do not read it yet) at two sizes:
 *
 *   EXERCISE_VARIANT=1000 valgrind build/03_benchmem/exercises/3_read_heap_totals/starter
 *   EXERCISE_VARIANT=2000 valgrind build/03_benchmem/exercises/3_read_heap_totals/starter
 *
 * and read each HEAP SUMMARY: "in use at exit: B bytes in N blocks" and "total heap
 * usage: A allocs, F frees, B bytes allocated". What the second run adds over the first
 * is what 1,000 more records cost: divide, as go test -benchmem divides by b.N. */
#include "exercise.h"

const long long allocs_per_record = -1;
const long long bytes_per_record = -1;
const long long fixed_allocs = -1;
const long long leaked_bytes_per_record = -1;
