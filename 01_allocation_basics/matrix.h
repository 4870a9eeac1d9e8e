/* matrix.h: a rows x cols matrix of doubles made three ways, for lesson 01. Rows: an
 * array of row pointers and one malloc per row, 1 + rows allocations, the rows wherever
 * malloc put them. Block: one block of values and one of row pointers into it, 2
 * allocations, row i + 1 starting where row i ends. Flat: one block, indexed as
 * m[i * cols + j], or through a pointer to a variable-length array type,
 * double (*m)[cols] = malloc(rows * sizeof *m): 1 allocation.
 *
 * Ownership: each _new fills a handle the caller keeps (on the stack) and frees with the
 * matching _free, which does nothing for a handle that holds nothing. rows and cols are
 * at least 1. Out of memory: -1, errno ENOMEM, every block already taken freed, the
 * handle empty. A size that would overflow size_t (rows * cols * sizeof(double), or the
 * row pointers' rows * sizeof(double *)): -1, errno ENOMEM, before any allocation, as
 * calloc does. rows or cols 0: -1, errno EINVAL. */
#ifndef MATRIX_H
#define MATRIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 1 + rows allocations: row[] and each row[i] on its own. */
struct matrix_rows {
    size_t rows, cols;
    double **row; /* rows pointers, each to a block of cols doubles */
};

/* 2 allocations: row[] and one block of rows * cols values that row[i] points into. */
struct matrix_block {
    size_t rows, cols;
    double **row;   /* row[i] == values + i * cols */
    double *values; /* rows * cols doubles, row after row */
};

/* 1 allocation: rows * cols values, row after row; m[i][j] is values[i * cols + j]. */
struct matrix_flat {
    size_t rows, cols;
    double *values;
};

int matrix_rows_new(struct matrix_rows *m, size_t rows, size_t cols);
void matrix_rows_free(struct matrix_rows *m);
int matrix_block_new(struct matrix_block *m, size_t rows, size_t cols);
void matrix_block_free(struct matrix_block *m);
/* Made with double (*v)[cols] = malloc(rows * sizeof *v), after the overflow check. */
int matrix_flat_new(struct matrix_flat *m, size_t rows, size_t cols);
void matrix_flat_free(struct matrix_flat *m);

/* Element (i, j) set to i + j, row after row. */
void matrix_rows_fill(struct matrix_rows *m);
void matrix_block_fill(struct matrix_block *m);
void matrix_flat_fill(struct matrix_flat *m); /* through double (*)[cols] */

/* The sum of every element, row after row, the same additions in the same order each
 * way: equal matrices give equal sums, to the bit. */
double matrix_rows_sum(const struct matrix_rows *m);
double matrix_block_sum(const struct matrix_block *m);
double matrix_flat_sum(const struct matrix_flat *m); /* through double (*)[cols] */

/* How many of the rows - 1 pairs of neighbours are adjacent: row i + 1 starts at the
 * address where row i ends, row[i] + cols, compared as addresses. */
size_t matrix_rows_adjacent(const struct matrix_rows *m);
size_t matrix_block_adjacent(const struct matrix_block *m);
size_t matrix_flat_adjacent(const struct matrix_flat *m);

/* The three ways, for the tally. */
enum matrix_way { MATRIX_ROWS, MATRIX_BLOCK, MATRIX_FLAT };

/* One matrix made the given way, filled, summed and freed, with what that moved:
 * allocations and bytes asked for by the _new (counted), frees by the _free, adjacent
 * rows, the sum, and the sum of glibc's chunks for the _new's requests (onealloc_chunk:
 * asked of glibc for each request size). 0, or -1 with errno, having freed everything. */
struct matrix_tally {
    uint64_t mallocs, frees, bytes;
    uint64_t chunks;
    size_t adjacent;
    double sum;
};
int matrix_tally(enum matrix_way way, size_t rows, size_t cols, struct matrix_tally *out);

#endif
