/* exercise.h: lesson 04, predict: where a producer's blocks go when a consumer thread
 * frees them (xfree.h, demo/xfree.c). A producer (the main thread) mallocs N blocks of
 * SIZE bytes; a consumer thread frees them all; the producer mallocs N of that size again,
 * then the consumer does. For each case, exercise.c says how many of the N old addresses
 * the producer's next N mallocs get back, and how many the consumer's; for one case, the
 * bytes glibc's mallinfo2 still counts in use after the consumer's frees. test_exercise.c
 * runs `demo/xfree N SIZE`, a process of its own, for each case and compares. */
#ifndef EXERCISE_H
#define EXERCISE_H

/* Of the N old addresses, how many each thread's next N mallocs got. */
struct back {
    long long producer; /* the producer's N mallocs, after the consumer's frees */
    long long consumer; /* the consumer's N mallocs, after the producer's */
};

#define BACK_UNKNOWN {-1, -1} /* not answered yet */

/* Your answers, in exercise.c. Unless the case says otherwise, the consumer is one thread,
 * alive from before the first step to after the last. */
extern const struct back alive_20x64;     /* N 20, SIZE 64 */
extern const struct back alive_5x64;      /* N 5, SIZE 64 */
extern const struct back alive_20x1032;   /* N 20, SIZE 1,032 */
extern const struct back alive_20x1040;   /* N 20, SIZE 1,040 */
extern const struct back per_step_20x64;  /* N 20, SIZE 64, a consumer thread started for
                                           * each step and joined after it */
extern const long long held_20x64;        /* N 20, SIZE 64, the consumer alive: of the 20
                                           * chunks it freed, the bytes mallinfo2 still
                                           * counts in use (glibc gives a 64-byte request a
                                           * chunk of 80 B) */

#endif
