/* exercise.h: lesson 02, predict: what one record costs. Three structs, their fields in
 * the order written (C never reorders them); for each, exercise.c says its sizeof and
 * the chunk glibc's malloc takes for one malloc of it. Then N records of struct tight,
 * as one array and as one malloc each (snippets.c): the allocations and the bytes asked
 * for. test_exercise.c works every answer out at test time, from the compiler (sizeof,
 * offsetof), from glibc's own malloc, and from the counting allocator. On 64-bit Linux:
 * char 1, int32_t 4, int64_t and double 8, each aligned to its size. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stdint.h>

#include "predict.h"

struct loose { /* the fields in the order they came to mind */
    char kind;
    double score;
    char flag;
    int64_t id;
};

struct tight { /* the same fields, largest first */
    double score;
    int64_t id;
    char kind;
    char flag;
};

struct tiny {
    int32_t count;
    char on;
};

#define UNKNOWN (-1) /* not answered yet */

/* Your answers, in exercise.c: sizeof, and glibc's chunk for malloc(sizeof). */
extern const long long loose_size, tight_size, tiny_size;
extern const long long loose_chunk, tight_chunk, tiny_chunk;

#define N_RECORDS 100

/* Your answers for the snippets: allocations, and bytes asked for in all. */
extern const struct prediction tight_array, tight_each;

/* The snippets (snippets.c). Each returns 0 when every record arrived (the tests check
 * it), and frees what it took. */
int snippet_tight_array(void);
int snippet_tight_each(void);

#endif
