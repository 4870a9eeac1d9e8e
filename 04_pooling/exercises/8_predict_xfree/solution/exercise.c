/* exercise.c: the predictions. */
#include "exercise.h"

const struct back alive_20x64 = {13, 7};    /* the consumer's tcache keeps min(N, 7); the
                                             * other 13 go back to the producer's arena */
const struct back alive_5x64 = {0, 5};      /* min(5, 7): all five stay with the consumer */
const struct back alive_20x1032 = {13, 7};  /* 1,032 B: the tcache's largest class */
const struct back alive_20x1040 = {20, 0};  /* past 1,032 B nothing stays in a tcache */
const struct back per_step_20x64 = {20, 0}; /* a thread's exit frees its tcache: every
                                             * block back to the producer's arena */
const long long held_20x64 = 560;           /* 7 chunks of 80 B in the consumer's tcache */
