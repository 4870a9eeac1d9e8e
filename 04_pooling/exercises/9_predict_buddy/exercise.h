/* exercise.h: lesson 04, predict: what a buddy allocator does with a few requests
 * (buddy.h). snippets.c runs five cases on a region of 2^REGION_K bytes, blocks from
 * 2^REGION_MIN, that the test makes with buddy_init for each; for each, exercise.c says
 * what the test then reads from buddy_stats, or from what buddy_alloc returned.
 * test_exercise.c runs each case on the lesson's buddy allocator and compares. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include "buddy.h"

#define REGION_K 12  /* every case's region: 2^12 = 4,096 bytes */
#define REGION_MIN 4 /* its smallest block: 2^4 = 16 bytes */

/* Your answers, in exercise.c. Counts and bytes are 0 or more; -1: not answered yet. */
extern const long long first_alloc_splits; /* snippet_first_alloc: buddy.splits it makes */
extern const long long bytes_of_600;       /* snippet_alloc_600: the bytes its block takes
                                            * (buddy_stats' used_bytes) */
extern const long long merges_of_free_b;   /* snippet_free_b, after setup_free_b: buddy.merges
                                            * it makes */
extern const int half_after_quarters;      /* snippet_half, after setup_quarters: 1 when
                                            * buddy_alloc returns a block, 0 when NULL */
extern const long long free_after_sequence; /* snippet_sequence: buddy_stats' free_bytes
                                             * after it */

/* The cases (snippets.c). b is a region buddy_init(b, REGION_K, REGION_MIN) just made; a
 * setup_ function runs first where the case has one, and is not measured. Each setup_
 * and snippet_sequence return 0 when every block they asked for arrived, else -1. */
void *snippet_first_alloc(struct buddy *b);
void *snippet_alloc_600(struct buddy *b);
int setup_free_b(struct buddy *b, void *blk[3]);
void snippet_free_b(struct buddy *b, void *blk[3]);
int setup_quarters(struct buddy *b, void *quarter[4]);
void *snippet_half(struct buddy *b);
int snippet_sequence(struct buddy *b);

#endif
