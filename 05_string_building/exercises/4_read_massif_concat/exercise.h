/* exercise.h: lesson 05, read: a massif profile of a program that builds one report
 * twice (variant.c, which you have not read). exercise.c holds your answers, read from
 * ms_print's output; test_exercise.c runs massif on the same program and compares. */
#ifndef EXERCISE_H
#define EXERCISE_H

/* Your answers, in exercise.c (0 and "" mean: not answered yet). */
extern const unsigned long long peak_useful;   /* useful-heap(B) at the peak */
extern const unsigned long long peak_time;     /* time(B) of the peak: bytes allocated and
                                                  freed before it */
extern const char *const peak_top_function;    /* the peak tree's largest branch: function */
extern const char *const peak_top_line;        /* ... and its line, "file.c:N" */

/* The variant program (variant.c), run instead of the tests when EXERCISE_VARIANT is set:
 * 0 on success. */
int variant_main(void);

#endif
