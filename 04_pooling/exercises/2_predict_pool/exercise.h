/* exercise.h: lesson 04, predict: what a pool and an arena save. snippets.c runs six
 * request loops on the lesson's pool (pool.h) and arena (arena.h); for each, exercise.c
 * says how many allocations it makes and how many bytes they ask for. The pool or arena
 * each snippet gets is set up by the test as its comment says; setting it up and
 * destroying it are not measured. test_exercise.c measures each snippet. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include "arena.h"
#include "pool.h"
#include "predict.h"

/* Your answers, in exercise.c. */
extern const struct prediction cold_pool, warm_pool, pool_over_cap, tiny_objects,
    fresh_arena, reset_arena;

/* The snippets (snippets.c). Each returns 0 when every object it asked for arrived. */
int snippet_cold_pool(struct pool *p);
int snippet_warm_pool(struct pool *p);
int snippet_pool_over_cap(struct pool *p);
int snippet_tiny_objects(struct pool *p);
int snippet_fresh_arena(struct arena *a);
int snippet_reset_arena(struct arena *a);

#endif
