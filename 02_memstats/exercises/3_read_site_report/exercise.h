/* exercise.h: lesson 02, read: the site report (common/sites.h, Python's tracemalloc
 * for C) of a program you have not read (variant.c). exercise.c holds your answers;
 * test_exercise.c takes the same report and compares. */
#ifndef EXERCISE_H
#define EXERCISE_H

/* Your answers, in exercise.c ("" and 0 mean: not answered yet). A line is "file.c:N". */
extern const char *const top_line_by_bytes;     /* the line holding the most bytes live */
extern const long long top_line_blocks;         /* ... how many blocks it holds live */
extern const char *const top_line_by_calls;     /* the line with the most allocation calls */
extern const long long top_calls_count;         /* ... how many calls it made */
extern const long long top_calls_live_blocks;   /* ... how many of its blocks are live (-1: not answered) */

/* The variant program (variant.c): builds its state, which the caller frees. */
struct variant;
int variant_run(struct variant **out);
void variant_free(struct variant *v);

#endif
