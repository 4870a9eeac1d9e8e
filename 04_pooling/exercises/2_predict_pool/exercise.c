/* Predict a pool's and an arena's allocations: cold, warm, over the cap, rounded up,
 * after a reset.
 *
 * Read snippets.c, and pool.h and arena.h of the lesson for what a pool keeps and what
 * an arena mallocs. For each snippet, replace PREDICT_UNKNOWN with {allocations, bytes}.
 * Pools and arenas exist to turn many allocations into few, or none: count them. */
#include "exercise.h"

const struct prediction cold_pool = PREDICT_UNKNOWN;     /* 3 gets, 3 puts, new pool */
const struct prediction warm_pool = PREDICT_UNKNOWN;     /* the same, pool warm */
const struct prediction pool_over_cap = PREDICT_UNKNOWN; /* cap 2, twice 3 requests */
const struct prediction tiny_objects = PREDICT_UNKNOWN;  /* 1-byte objects */
const struct prediction fresh_arena = PREDICT_UNKNOWN;   /* 10 x 64 B, new arena */
const struct prediction reset_arena = PREDICT_UNKNOWN;   /* 10 x 64 B, after a reset */
