/* test_exercise.c: massif runs the variant (variant.c) as exercise.c's command does
 * (PROFRUN_MASSIF_VARIANT); each answer is compared with what this run's massif.out says. */
#include <criterion/criterion.h>

#include <string.h>

#include "exercise.h"
#include "native_only.h"
#include "profrun.h"

Test(read, the_useful_heap_at_the_peak_is_what_you_read, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(peak_useful != 0, "no answer yet for peak_useful");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(peak_useful == m.snap[m.peak].heap,
              "peak_useful: you answered %llu, the peak's useful-heap(B) is %llu.",
              peak_useful, (unsigned long long)m.snap[m.peak].heap);
}

Test(read, the_peak_came_after_the_bytes_you_read, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(peak_time != 0, "no answer yet for peak_time");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(peak_time == m.snap[m.peak].time,
              "peak_time: you answered %llu, the peak's time(B) is %llu: the bytes allocated "
              "and freed before it. %llu times the peak's own size: the distance a program "
              "travels through the heap is its allocator's work, and its peak is not.",
              peak_time, (unsigned long long)m.snap[m.peak].time,
              (unsigned long long)(m.snap[m.peak].time / (m.snap[m.peak].heap + 1)));
}

Test(read, the_largest_branch_at_the_peak_is_the_function_you_named, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(peak_top_function[0] != '\0', "no answer yet for peak_top_function");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(strcmp(peak_top_function, m.top[0].func) == 0,
              "peak_top_function: you answered \"%s\", the peak tree's first branch is in "
              "\"%s\".", peak_top_function, m.top[0].func);
}

Test(read, the_largest_branch_at_the_peak_is_the_line_you_named, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(peak_top_line[0] != '\0', "no answer yet for peak_top_line");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(strcmp(peak_top_line, m.top[0].where) == 0,
              "peak_top_line: you answered \"%s\", the first branch's line is \"%s\".",
              peak_top_line, m.top[0].where);
}
