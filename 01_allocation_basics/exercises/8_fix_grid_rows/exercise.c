/* Fix grid_create: one allocation per grid, of exactly offsetof(struct grid, cells) +
 * rows * cols * sizeof(int) bytes, each row starting where the previous one ends.
 *
 * The starter makes the grid with its row pointers, then a block per row: 1 + rows
 * allocations and as many frees. A failed row returns NULL with the rows already made
 * still held, and no size is checked against SIZE_MAX: refuse one that would wrap round
 * with ENOMEM before any malloc. */
#include "exercise.h"

#include <errno.h>
#include <stdlib.h>

struct grid {
    GRID_FIELDS; /* size_t rows, cols (exercise.h) */
    int *row[];  /* rows pointers, each to a block of cols ints of its own */
};

struct grid *grid_create(size_t rows, size_t cols)
{
    struct grid *g;

    if (rows == 0 || cols == 0) {
        errno = EINVAL;
        return NULL;
    }
    if ((g = malloc(offsetof(struct grid, row) + rows * sizeof g->row[0])) == NULL)
        return NULL;
    for (size_t i = 0; i < rows; i++) {
        if ((g->row[i] = calloc(cols, sizeof *g->row[i])) == NULL)
            return NULL;
    }
    g->rows = rows;
    g->cols = cols;
    return g;
}

void grid_free(struct grid *g)
{
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->rows; i++)
        free(g->row[i]);
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
    return g->row[i][j];
}

void grid_set(struct grid *g, size_t i, size_t j, int value)
{
    g->row[i][j] = value;
}

int *grid_row(struct grid *g, size_t i)
{
    return g->row[i];
}
