/* test_native_only.c: the report hook that skips NATIVE_ONLY, GLIBC_MALLOC_ONLY and
 * SANITIZER_ONLY tests without starting them (native_only.h). native_only_disable runs on
 * a set of tests built here as Criterion lays its sets out; the last suites check, natively,
 * under make check's memcheck and in the ASan build, that the hook linked into this binary
 * did run. */
#include <criterion/criterion.h>
#include <criterion/internal/ordered-set.h>
#include <criterion/new/assert.h>

#include <string.h>

#include "native_only.h"

static void nothing(void)
{
}

/* One suite of five tests, laid out as Criterion's ordered sets are: each element right
 * after its node. */
enum { NTESTS = 5 };

struct test_node {
    struct criterion_ordered_set_node node;
    struct criterion_test test;
};

struct fixture {
    struct criterion_test_extra_data data[NTESTS];
    struct test_node tests[NTESTS];
    struct criterion_ordered_set test_set;
    struct {
        struct criterion_ordered_set_node node;
        struct criterion_suite_set suite;
    } suite_node;
    struct criterion_ordered_set suite_set;
    struct criterion_test_set set;
};

/* What NATIVE_ONLY, GLIBC_MALLOC_ONLY and SANITIZER_ONLY put in .data, and a .data of
 * someone else's. */
#define MARK(where) ((void *)((NATIVE_ONLY_MAGIC << 8) | (where)))
static void *const marks[NTESTS] = {NULL, MARK(NATIVE_SKIP_VALGRIND),
                                    MARK(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER),
                                    (void *)(uintptr_t)0x1234501,
                                    MARK(NATIVE_SKIP_UNSANITIZED)};

/* Tests: 0 unmarked, 1 NATIVE_ONLY, 2 GLIBC_MALLOC_ONLY, 3 .data without the magic,
 * 4 SANITIZER_ONLY. */
static void fixture_init(struct fixture *f)
{
    static const char *const names[NTESTS] = {"plain", "valgrind", "glibc", "other_data",
                                              "asan"};

    memset(f, 0, sizeof *f);
    for (int i = 0; i < NTESTS; i++) {
        f->data[i].data = marks[i];
        f->tests[i].test = (struct criterion_test){names[i], "s", nothing, &f->data[i]};
        f->tests[i].node.next = i < NTESTS - 1 ? &f->tests[i + 1].node : NULL;
    }
    f->test_set.first = &f->tests[0].node;
    f->test_set.size = NTESTS;
    f->suite_node.suite.suite.name = "s";
    f->suite_node.suite.tests = &f->test_set;
    f->suite_set.first = &f->suite_node.node;
    f->suite_set.size = 1;
    f->set.suites = &f->suite_set;
    f->set.tests = NTESTS;
}

static unsigned disabled_mask(const struct fixture *f)
{
    unsigned mask = 0;

    for (int i = 0; i < NTESTS; i++)
        if (f->data[i].disabled)
            mask |= 1u << i;
    return mask;
}

Test(native_only_disable, under_valgrind_every_mark_is_disabled)
{
    struct fixture f;

    fixture_init(&f);
    cr_assert(eq(sz, native_only_disable(&f.set,
                                         NATIVE_SKIP_VALGRIND | NATIVE_SKIP_UNSANITIZED), 3));
    cr_assert(eq(u32, disabled_mask(&f), 0x16), "tests 1, 2 and 4 disabled, not 0 and 3");
}

Test(native_only_disable, in_a_sanitizer_build_only_glibc_malloc_only_is_disabled)
{
    struct fixture f;

    fixture_init(&f);
    cr_assert(eq(sz, native_only_disable(&f.set, NATIVE_SKIP_SANITIZER), 1));
    cr_assert(eq(u32, disabled_mask(&f), 0x4));
}

Test(native_only_disable, natively_only_sanitizer_only_is_disabled)
{
    struct fixture f;

    fixture_init(&f);
    cr_assert(eq(sz, native_only_disable(&f.set, NATIVE_SKIP_UNSANITIZED), 1));
    cr_assert(eq(u32, disabled_mask(&f), 0x10));
}

Test(native_only_disable, where_nothing_is_named_nothing_is_disabled)
{
    struct fixture f;

    fixture_init(&f);
    cr_assert(eq(sz, native_only_disable(&f.set, 0), 0));
    cr_assert(eq(u32, disabled_mask(&f), 0));
}

Test(native_only_disable, a_test_disabled_already_is_left_as_it_was)
{
    struct fixture f;

    fixture_init(&f);
    f.data[1].disabled = true;
    cr_assert(eq(sz, native_only_disable(&f.set, NATIVE_SKIP_VALGRIND), 1),
              "only test 2 counted");
    cr_assert(eq(u32, disabled_mask(&f), 0x6));
}

Test(native_only_of, reads_a_mark_and_only_a_mark)
{
    struct fixture f;

    fixture_init(&f);
    cr_assert(eq(u32, native_only_of(&f.tests[0].test), 0));
    cr_assert(eq(u32, native_only_of(&f.tests[1].test), NATIVE_SKIP_VALGRIND));
    cr_assert(eq(u32, native_only_of(&f.tests[2].test),
                 NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER));
    cr_assert(eq(u32, native_only_of(&f.tests[3].test), 0), "a .data without the magic");
    cr_assert(eq(u32, native_only_of(&f.tests[4].test), NATIVE_SKIP_UNSANITIZED));
    cr_assert(eq(u32, native_only_of(NULL), 0));
}

/* The hook itself, in this binary's runner: under Valgrind none of these three may start,
 * and the last only in the ASan build. */
Test(native_only_hook, a_native_only_test_never_starts_under_valgrind,
     NATIVE_ONLY("the hook must have skipped this test"))
{
    cr_assert(eq(u32, native_only_of(criterion_current_test), NATIVE_SKIP_VALGRIND),
              "the worker reads its own mark");
    cr_assert(not(native_only_here() & NATIVE_SKIP_VALGRIND),
              "started under Valgrind: the PRE_ALL hook did not disable it");
    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
}

Test(native_only_hook, a_glibc_malloc_only_test_never_starts_under_a_tool, GLIBC_MALLOC_ONLY)
{
    cr_assert(eq(u32, native_only_here() & (NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER), 0),
              "started where it is marked to skip");
    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER);
}

Test(native_only_hook, a_sanitizer_only_test_starts_only_in_the_asan_build, SANITIZER_ONLY)
{
    cr_assert(eq(u32, native_only_here(), NATIVE_SKIP_SANITIZER),
              "started outside the ASan build: the PRE_ALL hook did not disable it");
}

Test(native_only_hook, an_unmarked_test_sees_where_it_runs)
{
    cr_assert(eq(u32, native_only_of(criterion_current_test), 0));
    cr_assert(eq(u32, native_only_here() & NATIVE_SKIP_VALGRIND,
                 RUNNING_ON_VALGRIND ? NATIVE_SKIP_VALGRIND : 0u));
    cr_assert(eq(int, __builtin_popcount(native_only_here() &
                                         (NATIVE_SKIP_SANITIZER | NATIVE_SKIP_UNSANITIZED)), 1),
              "a build is sanitized or not, never both or neither");
}

/* ASSERT_DECLARED_NATIVE's predicate: a helper that cannot run under Valgrind may run
 * natively whatever the mark, and under Valgrind only in a test marked for it. */
Test(native_only_may_run, only_a_test_marked_for_where_it_runs_may_reach_the_helper)
{
    const unsigned v = NATIVE_SKIP_VALGRIND, a = NATIVE_SKIP_SANITIZER;

    cr_assert(native_only_may_run(0, 0), "natively, unmarked");
    cr_assert(native_only_may_run(v, 0), "natively, marked");
    cr_assert(not(native_only_may_run(0, v)), "under Valgrind, unmarked");
    cr_assert(native_only_may_run(v, v), "under Valgrind, NATIVE_ONLY");
    cr_assert(native_only_may_run(v | a, v), "under Valgrind, GLIBC_MALLOC_ONLY");
    cr_assert(not(native_only_may_run(v, a)), "sanitizer build, NATIVE_ONLY");
    cr_assert(native_only_may_run(v | a, a), "sanitizer build, GLIBC_MALLOC_ONLY");
}
