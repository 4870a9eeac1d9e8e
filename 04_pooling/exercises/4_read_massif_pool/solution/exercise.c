/* exercise.c: the answers. At the peak 32 buffers of 4,096 bytes are out at once; massif
 * charges them all to default_new (pool.c:8), the pool's malloc, inlined into
 * pool_get_miss. Below pool_get, the first line of variant.c is serve's pool_get, and the
 * larger sub-branch under serve is rush: the burst, not the steady load, made the peak.
 * At exit the pool still keeps its cap of free buffers: 8 of 4,096 bytes. The figures are
 * valgrind 3.19's with glibc 2.36; the tests compare with their own run. */
#include "exercise.h"

const unsigned long long peak_useful = 131072;
const char *const peak_alloc_function = "default_new";
const char *const peak_request_line = "variant.c:30";
const char *const peak_caller_function = "rush";
const unsigned long long held_at_exit = 32768;
