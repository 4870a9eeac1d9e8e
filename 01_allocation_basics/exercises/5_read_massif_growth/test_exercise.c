/* test_exercise.c: massif runs the variant (variant.c) as exercise.c's command does
 * (PROFRUN_MASSIF_VARIANT); each answer is compared with what this run's massif.out says. */
#include <criterion/criterion.h>

#include <string.h>

#include "exercise.h"
#include "native_only.h"
#include "profrun.h"

Test(read, the_peak_is_the_snapshot_you_named, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(peak_snapshot != 0, "no answer yet for peak_snapshot: ms_print lists it under "
              "\"Detailed snapshots:\", marked (peak)");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(peak_snapshot == m.snap[m.peak].n,
              "peak_snapshot: you answered %u, massif's peak is snapshot %u. ms_print marks "
              "it \"(peak)\" in its list of detailed snapshots, and with # in the graph.",
              peak_snapshot, m.snap[m.peak].n);
}

Test(read, the_useful_heap_at_the_peak_is_what_you_read, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(peak_useful != 0, "no answer yet for peak_useful");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(peak_useful == m.snap[m.peak].heap,
              "peak_useful: you answered %llu, the peak's useful-heap(B) is %llu. Useful heap "
              "is what the program asked malloc for; total(B) adds the extra heap.",
              peak_useful, (unsigned long long)m.snap[m.peak].heap);
}

Test(read, the_extra_heap_at_the_peak_is_what_you_read, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(peak_extra != 0, "no answer yet for peak_extra");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(peak_extra == m.snap[m.peak].extra,
              "peak_extra: you answered %llu, the peak's extra-heap(B) is %llu. Extra heap is "
              "the allocator's own: a header per block and rounding up, so many small blocks "
              "cost more of it than a few large ones.",
              peak_extra, (unsigned long long)m.snap[m.peak].extra);
}

Test(read, the_largest_branch_at_the_peak_is_the_function_you_named, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(peak_top_function[0] != '\0', "no answer yet for peak_top_function");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(strcmp(peak_top_function, m.top[0].func) == 0,
              "peak_top_function: you answered \"%s\", the peak tree's first branch is in "
              "\"%s\". Read the first line that starts with \"->\" under the peak's table row: "
              "the branches are sorted, largest first.", peak_top_function, m.top[0].func);
}

Test(read, the_largest_branch_at_the_peak_is_the_line_you_named, RUNS_VALGRIND)
{
    struct profrun_massif m;

    cr_assert(peak_top_line[0] != '\0', "no answer yet for peak_top_line");
    PROFRUN_MASSIF_VARIANT(&m);
    cr_assert(strcmp(peak_top_line, m.top[0].where) == 0,
              "peak_top_line: you answered \"%s\", the first branch's line is \"%s\": the "
              "file:line in parentheses after the function.", peak_top_line, m.top[0].where);
}
