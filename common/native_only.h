/* native_only.h: a test that cannot run under Valgrind, or in a sanitizer build, or only
 * in one, says so at its declaration, and the runner skips it without starting its process:
 *
 *   Test(glibc_inside, malloc_0_returns_a_32_byte_chunk, GLIBC_MALLOC_ONLY) { ... }
 *   Test(misuse, memcheck_reports_it, NATIVE_ONLY("it runs a memcheck of its own")) { ... }
 *   Test(slab, freed_objects_are_poisoned, SANITIZER_ONLY) { ... }
 *
 * Why at the declaration and not a skip in the body: Criterion starts a fresh process for
 * every test, and under memcheck (make check) a process costs about a second of CPU
 * whatever the test does. Before any test starts, a report hook (native_only.c, linked
 * into every test binary) marks these tests disabled; Criterion then counts them skipped,
 * and --verbose prints the reason under "Test is disabled".
 *
 * A helper only such tests may call checks with ASSERT_DECLARED_NATIVE() that its test
 * was declared so. */
#ifndef NATIVE_ONLY_H
#define NATIVE_ONLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <criterion/criterion.h>
#include <valgrind/valgrind.h>

enum native_only_where {
    NATIVE_SKIP_VALGRIND = 1,  /* under any Valgrind tool */
    NATIVE_SKIP_SANITIZER = 2, /* in the SANITIZE=1 build */
    NATIVE_SKIP_UNSANITIZED = 4, /* in any other build, natively or under Valgrind */
};

/* The mark travels in Criterion's .data (free for its user) as a number, not a pointer:
 * the runner copies each test's options to the worker, a fresh exec of the binary whose
 * addresses differ. The reason goes in .description, which Criterion copies as a string
 * and prints under the test with --verbose. */
#define NATIVE_ONLY_MAGIC ((uintptr_t)0x6e61746f)
#define NATIVE_ONLY_AT(where_, why_)                                                      \
    .data = (void *)((NATIVE_ONLY_MAGIC << 8) | (uintptr_t)(where_)), .description = (why_)

/* Skipped under Valgrind, for the reason given. */
#define NATIVE_ONLY(why) NATIVE_ONLY_AT(NATIVE_SKIP_VALGRIND, "under Valgrind: " why)

/* A test of glibc's malloc itself (its chunks, its pages, its reuse, its in-place growth):
 * under Valgrind, or in a sanitizer build, another allocator serves every block, with its
 * own layout. The counts hold everywhere; these do not. */
#define GLIBC_MALLOC_ONLY                                                                 \
    NATIVE_ONLY_AT(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER,                          \
                   "glibc's malloc only: under Valgrind and in a sanitizer build another "\
                   "allocator serves every block")

/* A test that runs a Valgrind tool itself (profrun.h): Valgrind's tools do not nest. In a
 * sanitizer build it starts, and profrun_available skips it once a read exercise's test
 * has checked that an answer was written (so that the starter still fails there). */
#define RUNS_VALGRIND NATIVE_ONLY("it runs a Valgrind tool itself; Valgrind's tools do not nest")

/* A test of what ASan itself sees (which bytes a pool poisons): it can only run in the
 * SANITIZE=1 build, and is skipped in every other, under Valgrind too. */
#define SANITIZER_ONLY                                                                    \
    NATIVE_ONLY_AT(NATIVE_SKIP_UNSANITIZED, "only in the ASan build: make SANITIZE=1 test-NN")

/* Where a test is marked to skip (enum native_only_where, or'd), or 0. */
unsigned native_only_of(const struct criterion_test *t);

/* Disable every test of set whose mark names one of where's places; returns how many. The
 * report hook calls it with native_only_here(). */
size_t native_only_disable(struct criterion_test_set *set, unsigned where);

/* Where this process is: NATIVE_SKIP_VALGRIND under Valgrind, or'd with
 * NATIVE_SKIP_SANITIZER in a sanitizer build and NATIVE_SKIP_UNSANITIZED in any other. */
unsigned native_only_here(void);

/* May a test marked `mark` run where `here` says, natively (0) or not? */
static inline bool native_only_may_run(unsigned mark, unsigned here)
{
    return (mark & here) == here;
}

/* In a helper only a test marked for where_ may call (it reads glibc's own chunks, or runs
 * Valgrind itself): reached where the test should have been skipped, it fails and says
 * what to add to the declaration. */
#define ASSERT_DECLARED_NATIVE(where_)                                                    \
    do {                                                                                  \
        unsigned h_ = native_only_here() & (unsigned)(where_);                            \
        cr_assert(native_only_may_run(native_only_of(criterion_current_test), h_),       \
                  "%s cannot run %s: declare the test with NATIVE_ONLY(\"why\") or "      \
                  "GLIBC_MALLOC_ONLY so that the runner skips it",                        \
                  __func__, (h_ & NATIVE_SKIP_VALGRIND) ? "under Valgrind"                \
                                                        : "in a sanitizer build");        \
    } while (0)

#endif
