/* test_exercise.c: massif runs the variant (variant.c) as exercise.c's command does
 * (PROFRUN_MASSIF_VARIANT); each answer is compared with what this run's massif.out says. */
#include <criterion/criterion.h>

#include <string.h>

#include "exercise.h"
#include "native_only.h"
#include "profrun.h"

/* The k-th frame (0: the first) of variant.c on the peak's largest branch, or NULL. */
static const struct profrun_branch *variant_frame(const struct profrun_massif *m, int k)
{
    for (unsigned i = 0; i < m->npath; i++)
        if (strncmp(m->path[i].where, "variant.c:", 10) == 0 && k-- == 0)
            return &m->path[i];
    return NULL;
}

Test(read, the_useful_heap_at_the_peak_is_what_you_read, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(peak_useful != 0, "no answer yet for peak_useful");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(peak_useful == m.snap[m.peak].heap,
              "peak_useful: you answered %llu, the peak's useful-heap(B) is %llu: every "
              "buffer out at the busiest moment, and those the pool kept.",
              peak_useful, (unsigned long long)m.snap[m.peak].heap);
}

Test(read, the_peak_memory_was_allocated_by_the_function_you_named, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(peak_alloc_function[0] != '\0', "no answer yet for peak_alloc_function");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(strcmp(peak_alloc_function, m.path[0].func) == 0,
              "peak_alloc_function: you answered \"%s\", the largest branch starts at \"%s\" "
              "(%s). massif charges memory to the function that called malloc: here the "
              "pool's, not the code that wanted a buffer. massif's "
              "--alloc-fn=pool_get_miss moves the charge to the pool's callers; naming "
              "an inlined function, such as default_new, changes nothing.",
              peak_alloc_function, m.path[0].func, m.path[0].where);
}

Test(read, the_first_line_of_the_program_on_that_branch_is_the_one_you_named, RUNS_VALGRIND)
{
    struct profrun_massif m;
    const struct profrun_branch *f;

    cr_assert(peak_request_line[0] != '\0', "no answer yet for peak_request_line");
    PROFRUN_MASSIF_VARIANT(&m);
    f = variant_frame(&m, 0);
    cr_assert(f != NULL, "the peak's branch shows no line of variant.c");
    cr_assert(strcmp(peak_request_line, f->where) == 0,
              "peak_request_line: you answered \"%s\", the first variant.c line down the "
              "branch is \"%s\" (%s): where the program asked the pool for buffers.",
              peak_request_line, f->where, f->func);
}

Test(read, the_larger_sub_branch_leads_to_the_function_you_named, RUNS_VALGRIND)
{
    struct profrun_massif m;
    const struct profrun_branch *f;

    cr_assert(peak_caller_function[0] != '\0', "no answer yet for peak_caller_function");
    PROFRUN_MASSIF_VARIANT(&m);
    f = variant_frame(&m, 1);
    cr_assert(f != NULL, "the peak's branch shows only one line of variant.c");
    cr_assert(strcmp(peak_caller_function, f->func) == 0,
              "peak_caller_function: you answered \"%s\", below the pool's caller the "
              "branch splits and the larger part goes to \"%s\" (%s): that caller's "
              "requests made the peak.", peak_caller_function, f->func, f->where);
}

Test(read, what_the_pool_holds_at_exit_is_what_you_read, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(held_at_exit != 0, "no answer yet for held_at_exit");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(held_at_exit == m.snap[m.nsnap - 1].heap,
              "held_at_exit: you answered %llu, the last snapshot's useful heap is %llu: the "
              "free buffers the pool keeps (its cap), memory a pool never gives back on "
              "its own.", held_at_exit, (unsigned long long)m.snap[m.nsnap - 1].heap);
}
