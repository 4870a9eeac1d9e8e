/* test_exercise.c: memcheck runs the variant (variant.c) at READ_SMALL and READ_LARGE
 * records, as exercise.c says to; each answer is compared with what these two runs'
 * heap summaries give. */
#include <criterion/criterion.h>

#include <stdio.h>

#include "exercise.h"
#include "native_only.h"
#include "profrun.h"

struct runs {
    struct profrun_memcheck small, large;
};

static void measure(struct runs *r)
{
    char why[160], n[24];

    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
    if (profrun_available(why, sizeof why) != 0)
        cr_skip_test("%s", why);
    snprintf(n, sizeof n, "%d", READ_SMALL);
    cr_assert(profrun_memcheck_self(NULL, n, &r->small, why, sizeof why) == 0,
              "memcheck on the variant failed: %s", why);
    snprintf(n, sizeof n, "%d", READ_LARGE);
    cr_assert(profrun_memcheck_self(NULL, n, &r->large, why, sizeof why) == 0,
              "memcheck on the variant failed: %s", why);
}

/* (large - small) / (READ_LARGE - READ_SMALL) */
static long long per_record(unsigned long long small, unsigned long long large)
{
    return ((long long)large - (long long)small) / (READ_LARGE - READ_SMALL);
}

Test(read, each_record_costs_the_allocations_you_worked_out, RUNS_VALGRIND)
{
    struct runs r;
    long long want;

    cr_assert(allocs_per_record >= 0, "no answer yet for allocs_per_record");
    measure(&r);
    want = per_record(r.small.allocs, r.large.allocs);
    cr_assert(allocs_per_record == want,
              "allocs_per_record: you answered %lld; memcheck counted %llu allocs at %d records "
              "and %llu at %d, so each record adds %lld. Per-op figures come from the "
              "difference of two runs, never from one total.",
              allocs_per_record, (unsigned long long)r.small.allocs, READ_SMALL,
              (unsigned long long)r.large.allocs, READ_LARGE, want);
}

Test(read, each_record_costs_the_bytes_you_worked_out, RUNS_VALGRIND)
{
    struct runs r;
    long long want;

    cr_assert(bytes_per_record >= 0, "no answer yet for bytes_per_record");
    measure(&r);
    want = per_record(r.small.bytes, r.large.bytes);
    cr_assert(bytes_per_record == want,
              "bytes_per_record: you answered %lld; memcheck reported %llu bytes allocated at "
              "%d records and %llu at %d, so each record adds %lld (B/op).",
              bytes_per_record, (unsigned long long)r.small.bytes, READ_SMALL,
              (unsigned long long)r.large.bytes, READ_LARGE, want);
}

Test(read, a_run_makes_the_fixed_allocations_you_worked_out, RUNS_VALGRIND)
{
    struct runs r;
    long long want;

    cr_assert(fixed_allocs >= 0, "no answer yet for fixed_allocs");
    measure(&r);
    want = (long long)r.small.allocs - per_record(r.small.allocs, r.large.allocs) * READ_SMALL;
    cr_assert(fixed_allocs == want,
              "fixed_allocs: you answered %lld; %llu allocs at %d records, of which %d times "
              "the per-record count grows with N: %lld are made whatever N is. A benchmark "
              "that runs too few iterations shows this fixed cost as part of allocs/op.",
              fixed_allocs, (unsigned long long)r.small.allocs, READ_SMALL, READ_SMALL, want);
}

Test(read, each_record_leaks_the_bytes_you_worked_out, RUNS_VALGRIND)
{
    struct runs r;
    long long want;

    cr_assert(leaked_bytes_per_record >= 0, "no answer yet for leaked_bytes_per_record");
    measure(&r);
    want = per_record(r.small.exit_bytes, r.large.exit_bytes);
    cr_assert(leaked_bytes_per_record == want,
              "leaked_bytes_per_record: you answered %lld; \"in use at exit\" is %llu bytes at "
              "%d records and %llu at %d: %lld bytes of every record are never freed.",
              leaked_bytes_per_record, (unsigned long long)r.small.exit_bytes, READ_SMALL,
              (unsigned long long)r.large.exit_bytes, READ_LARGE, want);
}
