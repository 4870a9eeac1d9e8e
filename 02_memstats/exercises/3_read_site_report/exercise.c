/* Read the site report of a program you have not seen: the top line by bytes live, and
 * by calls.
 *
 * Print the site report of the variant program (variant.c: do not read it yet):
 *
 *   EXERCISE_VARIANT=1 build/02_memstats/exercises/3_read_site_report/starter
 *
 * Each line is "FILE:LINE FUNCTION   BYTES live in BLOCKS blocks; CALLS calls, BYTES
 * allocated". Answer from it below, then read variant.c and find each line. */
#include "exercise.h"

const char *const top_line_by_bytes = "";
const long long top_line_blocks = 0;
const char *const top_line_by_calls = "";
const long long top_calls_count = 0;
const long long top_calls_live_blocks = -1;
