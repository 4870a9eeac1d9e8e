/* exercise.h: lesson 01, predict: what growing an array and boxing its elements cost.
 * snippets.c builds the same ten numbers six ways; for each, exercise.c says how many
 * allocations it makes and how many bytes they ask for in all (realloc counts as one
 * allocation of its new size). test_exercise.c measures each snippet. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include "predict.h"

#define GROW_N 10 /* elements every snippet stores */

/* Your answers, in exercise.c. */
extern const struct prediction grow_by_one, grow_doubling_from_one, grow_doubling_from_four,
    presized, boxed, records_with_names;

/* The snippets (snippets.c). Each returns 0 when every element arrived (the tests check
 * it), and frees what it took. */
int snippet_grow_by_one(void);
int snippet_grow_doubling_from_one(void);
int snippet_grow_doubling_from_four(void);
int snippet_presized(void);
int snippet_boxed(void);
int snippet_records_with_names(void);

#endif
