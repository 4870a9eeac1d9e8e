/* exercise.h: lesson 05, predict: what building a string costs. snippets.c builds strings
 * seven ways, most with the lesson's builder (sb.h: a first buffer of SB_MIN_CAP bytes,
 * then doubling; sb_reserve asks for exactly what it is told); for each, exercise.c says
 * how many allocations it makes and how many bytes they ask for. test_exercise.c
 * measures each snippet. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include "predict.h"
#include "sb.h"

/* Your answers, in exercise.c. */
extern const struct prediction sb_ten_appends, sb_reserved, naive_concat, sb_reused,
    sb_printf_once, copy_then_free, detach;

/* The snippets (snippets.c). Each returns 0 when the string came out right, and frees
 * what it built, except that snippet_sb_reused builds into the caller's builder. */
int snippet_sb_ten_appends(void);
int snippet_sb_reserved(void);
int snippet_naive_concat(void);
int snippet_sb_reused(struct sb *b);
int snippet_sb_printf_once(void);
int snippet_copy_then_free(void);
int snippet_detach(void);

#endif
