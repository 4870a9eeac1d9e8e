/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-05). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

static void check_line(const char *const *fields, size_t n, const char *want)
{
    size_t len = 0;
    char *line = csv_join(fields, n, &len);

    cr_assert(line != NULL, "csv_join returned NULL with memory to spare");
    cr_assert(eq(str, line, (char *)want));
    cr_assert(eq(sz, len, strlen(want)), "*len should be the line's length");
    free(line);
}

Test(csv, plain_fields_are_joined_by_commas_and_end_in_a_newline)
{
    check_line((const char *[]){"id", "name", "score"}, 3, "id,name,score\n");
}

Test(csv, a_field_with_a_comma_or_a_newline_is_quoted)
{
    check_line((const char *[]){"a,b", "x", "two\nlines"}, 3, "\"a,b\",x,\"two\nlines\"\n");
}

Test(csv, quotes_inside_a_field_are_doubled)
{
    check_line((const char *[]){"say \"hi\"", ""}, 2, "\"say \"\"hi\"\"\",\n");
}

Test(csv, no_fields_give_an_empty_line_and_empty_fields_keep_their_commas)
{
    check_line(NULL, 0, "\n");
    check_line((const char *[]){"", "", ""}, 3, ",,\n");
}

Test(csv, a_line_costs_exactly_one_allocation_of_its_own_size)
{
    static const char *const fields[] = {"2024-01-01", "GET", "/index.html", "200",
                                         "1,234", "Mozilla \"5.0\"", "-", "0.004",
                                         "cache hit", "eu-west"};
    static const char want[] = "2024-01-01,GET,/index.html,200,\"1,234\","
                               "\"Mozilla \"\"5.0\"\"\",-,0.004,cache hit,eu-west\n";
    char *line = NULL;

    ASSERT_ALLOCS(line = csv_join(fields, 10, NULL), 1, sizeof want);
    cr_assert(eq(str, line, (char *)want));
    free(line);
}

Test(csv, a_thousand_lines_cost_a_thousand_allocations)
{
    const char *fields[4] = {"row", NULL, "some text, quoted", "end"};
    char num[24];
    int bad = 0;

    fields[1] = num;
    ASSERT_ALLOC_COUNT(for (int i = 0; i < 1000; i++) {
        snprintf(num, sizeof num, "%d", i);
        char *line = csv_join(fields, 4, NULL);
        bad |= line == NULL;
        free(line);
    }, 1000);
    cr_assert(eq(int, bad, 0));
}

static int join_job(void *ctx)
{
    static const char *const fields[] = {"a", "b,c", "d\"e", "f"};
    size_t len = 42;
    char *line;

    (void)ctx;
    line = csv_join(fields, 4, &len);
    if (line == NULL)
        return len == 42 ? -1 : 0; /* a failure must leave *len alone */
    free(line);
    return 0;
}

Test(csv, running_out_of_memory_returns_null_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(join_job, NULL);
}
