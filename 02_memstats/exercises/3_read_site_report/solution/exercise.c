/* exercise.c: the answers, as the site report shows them. The line holding the most is
 * the malloc of each struct user (200 of 48 bytes, all live); the line making the most
 * calls is the scratch buffer of every request (1,000 calls of 256 bytes), of which
 * nothing is live: the report by bytes puts it last, the report by calls first. */
#include "exercise.h"

const char *const top_line_by_bytes = "variant.c:33";
const long long top_line_blocks = 200;
const char *const top_line_by_calls = "variant.c:52";
const long long top_calls_count = 1000;
const long long top_calls_live_blocks = 0;
