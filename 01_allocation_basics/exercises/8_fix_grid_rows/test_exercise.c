/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-01). The one block's size comes from
 * GRID_FIELDS (exercise.h), laid out here as the grid must end up: the fields, then
 * int cells[]. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdint.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

/* The grid once it is one block: its cells a flexible array member after the fields. */
struct grid_one_block {
    GRID_FIELDS;
    int cells[];
};

#define HEAD offsetof(struct grid_one_block, cells)
#define CELL sizeof(int)

/* One row, one column, a square, and a grid of narrow rows: the same checks on each. */
static const size_t shapes[][2] = {{1, 1}, {1, 9}, {9, 1}, {3, 5}, {10, 10}, {100, 3}};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

/* The value each test writes at (i, j): distinct cells get distinct values, some negative. */
static int value_at(size_t i, size_t j)
{
    return (int)(i * 1000 + j) * ((i + j) % 2 ? -1 : 1);
}

static struct grid *create_or_fail(size_t rows, size_t cols)
{
    struct grid *g = grid_create(rows, cols);

    cr_assert(g != NULL, "grid_create(%zu, %zu) returned NULL: out of memory?", rows, cols);
    return g;
}

Test(grid, a_new_grid_has_its_shape_and_every_cell_zero)
{
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1];
        struct grid *g = create_or_fail(rows, cols);

        cr_assert(eq(sz, grid_rows(g), rows), "%zu x %zu: the rows", rows, cols);
        cr_assert(eq(sz, grid_cols(g), cols), "%zu x %zu: the columns", rows, cols);
        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < cols; j++)
                cr_assert(eq(int, grid_get(g, i, j), 0), "%zu x %zu: cell (%zu, %zu) of a new grid",
                          rows, cols, i, j);
        grid_free(g);
    }
}

/* Every cell set first, then every cell read: a cell that shares memory with another
 * (a row too short, an index that mixes rows and columns up) reads back the wrong value. */
Test(grid, every_value_set_is_read_back_from_its_own_cell)
{
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1];
        struct grid *g = create_or_fail(rows, cols);

        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < cols; j++)
                grid_set(g, i, j, value_at(i, j));
        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < cols; j++) {
                int want = value_at(i, j);

                cr_assert(eq(int, grid_get(g, i, j), want),
                          "%zu x %zu: expected cell (%zu, %zu) to read back %d, saw %d", rows, cols,
                          i, j, want, grid_get(g, i, j));
                cr_assert(eq(int, grid_row(g, i)[j], want),
                          "%zu x %zu: expected grid_row(g, %zu)[%zu] to be cell (%zu, %zu), %d, saw "
                          "%d",
                          rows, cols, i, j, i, j, want, grid_row(g, i)[j]);
            }
        grid_free(g);
    }
}

/* Exactly one block of offsetof + rows * cols * sizeof(int) bytes for each shape, and
 * what a wrong count means. */
Test(grid, creating_a_grid_is_one_allocation_of_its_fields_and_rows_times_cols_ints)
{
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1];
        size_t want = HEAD + rows * cols * CELL;
        struct countalloc_stats d;
        struct grid *g = NULL;

        ALLOC_MEASURE(g = grid_create(rows, cols), d);
        grid_free(g);
        cr_assert(g != NULL, "grid_create(%zu, %zu) returned NULL", rows, cols);
        cr_assert(d.mallocs == 1,
                  "grid_create(%zu, %zu): expected 1 allocation, saw %llu (%llu bytes in all). "
                  "1 + rows = %zu is the grid with its row pointers and a block per row: put "
                  "every row in the grid's own block, after its fields.",
                  rows, cols, (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
                  1 + rows);
        cr_assert(d.total_alloc == want,
                  "grid_create(%zu, %zu): expected one block of offsetof(struct grid, cells) + "
                  "rows * cols * sizeof(int) = %zu + %zu * %zu * %zu = %zu bytes, saw one of %llu. "
                  "Row pointers, or sizeof(struct grid) instead of offsetof, are bytes the "
                  "budget has no room for.",
                  rows, cols, HEAD, rows, cols, CELL, want, (unsigned long long)d.total_alloc);
    }
}

Test(grid, freeing_a_grid_is_one_free_that_gives_back_every_byte)
{
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1];
        struct countalloc_stats made, freed;
        struct grid *g;

        ALLOC_MEASURE(g = create_or_fail(rows, cols), made);
        ALLOC_MEASURE(grid_free(g), freed);
        cr_assert(freed.frees == 1,
                  "grid_free of a %zu x %zu grid: expected 1 free, saw %llu. One block per grid "
                  "means one free; %zu is the grid and a block per row.",
                  rows, cols, (unsigned long long)freed.frees, 1 + rows);
        cr_assert(freed.heap_alloc == -made.heap_alloc && freed.heap_objects == -made.heap_objects,
                  "%zu x %zu: grid_create left %lld bytes in %lld blocks, grid_free gave back %lld "
                  "bytes in %lld: expected all of them",
                  rows, cols, (long long)made.heap_alloc, (long long)made.heap_objects,
                  (long long)-freed.heap_alloc, (long long)-freed.heap_objects);
    }
    ASSERT_NO_ALLOCS(grid_free(NULL));
}

/* Compared as addresses: row i ends at grid_row(g, i) + cols. */
Test(grid, each_row_starts_where_the_previous_one_ends)
{
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1];
        struct grid *g = create_or_fail(rows, cols);

        for (size_t i = 0; i + 1 < rows; i++) {
            const char *end = (const char *)(grid_row(g, i) + cols);
            const char *next = (const char *)grid_row(g, i + 1);

            cr_assert(next == end,
                      "%zu x %zu: expected row %zu to start where row %zu ends (cols = %zu ints "
                      "after its start); it starts %td bytes from there. A row malloc'd on its own lies "
                      "wherever malloc put it, after the allocator's bookkeeping at least: keep "
                      "the rows in one block, row i at cells + i * cols.",
                      rows, cols, i + 1, i, cols, next - end);
        }
        grid_free(g);
    }
}

/* Each allocation of one create made to fail in turn, however many the create makes
 * (counted first, in a run with none failing): the create reports it, and what was made
 * before the failure is freed, the classic leak being the rows already made. */
Test(grid, when_an_allocation_fails_the_create_returns_null_and_leaks_nothing)
{
    const size_t rows = 6, cols = 4;
    struct countalloc_stats d;
    struct grid *g = NULL;
    uint64_t made;

    SKIP_WITHOUT_INJECTION();
    ALLOC_MEASURE(g = create_or_fail(rows, cols), d);
    grid_free(g);
    made = d.mallocs;
    for (uint64_t k = 1; k <= made; k++) {
        countalloc_fail_at(k, false);
        errno = 0;
        ALLOC_MEASURE(g = grid_create(rows, cols), d);
        countalloc_fail_off();
        cr_assert(g == NULL, "allocation %llu of %llu failed, but grid_create returned a grid",
                  (unsigned long long)k, (unsigned long long)made);
        cr_assert(eq(int, errno, ENOMEM), "allocation %llu of %llu failed: expected errno ENOMEM",
                  (unsigned long long)k, (unsigned long long)made);
        cr_assert(d.heap_objects == 0 && d.heap_alloc == 0,
                  "allocation %llu of %llu failed: expected nothing left allocated, saw %lld "
                  "bytes in %lld blocks. The %llu made before it (the grid, its rows) must be "
                  "freed before grid_create returns NULL.",
                  (unsigned long long)k, (unsigned long long)made, (long long)d.heap_alloc,
                  (long long)d.heap_objects, (unsigned long long)(k - 1));
    }
}

static int job_grid(void *ctx)
{
    struct grid *g;
    int rc = 0;

    (void)ctx;
    errno = 0;
    if ((g = grid_create(5, 3)) == NULL)
        return errno == ENOMEM ? -1 : 0; /* any other errno: a failure not reported as one */
    grid_set(g, 4, 2, 42);
    if (grid_get(g, 4, 2) != 42)
        rc = -1;
    grid_free(g);
    return rc;
}

Test(grid, every_failed_allocation_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(job_grid, NULL);
}

/* Every allocation is made to fail here: a size that wrapped round to a few bytes is
 * never granted (and then written far past), and each attempt is counted. The last
 * shape is the smallest whose block does not fit: one row, one column too many. */
Test(grid, a_size_that_would_overflow_is_refused_with_enomem_before_any_allocation)
{
    const size_t big[][2] = {
        {SIZE_MAX / CELL + 1, 1}, {1, SIZE_MAX / CELL + 1}, {(size_t)1 << 31, (size_t)1 << 31},
        {SIZE_MAX, SIZE_MAX}, {1, (SIZE_MAX - HEAD) / CELL + 1},
    };

    SKIP_WITHOUT_INJECTION();
    for (size_t k = 0; k < sizeof big / sizeof big[0]; k++) {
        size_t rows = big[k][0], cols = big[k][1];
        struct grid *g;
        uint64_t tried;

        countalloc_fail_at(1, true);
        errno = 0;
        g = grid_create(rows, cols);
        tried = countalloc_fail_off();
        cr_assert(g == NULL, "grid_create(%zu, %zu) returned a grid", rows, cols);
        cr_assert(tried == 0,
                  "grid_create(%zu, %zu): expected NULL before any allocation, saw %llu "
                  "attempted. offsetof(struct grid, cells) + rows * cols * sizeof(int) is more "
                  "than SIZE_MAX: it wraps round to %zu bytes, and setting the cells writes far "
                  "past them. Refuse cols > (SIZE_MAX - offsetof(struct grid, cells)) / "
                  "sizeof(int) / rows first.",
                  rows, cols, (unsigned long long)tried, (size_t)(HEAD + rows * cols * CELL));
        cr_assert(eq(int, errno, ENOMEM),
                  "grid_create(%zu, %zu): expected errno ENOMEM (too large, as calloc says), saw %d",
                  rows, cols, errno);
    }
}

Test(grid, an_empty_grid_is_refused_with_einval_and_allocates_nothing)
{
    static const size_t empty[][2] = {{0, 5}, {5, 0}, {0, 0}};
    struct grid *g;

    for (size_t k = 0; k < sizeof empty / sizeof empty[0]; k++) {
        errno = 0;
        ASSERT_NO_ALLOCS(g = grid_create(empty[k][0], empty[k][1]));
        cr_assert(eq(ptr, g, NULL), "grid_create(%zu, %zu)", empty[k][0], empty[k][1]);
        cr_assert(eq(int, errno, EINVAL), "grid_create(%zu, %zu): expected errno EINVAL",
                  empty[k][0], empty[k][1]);
    }
}
