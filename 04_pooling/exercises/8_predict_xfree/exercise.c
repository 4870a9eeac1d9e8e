/* Predict where a producer's blocks go when another thread frees them: 20 or 5 blocks, 64
 * B to past the tcache, the consumer alive or gone.
 *
 * Read the lesson's "Freed by another thread: where the block goes" and xfree.h. For each
 * case in exercise.h, replace the guess below with {producer, consumer}: how many of the N
 * old addresses each thread's next N mallocs get back. The guesses are a first try, and
 * each is wrong; glibc's tcache decides, per thread and per size class. */
#include "exercise.h"

const struct back alive_20x64 = {20, 0};    /* a block goes home to the producer's arena */
const struct back alive_5x64 = {5, 0};      /* the same with fewer blocks */
const struct back alive_20x1032 = {20, 0};  /* a larger block, home too */
const struct back alive_20x1040 = {13, 7};  /* 8 bytes more than 1,032 */
const struct back per_step_20x64 = {13, 7}; /* the consumer gone after each step */
const long long held_20x64 = 0;             /* freed is freed */
