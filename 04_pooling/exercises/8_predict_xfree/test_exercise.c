/* test_exercise.c: each case measured by the lesson's demo, `demo/xfree N SIZE`, a process
 * started for each (as test_xfree.c does: a run in this worker, or a fork of it, would find
 * the worker's own free chunks in the bins), and compared with exercise.c. The demo's
 * tables use glibc's own __libc_malloc, which an ASan build leaves in place: there the
 * counts read here are the same, so the tests run in make SANITIZE=1 too, and fail on the
 * starter there. glibc 2.36 and 2.41 give the same counts, in both builds. Under Valgrind,
 * whose allocator keeps a freed block out of use for a while, every test skips: make check
 * runs this suite under memcheck and sees them all skipped. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "exercise.h"
#include "report.h"
#include "xfree.h"
#include "xfree_rows.h"

/* The mark of every test that calls the helper below. */
#define XFREE_NATIVE NATIVE_ONLY("Valgrind's allocator serves every block")

/* demo/xfree N SIZE, built beside the lesson's tests, two levels up from this exercise's
 * build: the consumer alive throughout, then a thread per step (xfree_rows.h). */
static void demo(size_t n, size_t size, struct xfree_row *alive, struct xfree_row *per_step)
{
    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
    xfree_demo_rows("../../demo/xfree", n, size, alive, per_step);
}

static void check(const char *what, const struct back *said, const struct xfree_row *r,
                  const char *meaning)
{
    cr_assert(said->producer >= 0 && said->consumer >= 0,
              "%s: no answer yet. Write {producer, consumer} into exercise.c.", what);
    cr_assert(said->producer == (long long)r->producer &&
                  said->consumer == (long long)r->consumer,
              "%s: you predicted the producer gets %lld of its old blocks back and the "
              "consumer %lld; the run gave the producer %zu and the consumer %zu. %s", what,
              said->producer, said->consumer, r->producer, r->consumer, meaning);
}

Test(predict, twenty_blocks_of_64_bytes_freed_by_a_consumer_that_stays, XFREE_NATIVE)
{
    struct xfree_row alive, per_step;
    char meaning[300];

    demo(20, 64, &alive, &per_step);
    snprintf(meaning, sizeof meaning, "The freeing thread's tcache keeps min(N, %d) blocks "
             "of each size class, whichever thread malloc'd them, and only its own mallocs "
             "take them; the rest go back to the producer's arena.", XFREE_TCACHE_COUNT);
    check("N 20, 64 B, the consumer alive", &alive_20x64, &alive, meaning);
}

Test(predict, five_blocks_of_64_bytes_freed_by_a_consumer_that_stays, XFREE_NATIVE)
{
    struct xfree_row alive, per_step;
    char meaning[300];

    demo(5, 64, &alive, &per_step);
    snprintf(meaning, sizeof meaning, "min(5, %d) = 5: the consumer's tcache has room for "
             "every one, and the producer's next mallocs get none of its old blocks: they "
             "come from the top of its heap.", XFREE_TCACHE_COUNT);
    check("N 5, 64 B, the consumer alive", &alive_5x64, &alive, meaning);
}

Test(predict, twenty_blocks_of_1032_bytes_the_tcaches_largest, XFREE_NATIVE)
{
    struct xfree_row alive, per_step;
    char meaning[300], max[32];

    demo(20, XFREE_TCACHE_MAX, &alive, &per_step);
    snprintf(meaning, sizeof meaning, "%s B is the largest request the tcache takes "
             "(glibc's tcache_max): it keeps min(N, %d) of these as of 64-byte ones.",
             report_count(XFREE_TCACHE_MAX, max, sizeof max), XFREE_TCACHE_COUNT);
    check("N 20, 1,032 B, the consumer alive", &alive_20x1032, &alive, meaning);
}

Test(predict, twenty_blocks_of_1040_bytes_past_the_tcache, XFREE_NATIVE)
{
    struct xfree_row alive, per_step;
    char meaning[300], max[32];

    demo(20, XFREE_TCACHE_MAX + 8, &alive, &per_step);
    snprintf(meaning, sizeof meaning, "Past the tcache's %s B no block stays in a thread: "
             "every free goes to the block's own arena, under its lock, and the producer "
             "mallocs them all again.", report_count(XFREE_TCACHE_MAX, max, sizeof max));
    check("N 20, 1,040 B, the consumer alive", &alive_20x1040, &alive, meaning);
}

Test(predict, twenty_blocks_of_64_bytes_freed_by_a_consumer_thread_per_step, XFREE_NATIVE)
{
    struct xfree_row alive, per_step;

    demo(20, 64, &alive, &per_step);
    check("N 20, 64 B, a consumer thread per step", &per_step_20x64, &per_step,
          "A thread's exit frees its tcache into the arenas its blocks came from: the "
          "blocks the consumer kept are the producer's again, and a new consumer thread "
          "starts with an empty tcache.");
}

Test(predict, what_glibc_still_counts_in_use_after_the_consumers_frees, XFREE_NATIVE)
{
    struct xfree_row alive, per_step;

    demo(20, 64, &alive, &per_step);
    cr_assert(held_20x64 >= 0, "held_20x64: no answer yet. Write a number of bytes into "
              "exercise.c.");
    cr_assert(held_20x64 == alive.held,
              "N 20, 64 B, the consumer alive: you predicted mallinfo2 still counts %lld B "
              "in use after the 20 frees; it counts %lld B. A block in a tcache keeps its "
              "chunk: min(20, %d) chunks of 80 B, held by a thread that may never malloc "
              "that size again.", held_20x64, alive.held, XFREE_TCACHE_COUNT);
}
