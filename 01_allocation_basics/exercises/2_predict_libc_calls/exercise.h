/* exercise.h: lesson 01, predict: libc's allocations, call by call. snippets.c holds
 * nine snippets; for each, exercise.c says how many allocations it makes and how many
 * bytes they ask for in all (memcheck's rules: calloc(n, s) is n * s bytes, realloc is
 * one allocation more, frees count nothing). test_exercise.c measures each snippet. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stdio.h>

#include "predict.h"

/* Your answers, in exercise.c. */
extern const struct prediction strdup_word, malloc_zero, calloc_ten, format_on_stack,
    fopen_fclose, getline_kept, getline_freed, malloc_realloc, strndup_prefix;

/* The snippets (snippets.c). Each frees what it took. f: an open stream of three short
 * lines whose own buffer is already set up, so reading it allocates nothing by itself. */
void snippet_strdup_word(void);
void snippet_malloc_zero(void);
void snippet_calloc_ten(void);
void snippet_format_on_stack(void);
void snippet_fopen_fclose(void);
void snippet_getline_kept(FILE *f);
void snippet_getline_freed(FILE *f);
void snippet_malloc_realloc(void);
void snippet_strndup_prefix(void);

#endif
