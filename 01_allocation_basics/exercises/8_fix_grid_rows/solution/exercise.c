/* solution/exercise.c: the reference grid for exercise.h. cells is a flexible array
 * member: one calloc of offsetof(struct grid, cells) + rows * cols * sizeof(int) holds
 * the fields and every row, row i at cells + i * cols, and one free gives it all back.
 * The size is checked before the call, so there is nothing to undo when it fails. */
#include "exercise.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

struct grid {
    GRID_FIELDS; /* size_t rows, cols (exercise.h) */
    int cells[]; /* rows * cols ints, row after row, in the same block */
};

struct grid *grid_create(size_t rows, size_t cols)
{
    size_t head = offsetof(struct grid, cells);
    struct grid *g;

    if (rows == 0 || cols == 0) {
        errno = EINVAL;
        return NULL;
    }
    if (cols > (SIZE_MAX - head) / sizeof(int) / rows) { /* head + rows * cols ints wraps */
        errno = ENOMEM;
        return NULL;
    }
    if ((g = calloc(1, head + rows * cols * sizeof(int))) == NULL) /* nothing else to free */
        return NULL;
    g->rows = rows;
    g->cols = cols;
    return g;
}

void grid_free(struct grid *g)
{
    free(g);
}

size_t grid_rows(const struct grid *g)
{
    return g->rows;
}

size_t grid_cols(const struct grid *g)
{
    return g->cols;
}

int grid_get(const struct grid *g, size_t i, size_t j)
{
    return g->cells[i * g->cols + j];
}

void grid_set(struct grid *g, size_t i, size_t j, int value)
{
    g->cells[i * g->cols + j] = value;
}

int *grid_row(struct grid *g, size_t i)
{
    return g->cells + i * g->cols;
}
