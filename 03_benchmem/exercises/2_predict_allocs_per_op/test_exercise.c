/* test_exercise.c: each operation of ops.c benchmarked as go test -benchmem does it (one
 * warm-up call, then PER_OP_RUNS calls, integer division) and compared with exercise.c. */
#include <criterion/criterion.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "predict.h"

/* countalloc_allocs_per_run calls fn(arg): arg carries the operation. */
struct op_box {
    void (*op)(void);
};

static void call_op(void *arg)
{
    ((struct op_box *)arg)->op();
}

static void bench(const char *what, const struct prediction *p, void (*op)(void),
                  const char *meaning)
{
    struct countalloc_stats d, per_op = {0};
    struct op_box box = {op};
    uint64_t allocs_per_run;

    op(); /* the warm-up call */
    ALLOC_MEASURE(for (int i = 0; i < PER_OP_RUNS; i++) op(), d);
    per_op.mallocs = d.mallocs / PER_OP_RUNS;
    per_op.total_alloc = d.total_alloc / PER_OP_RUNS;
    /* The toolbox's AllocsPerRun (a warm-up call of its own, then the runs) agrees. */
    allocs_per_run = countalloc_allocs_per_run(PER_OP_RUNS, call_op, &box);
    ops_release();
    predict_check(what, p, &per_op, meaning);
    cr_assert(allocs_per_run == per_op.mallocs,
              "%s: countalloc_allocs_per_run says %llu allocs/op, the benchmark %llu",
              what, (unsigned long long)allocs_per_run, (unsigned long long)per_op.mallocs);
}

Test(predict, a_copy_made_and_dropped_every_call)
{
    bench("copy_name", &op_copy_name, copy_name,
          "one strdup per call: 1 allocs/op, and B/op is the copy's size with its NUL.");
}

Test(predict, formatting_into_a_stack_buffer)
{
    bench("format_on_stack", &op_format_on_stack, format_on_stack,
          "snprintf into your own buffer allocates nothing: 0 allocs/op is possible in C, "
          "where Go's fmt.Sprintf would box its arguments.");
}

Test(predict, a_table_built_on_first_use)
{
    bench("lazy_table", &op_lazy_table, lazy_table,
          "the warm-up call builds the table; the measured calls find it built. A "
          "benchmark hides a one-time cost by design (b.ResetTimer, the warm-up run): "
          "look for it with a cold measurement, or in a profile of the whole program.");
}

Test(predict, a_batch_flushed_every_fourth_call)
{
    bench("flush_every_fourth", &op_flush_every_fourth, flush_every_fourth,
          "25 allocations in 100 calls is 0 allocs/op after integer division, while B/op "
          "(25 * 64 / 100) is not 0: a benchmark showing 0 allocs/op with a non-zero B/op "
          "allocates, just not on every call.");
}

Test(predict, a_record_that_owns_its_name)
{
    bench("record_with_name", &op_record_with_name, record_with_name,
          "calloc of the 16-byte record and strdup of its name: 2 allocs/op, 16 + 4 B/op.");
}
