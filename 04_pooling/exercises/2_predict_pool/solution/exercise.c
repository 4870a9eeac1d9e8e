/* exercise.c: the predictions. */
#include "exercise.h"

const struct prediction cold_pool = {3, 12288};  /* three misses of 4,096 */
const struct prediction warm_pool = {0, 0};      /* three hits */
const struct prediction pool_over_cap = {4, 1024}; /* 3 misses; the third put frees one
                                                      (over cap), so one more miss */
const struct prediction tiny_objects = {1, 8};   /* rounded up to hold the free-list link */
const struct prediction fresh_arena = {1, 65536}; /* one chunk holds all ten */
const struct prediction reset_arena = {0, 0};    /* the reset kept the chunk */
