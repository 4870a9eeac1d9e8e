/* matrix.c: see matrix.h. The flat way's functions use a pointer to a variable-length
 * array type, double (*)[cols]: the one construct here that -Wvla flags (lesson.mk). No
 * array of variable length is ever on the stack. */
#include "matrix.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "countalloc.h"
#include "onealloc.h"

/* 0 when rows x cols doubles and rows row pointers fit in size_t; else -1, errno ENOMEM
 * (too large, as calloc says) or EINVAL (an empty matrix). Nothing is allocated. */
static int check_size(size_t rows, size_t cols)
{
    if (rows == 0 || cols == 0) {
        errno = EINVAL;
        return -1;
    }
    if (cols > SIZE_MAX / sizeof(double) / rows || rows > SIZE_MAX / sizeof(double *)) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

int matrix_rows_new(struct matrix_rows *m, size_t rows, size_t cols)
{
    size_t i;

    *m = (struct matrix_rows){0};
    if (check_size(rows, cols) != 0)
        return -1;
    if ((m->row = malloc(rows * sizeof *m->row)) == NULL)
        return -1;
    for (i = 0; i < rows; i++) {
        if ((m->row[i] = malloc(cols * sizeof *m->row[i])) == NULL)
            goto out_free_rows;
    }
    m->rows = rows;
    m->cols = cols;
    return 0;

out_free_rows: /* the classic bug is to return here with rows 0 .. i - 1 still held */
    while (i > 0)
        free(m->row[--i]);
    free(m->row);
    m->row = NULL;
    errno = ENOMEM;
    return -1;
}

void matrix_rows_free(struct matrix_rows *m)
{
    if (m->row == NULL)
        return;
    for (size_t i = 0; i < m->rows; i++)
        free(m->row[i]);
    free(m->row);
    *m = (struct matrix_rows){0};
}

int matrix_block_new(struct matrix_block *m, size_t rows, size_t cols)
{
    *m = (struct matrix_block){0};
    if (check_size(rows, cols) != 0)
        return -1;
    if ((m->values = malloc(rows * cols * sizeof *m->values)) == NULL)
        return -1;
    if ((m->row = malloc(rows * sizeof *m->row)) == NULL) {
        free(m->values); /* the values go back with the failure */
        m->values = NULL;
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < rows; i++)
        m->row[i] = m->values + i * cols;
    m->rows = rows;
    m->cols = cols;
    return 0;
}

void matrix_block_free(struct matrix_block *m)
{
    free(m->row);
    free(m->values);
    *m = (struct matrix_block){0};
}

int matrix_flat_new(struct matrix_flat *m, size_t rows, size_t cols)
{
    *m = (struct matrix_flat){0};
    if (check_size(rows, cols) != 0)
        return -1;
    double (*v)[cols] = malloc(rows * sizeof *v); /* sizeof *v: cols doubles, at run time */
    if (v == NULL)
        return -1;
    m->values = &v[0][0];
    m->rows = rows;
    m->cols = cols;
    return 0;
}

void matrix_flat_free(struct matrix_flat *m)
{
    free(m->values);
    *m = (struct matrix_flat){0};
}

/* The rows and block ways, through their row pointers. */
static void fill(double *const *row, size_t rows, size_t cols)
{
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            row[i][j] = (double)(i + j);
}

static double sum(double *const *row, size_t rows, size_t cols)
{
    double s = 0;

    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            s += row[i][j];
    return s;
}

void matrix_rows_fill(struct matrix_rows *m)
{
    fill(m->row, m->rows, m->cols);
}

void matrix_block_fill(struct matrix_block *m)
{
    fill(m->row, m->rows, m->cols);
}

void matrix_flat_fill(struct matrix_flat *m)
{
    double (*v)[m->cols] = (double (*)[m->cols])m->values;

    for (size_t i = 0; i < m->rows; i++)
        for (size_t j = 0; j < m->cols; j++)
            v[i][j] = (double)(i + j);
}

double matrix_rows_sum(const struct matrix_rows *m)
{
    return sum(m->row, m->rows, m->cols);
}

double matrix_block_sum(const struct matrix_block *m)
{
    return sum(m->row, m->rows, m->cols);
}

double matrix_flat_sum(const struct matrix_flat *m)
{
    const double (*v)[m->cols] = (const double (*)[m->cols])m->values;
    double s = 0;

    for (size_t i = 0; i < m->rows; i++)
        for (size_t j = 0; j < m->cols; j++)
            s += v[i][j];
    return s;
}

/* Row pointers row[0 .. rows): how many row[i + 1] equal row[i] + cols. Comparing with ==
 * is defined for any two pointers, one past the end of one object included. */
static size_t adjacent(double *const *row, size_t rows, size_t cols)
{
    size_t n = 0;

    for (size_t i = 0; i + 1 < rows; i++)
        n += row[i + 1] == row[i] + cols;
    return n;
}

size_t matrix_rows_adjacent(const struct matrix_rows *m)
{
    return adjacent(m->row, m->rows, m->cols);
}

size_t matrix_block_adjacent(const struct matrix_block *m)
{
    return adjacent(m->row, m->rows, m->cols);
}

size_t matrix_flat_adjacent(const struct matrix_flat *m)
{
    const double (*v)[m->cols] = (const double (*)[m->cols])m->values;
    size_t n = 0;

    for (size_t i = 0; i + 1 < m->rows; i++)
        n += &v[i + 1][0] == &v[i][0] + m->cols;
    return n;
}

/* glibc's chunks for the requests of one matrix made the given way; 0 when glibc had
 * no block to show. */
static uint64_t way_chunks(enum matrix_way way, size_t rows, size_t cols)
{
    size_t ptrs = way == MATRIX_FLAT ? 1 : onealloc_chunk(rows * sizeof(double *));
    size_t vals = way == MATRIX_ROWS ? onealloc_chunk(cols * sizeof(double))
                                     : onealloc_chunk(rows * cols * sizeof(double));

    if (ptrs == 0 || vals == 0)
        return 0;
    if (way == MATRIX_FLAT)
        return vals;
    return ptrs + (way == MATRIX_ROWS ? (uint64_t)rows * vals : vals);
}

int matrix_tally(enum matrix_way way, size_t rows, size_t cols, struct matrix_tally *out)
{
    struct matrix_rows r;
    struct matrix_block b;
    struct matrix_flat f;
    struct countalloc_stats start, made, freed;
    int rc;

    if (check_size(rows, cols) != 0)
        return -1;
    if ((out->chunks = way_chunks(way, rows, cols)) == 0) {
        errno = ENOMEM;
        return -1;
    }
    countalloc_measure_begin(&start);
    rc = way == MATRIX_ROWS ? matrix_rows_new(&r, rows, cols)
       : way == MATRIX_BLOCK ? matrix_block_new(&b, rows, cols)
                             : matrix_flat_new(&f, rows, cols);
    made = countalloc_measure_end(&start);
    if (rc != 0)
        return -1;
    switch (way) {
    case MATRIX_ROWS:
        matrix_rows_fill(&r);
        out->sum = matrix_rows_sum(&r);
        out->adjacent = matrix_rows_adjacent(&r);
        break;
    case MATRIX_BLOCK:
        matrix_block_fill(&b);
        out->sum = matrix_block_sum(&b);
        out->adjacent = matrix_block_adjacent(&b);
        break;
    case MATRIX_FLAT:
        matrix_flat_fill(&f);
        out->sum = matrix_flat_sum(&f);
        out->adjacent = matrix_flat_adjacent(&f);
        break;
    }
    countalloc_measure_begin(&start);
    if (way == MATRIX_ROWS)
        matrix_rows_free(&r);
    else if (way == MATRIX_BLOCK)
        matrix_block_free(&b);
    else
        matrix_flat_free(&f);
    freed = countalloc_measure_end(&start);
    out->mallocs = made.mallocs;
    out->bytes = made.total_alloc;
    out->frees = freed.frees;
    return 0;
}
