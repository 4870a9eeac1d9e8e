/* exercise.c: the predictions, with the arithmetic. */
#include "exercise.h"

const long long loose_size = 32; /* 1, a hole of 7, 8, 1, a hole of 7, 8 */
const long long tight_size = 24; /* 8, 8, 1, 1, then 6 at the end */
const long long tiny_size = 8;   /* 4, 1, then 3 at the end */

const long long loose_chunk = 48; /* 32 + 8 = 40, rounded up to 48 */
const long long tight_chunk = 32; /* 24 + 8 = 32 exactly */
const long long tiny_chunk = 32;  /* 8 + 8 = 16, but no chunk is under 32 */

const struct prediction tight_array = {1, 2400};  /* 100 * 24 */
const struct prediction tight_each = {101, 3200}; /* 100 * 24, and 100 pointers of 8 */
