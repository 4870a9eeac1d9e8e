/* exercise.h: lesson 01, fix: a rows x cols grid of int cells. grid_create hands the
 * caller a grid, its cells 0, which grid_free gives back (NULL: nothing to do). Out of
 * memory, or a size that would overflow: NULL, errno ENOMEM, and nothing left allocated.
 *
 * The budget: one allocation per grid, of exactly offsetof(struct grid, cells) + rows *
 * cols * sizeof(int) bytes, the fields first and then the cells, row after row, so that
 * row i + 1 starts where row i ends; one free gives it back. The tests accept that one
 * block and nothing else: not the struct and the cells apart (2), and not a malloc per
 * row (1 + rows). See "A two-dimensional array: one allocation or one per row" in the
 * lesson's README. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

/* The fields every grid starts with, before its cells. struct grid is exercise.c's own:
 * GRID_FIELDS, then the cells, in that order. The tests size the one block from them. */
#define GRID_FIELDS                                                                     \
    size_t rows; /* at least 1 */                                                       \
    size_t cols  /* at least 1 */

struct grid; /* defined in exercise.c; read it through the functions below */

/* A grid of rows x cols cells, each 0. rows or cols 0: NULL, errno EINVAL. Too large
 * for size_t (the one block's size would wrap round): NULL, errno ENOMEM, refused
 * before any allocation, as calloc does. */
struct grid *grid_create(size_t rows, size_t cols);
void grid_free(struct grid *g);

size_t grid_rows(const struct grid *g);
size_t grid_cols(const struct grid *g);

/* The cell at row i, column j (i < rows, j < cols). */
int grid_get(const struct grid *g, size_t i, size_t j);
void grid_set(struct grid *g, size_t i, size_t j, int value);

/* Row i's cols cells, in order: grid_row(g, i)[j] is the cell grid_get(g, i, j) reads. */
int *grid_row(struct grid *g, size_t i);

#endif
