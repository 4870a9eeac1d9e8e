/* test_matrix.c: lesson 01's rows x cols matrix of doubles made three ways (matrix.h).
 * All three hold the same values and give the same sum; one malloc per row is 1 + rows
 * allocations, the values in one block with the row pointers 2, the flat block 1, each of
 * exactly the bytes rows and cols ask for; only the last two keep every row where the
 * previous one ends; a size that would overflow is refused before any allocation; and
 * every allocation failed in turn leaks nothing, the rows already made included. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli.h"
#include "cli_assert.h"
#include "matrix.h"
#include "onealloc.h"

#define D sizeof(double)
#define P sizeof(double *)

static const size_t shapes[][2] = {{1, 1}, {1, 7}, {7, 1}, {3, 5}, {10, 10}, {100, 3}, {64, 200}};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

/* The sum of i + j over a rows x cols matrix, worked out: exact in a double. */
static double expected_sum(size_t rows, size_t cols)
{
    return (double)(cols * rows * (rows - 1) / 2 + rows * cols * (cols - 1) / 2);
}

/* One matrix of each way. */
struct three {
    struct matrix_rows r;
    struct matrix_block b;
    struct matrix_flat f;
};

/* check run on the three ways of each shape, made before and freed after. */
static void for_each_shape(void (*check)(struct three *t, size_t rows, size_t cols))
{
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1];
        struct three t;

        cr_assert(matrix_rows_new(&t.r, rows, cols) == 0 && matrix_block_new(&t.b, rows, cols) == 0 &&
                  matrix_flat_new(&t.f, rows, cols) == 0, "%zu x %zu: out of memory", rows, cols);
        check(&t, rows, cols);
        matrix_rows_free(&t.r);
        matrix_block_free(&t.b);
        matrix_flat_free(&t.f);
    }
}

static void same_values(struct three *t, size_t rows, size_t cols)
{
    matrix_rows_fill(&t->r);
    matrix_block_fill(&t->b);
    matrix_flat_fill(&t->f);
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) {
            cr_assert(eq(dbl, t->r.row[i][j], (double)(i + j)), "%zu x %zu: rows (%zu, %zu)", rows, cols, i, j);
            cr_assert(eq(dbl, t->b.row[i][j], (double)(i + j)), "%zu x %zu: block (%zu, %zu)", rows, cols, i, j);
            cr_assert(eq(dbl, t->f.values[i * cols + j], (double)(i + j)), "%zu x %zu: flat (%zu, %zu)", rows,
                      cols, i, j);
        }
    cr_assert(eq(dbl, matrix_rows_sum(&t->r), expected_sum(rows, cols)));
    cr_assert(eq(dbl, matrix_block_sum(&t->b), expected_sum(rows, cols)));
    cr_assert(eq(dbl, matrix_flat_sum(&t->f), expected_sum(rows, cols)));
}

Test(matrix, all_three_ways_hold_the_same_values_and_give_the_same_sum)
{
    for_each_shape(same_values);
}

Test(matrix, a_malloc_per_row_is_one_plus_rows_allocations)
{
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1];
        struct matrix_rows m;
        struct countalloc_stats d;
        int rc;

        ASSERT_ALLOCS(rc = matrix_rows_new(&m, rows, cols), 1 + rows, rows * P + rows * cols * D);
        cr_assert(eq(int, rc, 0));
        ALLOC_MEASURE(matrix_rows_free(&m), d);
        cr_assert(eq(u64, d.frees, 1 + rows), "%zu x %zu: the rows and the pointers", rows, cols);
        cr_assert(eq(i64, d.heap_objects, -(int64_t)(1 + rows)));
        cr_assert(eq(ptr, m.row, NULL), "a freed handle is empty");
    }
}

Test(matrix, the_values_in_one_block_and_the_pointers_are_two_allocations)
{
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1];
        struct matrix_block m;
        struct countalloc_stats d;
        int rc;

        ASSERT_ALLOCS(rc = matrix_block_new(&m, rows, cols), 2, rows * P + rows * cols * D);
        cr_assert(eq(int, rc, 0));
        for (size_t i = 0; i < rows; i++)
            cr_assert(eq(ptr, m.row[i], m.values + i * cols), "row %zu points into the one block", i);
        ALLOC_MEASURE(matrix_block_free(&m), d);
        cr_assert(eq(u64, d.frees, 2));
        cr_assert(eq(i64, d.heap_objects, -2));
    }
}

Test(matrix, the_flat_way_is_one_allocation_of_rows_times_cols_doubles)
{
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1];
        struct matrix_flat m;
        struct countalloc_stats d;
        int rc;

        ASSERT_ALLOCS(rc = matrix_flat_new(&m, rows, cols), 1, rows * cols * D);
        cr_assert(eq(int, rc, 0));
        ALLOC_MEASURE(matrix_flat_free(&m), d);
        cr_assert(eq(u64, d.frees, 1));
        cr_assert(eq(i64, d.heap_objects, -1));
    }
}

Test(matrix, freeing_an_empty_handle_does_nothing)
{
    struct matrix_rows r = {0};
    struct matrix_block b = {0};
    struct matrix_flat f = {0};

    ASSERT_NO_ALLOCS(matrix_rows_free(&r));
    ASSERT_NO_ALLOCS(matrix_block_free(&b));
    ASSERT_NO_ALLOCS(matrix_flat_free(&f));
}

static void adjacent_rows(struct three *t, size_t rows, size_t cols)
{
    cr_assert(eq(sz, matrix_block_adjacent(&t->b), rows - 1), "%zu x %zu: block", rows, cols);
    cr_assert(eq(sz, matrix_flat_adjacent(&t->f), rows - 1), "%zu x %zu: flat", rows, cols);
    /* each block has the allocator's bookkeeping before it (glibc's size field at least),
     * so no row can start where another ends */
    cr_assert(eq(sz, matrix_rows_adjacent(&t->r), 0), "%zu x %zu: rows made one by one", rows, cols);
}

Test(matrix, only_the_block_and_flat_ways_keep_each_row_where_the_previous_one_ends)
{
    for_each_shape(adjacent_rows);
}

Test(matrix, a_size_that_would_overflow_is_refused_with_enomem_before_any_allocation)
{
    static const size_t big[][2] = {{SIZE_MAX / D + 1, 1}, {1, SIZE_MAX / D + 1}, {1u << 31, 1u << 30},
                                    {SIZE_MAX / P + 1, 1}, {SIZE_MAX, SIZE_MAX}};
    struct matrix_rows r;
    struct matrix_block b;
    struct matrix_flat f;
    int rc;

    for (size_t k = 0; k < sizeof big / sizeof big[0]; k++) {
        size_t rows = big[k][0], cols = big[k][1];

        errno = 0;
        ASSERT_NO_ALLOCS(rc = matrix_rows_new(&r, rows, cols));
        cr_assert(eq(int, rc, -1));
        cr_assert(eq(int, errno, ENOMEM), "%zu x %zu: rows", rows, cols);
        cr_assert(eq(ptr, r.row, NULL));
        errno = 0;
        ASSERT_NO_ALLOCS(rc = matrix_block_new(&b, rows, cols));
        cr_assert(eq(int, rc, -1));
        cr_assert(eq(int, errno, ENOMEM), "%zu x %zu: block", rows, cols);
        cr_assert(eq(ptr, b.values, NULL));
        errno = 0;
        ASSERT_NO_ALLOCS(rc = matrix_flat_new(&f, rows, cols));
        cr_assert(eq(int, rc, -1));
        cr_assert(eq(int, errno, ENOMEM), "%zu x %zu: flat", rows, cols);
        cr_assert(eq(ptr, f.values, NULL));
    }
    /* the largest that fits is not refused by the check: malloc says no instead */
    cr_assert(eq(sz, (SIZE_MAX / D) * D / D, SIZE_MAX / D));
    ASSERT_NO_LEAK(matrix_flat_new(&f, 1, SIZE_MAX / D));
    cr_assert(eq(ptr, f.values, NULL));
}

Test(matrix, an_empty_matrix_is_refused_with_einval)
{
    struct matrix_flat f;
    struct matrix_rows r;
    int rc;

    errno = 0;
    ASSERT_NO_ALLOCS(rc = matrix_flat_new(&f, 0, 5));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    ASSERT_NO_ALLOCS(rc = matrix_rows_new(&r, 5, 0));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
}

/* The classic bug: a row's malloc fails and the function returns with the rows before
 * it still allocated. Failing the pointers' block, then each row in turn. */
Test(matrix, when_a_rows_malloc_fails_the_rows_already_made_are_freed)
{
    const size_t rows = 6, cols = 4;

    SKIP_WITHOUT_INJECTION();
    for (size_t k = 1; k <= 1 + rows; k++) {
        struct matrix_rows m;
        struct countalloc_stats d;
        int rc;

        countalloc_fail_at((unsigned)k, false);
        errno = 0;
        ALLOC_MEASURE(rc = matrix_rows_new(&m, rows, cols), d);
        countalloc_fail_off();
        cr_assert(eq(int, rc, -1), "allocation %zu failed: the create must fail", k);
        cr_assert(eq(int, errno, ENOMEM));
        cr_assert(eq(u64, d.mallocs, k - 1), "allocation %zu failed: %zu made before it", k, k - 1);
        cr_assert(eq(u64, d.frees, k - 1), "allocation %zu failed: the %zu made before it freed", k, k - 1);
        cr_assert(eq(i64, d.heap_objects, 0));
        cr_assert(eq(ptr, m.row, NULL), "the handle is left empty");
    }
}

/* The three ways of one matrix, each checked. */
static int job_all(void *ctx)
{
    struct matrix_rows r;
    struct matrix_block b;
    struct matrix_flat f;
    int rc = -1;

    (void)ctx;
    if (matrix_rows_new(&r, 5, 3) != 0)
        return -1;
    if (matrix_block_new(&b, 5, 3) != 0)
        goto out_rows;
    if (matrix_flat_new(&f, 5, 3) != 0)
        goto out_block;
    matrix_rows_fill(&r);
    matrix_block_fill(&b);
    matrix_flat_fill(&f);
    if (matrix_rows_sum(&r) == matrix_block_sum(&b) && matrix_block_sum(&b) == matrix_flat_sum(&f))
        rc = 0;
    matrix_flat_free(&f);
out_block:
    matrix_block_free(&b);
out_rows:
    matrix_rows_free(&r);
    return rc;
}

Test(matrix, every_failed_allocation_is_reported_and_frees_what_it_took)
{
    ASSERT_SWEEP_CLEAN(job_all, NULL);
}

Test(matrix, the_tally_counts_each_way_exactly)
{
    const size_t rows = 40, cols = 25;
    struct matrix_tally t[3];

    for (int w = 0; w < 3; w++)
        cr_assert(eq(int, matrix_tally((enum matrix_way)w, rows, cols, &t[w]), 0));
    cr_assert(eq(u64, t[MATRIX_ROWS].mallocs, 1 + rows));
    cr_assert(eq(u64, t[MATRIX_ROWS].frees, 1 + rows));
    cr_assert(eq(u64, t[MATRIX_ROWS].bytes, rows * P + rows * cols * D));
    cr_assert(eq(sz, t[MATRIX_ROWS].adjacent, 0));
    cr_assert(eq(u64, t[MATRIX_BLOCK].mallocs, 2));
    cr_assert(eq(u64, t[MATRIX_BLOCK].frees, 2));
    cr_assert(eq(u64, t[MATRIX_BLOCK].bytes, rows * P + rows * cols * D));
    cr_assert(eq(sz, t[MATRIX_BLOCK].adjacent, rows - 1));
    cr_assert(eq(u64, t[MATRIX_FLAT].mallocs, 1));
    cr_assert(eq(u64, t[MATRIX_FLAT].frees, 1));
    cr_assert(eq(u64, t[MATRIX_FLAT].bytes, rows * cols * D));
    cr_assert(eq(sz, t[MATRIX_FLAT].adjacent, rows - 1));
    for (int w = 0; w < 3; w++)
        cr_assert(eq(dbl, t[w].sum, expected_sum(rows, cols)), "way %d", w);
}

/* Requests under glibc's mmap threshold (128 KiB at start; it only rises), so each chunk
 * comes from the heap, the same whenever it is asked. */
Test(matrix, glibcs_chunks_are_one_per_request_each_with_its_overhead, GLIBC_MALLOC_ONLY)
{
    const size_t rows = 100, cols = 3;
    struct matrix_tally t[3];
    uint64_t row = onealloc_chunk(cols * D), ptrs = onealloc_chunk(rows * P), vals = onealloc_chunk(rows * cols * D);

    for (int w = 0; w < 3; w++)
        cr_assert(eq(int, matrix_tally((enum matrix_way)w, rows, cols, &t[w]), 0));
    cr_assert(eq(u64, t[MATRIX_ROWS].chunks, ptrs + rows * row));
    cr_assert(eq(u64, t[MATRIX_BLOCK].chunks, ptrs + vals));
    cr_assert(eq(u64, t[MATRIX_FLAT].chunks, vals));
    cr_assert(ge(u64, t[MATRIX_ROWS].chunks - t[MATRIX_ROWS].bytes, (1 + rows) * sizeof(size_t)),
              "a size field at least for each of the 1 + rows blocks");
    cr_assert(lt(u64, t[MATRIX_BLOCK].chunks - t[MATRIX_BLOCK].bytes, 2 * 2 * 16),
              "two blocks: two size fields and their rounding, under 16 bytes each");
}

static int job_tally(void *ctx)
{
    struct matrix_tally t;

    (void)ctx;
    for (int w = 0; w < 3; w++)
        if (matrix_tally((enum matrix_way)w, 4, 3, &t) != 0)
            return -1;
    return 0;
}

Test(matrix, the_tally_frees_what_it_took_whichever_allocation_fails)
{
    ASSERT_NO_LEAK(job_tally(NULL));
    ASSERT_SWEEP_CLEAN(job_tally, NULL);
}

Test(matrix, the_demo_refuses_bad_arguments_with_one_line_and_status_2)
{
    static const char *const bad_rows[] = {"0", "-5", "abc", "1x", "--bogus", "16777217", "99999999999999999999999"};
    static const char *const bad_cols[] = {"10 0", "10 x", "4096 4097", "16777216 2"};
    static const char *const extra[] = {"1 2 3", "1 2 3 4 5 6 7 8"};

    ASSERT_BAD_ARGUMENTS("demo/matrix", "ROWS must be a whole number from 1 to 16,777,216", bad_rows);
    ASSERT_BAD_ARGUMENTS("demo/matrix", "COLS must be a whole number from 1 to ", bad_cols);
    ASSERT_BAD_ARGUMENTS("demo/matrix", "too many arguments", extra);
}

Test(matrix, the_demo_program_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/matrix", "30 20");
}
