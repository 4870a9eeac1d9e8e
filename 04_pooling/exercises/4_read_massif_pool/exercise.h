/* exercise.h: lesson 04, read: a massif profile of a server with a pool (variant.c,
 * which you have not read). exercise.c holds your answers, read from ms_print's output;
 * test_exercise.c runs massif on the same program and compares. */
#ifndef EXERCISE_H
#define EXERCISE_H

/* Your answers, in exercise.c (0 and "" mean: not answered yet). */
extern const unsigned long long peak_useful;     /* useful-heap(B) at the peak */
extern const char *const peak_alloc_function;    /* the function that called malloc, on the
                                                    peak tree's largest branch */
extern const char *const peak_request_line;      /* on that branch, the first line of
                                                    variant.c: "variant.c:N" */
extern const char *const peak_caller_function;   /* following the larger sub-branch down:
                                                    the next function of variant.c */
extern const unsigned long long held_at_exit;    /* useful-heap(B) of the last snapshot */

/* The variant program (variant.c), run instead of the tests when EXERCISE_VARIANT is set:
 * 0 on success. */
int variant_main(void);

#endif
