/* exercise.h: lesson 01, read: a massif profile of a program you have not read
 * (variant.c). exercise.c holds your answers, read from ms_print's output;
 * test_exercise.c runs massif on the same program and compares. */
#ifndef EXERCISE_H
#define EXERCISE_H

/* Your answers, in exercise.c (0 and "" mean: not answered yet). */
extern const unsigned peak_snapshot;             /* the peak snapshot's number */
extern const unsigned long long peak_useful;     /* useful-heap(B) at the peak */
extern const unsigned long long peak_extra;      /* extra-heap(B) at the peak */
extern const char *const peak_top_function;      /* the peak tree's largest branch: function */
extern const char *const peak_top_line;          /* ... and its line, "file.c:N" */

/* The variant program (variant.c), run instead of the tests when EXERCISE_VARIANT is set:
 * 0 on success. */
int variant_main(void);

#endif
