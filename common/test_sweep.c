/* test_sweep.c: the OOM sweep (sweep.h) against functions with planted faults, its log
 * line, and the count grouping the reports share (report_count). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "report.h"
#include "sweep.h"

struct pair { char *a, *b, *lost; };

static int make_pair_clean(void *ctx)
{
    struct pair *pr = ctx;

    if ((pr->a = malloc(10)) == NULL)
        return -1;
    if ((pr->b = malloc(20)) == NULL) {
        free(pr->a);
        return -1;
    }
    free(pr->a);
    free(pr->b);
    return 0;
}

static int make_pair_leaky(void *ctx)
{
    struct pair *pr = ctx;

    if ((pr->a = malloc(10)) == NULL)
        return -1;
    if ((pr->b = malloc(20)) == NULL) {
        pr->lost = pr->a; /* planted leak: a is not freed (kept here to clean up after) */
        return -1;
    }
    free(pr->a);
    free(pr->b);
    return 0;
}

static int make_pair_silent(void *ctx)
{
    struct pair *pr = ctx;

    pr->a = malloc(10);
    pr->b = malloc(20);
    free(pr->a);
    free(pr->b);
    return 0; /* planted: never reports a failure */
}

Test(sweep, a_clean_function_passes_at_every_allocation_point)
{
    struct pair pr;
    struct sweep_result r;

    SKIP_WITHOUT_INJECTION();
    sweep_run(make_pair_clean, &pr, 0, &r);
    cr_assert(r.points == 2 && r.leaks == 0 && r.unreported == 0 && r.completed,
              "points %u leaks %u unreported %u completed %d", r.points, r.leaks, r.unreported,
              r.completed);
    ASSERT_SWEEP_CLEAN(make_pair_clean, &pr);
}

Test(sweep, finds_a_planted_leak_and_says_where)
{
    struct pair pr;
    struct sweep_result r;

    SKIP_WITHOUT_INJECTION();
    sweep_run(make_pair_leaky, &pr, 0, &r);
    cr_assert_eq(r.points, 2);
    cr_assert_eq(r.leaks, 1);
    cr_assert_eq(r.first_leak, 2, "the leak happens when the 2nd allocation fails");
    cr_assert(r.leaked_bytes == 10 && r.leaked_objects == 1);
    free(pr.lost);
}

Test(sweep, finds_a_failure_that_was_not_reported)
{
    struct pair pr;
    struct sweep_result r;

    SKIP_WITHOUT_INJECTION();
    sweep_run(make_pair_silent, &pr, 0, &r);
    cr_assert(r.unreported == 2 && r.first_unreported == 1 && r.leaks == 0,
              "unreported %u first %u", r.unreported, r.first_unreported);
}

/* The log line make check reads by field name: one line per sweep, appended. */
Test(sweep, logs_one_line_of_named_fields_and_absorbed_steps_apart)
{
    char path[] = "/tmp/sweep_logXXXXXX", line[2][160];
    struct sweep_result r = {.points = 7, .leaks = 0, .unreported = 3};
    int fd = mkstemp(path);
    FILE *f;

    cr_assert(fd >= 0);
    close(fd);
    setenv("SWEEP_LOG", path, 1);
    sweep_log("job", &r, false);
    sweep_log("job_absorbs", &r, true);
    unsetenv("SWEEP_LOG");
    f = fopen(path, "r");
    cr_assert(f != NULL);
    cr_assert(fgets(line[0], sizeof line[0], f) != NULL);
    cr_assert(fgets(line[1], sizeof line[1], f) != NULL);
    fclose(f);
    unlink(path);
    cr_assert_str_eq(line[0], "sweep job points=7 leaks=0 unreported=3 absorbed=0\n");
    cr_assert_str_eq(line[1], "sweep job_absorbs points=7 leaks=0 unreported=0 absorbed=3\n");
}

Test(report, numbers_are_grouped_by_commas_as_valgrind_prints_them)
{
    char buf[32];

    cr_assert_str_eq(report_count(0, buf, sizeof buf), "0");
    cr_assert_str_eq(report_count(999, buf, sizeof buf), "999");
    cr_assert_str_eq(report_count(1000, buf, sizeof buf), "1,000");
    cr_assert_str_eq(report_count(22419470, buf, sizeof buf), "22,419,470");
    cr_assert_str_eq(report_count(UINT64_MAX, buf, sizeof buf), "18,446,744,073,709,551,615");
}
