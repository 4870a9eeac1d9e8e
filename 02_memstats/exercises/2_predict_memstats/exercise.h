/* exercise.h: lesson 02, predict: the five figures of countalloc_read (Go's
 * runtime.ReadMemStats, Python's tracemalloc) after each snippet of snippets.c, as
 * changes from just before it: allocations, frees, bytes allocated in all, bytes still
 * live at the end, and the highest the live bytes rose. test_exercise.c measures them. */
#ifndef EXERCISE_H
#define EXERCISE_H

/* One snippet's figures, as deltas over the snippet (-1: not answered yet). */
struct memstats_prediction {
    long long mallocs;     /* allocation calls (Go Mallocs) */
    long long frees;       /* frees of a live block (Go Frees) */
    long long total_alloc; /* bytes asked for in all (Go TotalAlloc) */
    long long heap_alloc;  /* bytes still live when the snippet returns (Go HeapAlloc) */
    long long peak;        /* the highest live bytes reached (tracemalloc's peak) */
};

#define MEMSTATS_UNKNOWN {-1, -1, -1, -1, -1}

/* Your answers, in exercise.c. */
extern const struct memstats_prediction keep_one_of_two, scratch_in_a_loop, realloc_grow,
    three_names_kept, list_built_and_freed;

/* The snippets (snippets.c). Each returns what it leaves live, for the test to free after
 * measuring (NULL: nothing), or sets *failed when an allocation failed. */
void *snippet_keep_one_of_two(int *failed);
void *snippet_scratch_in_a_loop(int *failed);
void *snippet_realloc_grow(int *failed);
void *snippet_three_names_kept(int *failed);
void *snippet_list_built_and_freed(int *failed);

/* Free what snippet_three_names_kept returned. */
void names_free(void *names);

#endif
