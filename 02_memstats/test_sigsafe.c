/* test_sigsafe.c: lesson 02's "malloc in a signal handler, and after fork". Each experiment
 * runs in a child process, so that one that hangs is killed at a deadline and the test
 * process is left as it was.
 *
 * glibc's malloc in a handler is sampled, and these tests are glibc's alone (under Valgrind
 * and in the ASan build another allocator serves every block). How
 * the runs and the deadline were chosen: with a second thread alive, 200 children of
 * demo/sigsafe's loop hung in futex, every one, after 0 to 8 ticks handled (0 in 101 of
 * them, 1 in 55, 2 in 16, then fewer: about half the ticks land while the interrupted
 * malloc or free holds the arena's lock), on glibc 2.36 and 2.41 alike. A hang therefore
 * comes within a few ticks of 200 us, a millisecond or two after the fork; the test waits
 * 100 ms for it, and stops at the first of up to 3 runs that hangs. A run that does not
 * hang must handle about 100 ticks (a million pairs) each missing the lock, about 2^-100;
 * a slow machine handles more ticks, not fewer, so it cannot make a false failure more
 * likely; and a child that is only slow is seen running, not in futex, and is not counted
 * as hung.
 *
 * The rest is exact, in every build: the handler that only counts the tick, with the loop's
 * allocations counted in the child (the loop's pairs plus one per tick acted on, and every
 * tick handled acted on); a pool's error-checking mutex taken again in a handler (EDEADLK);
 * a lock held by another thread across fork, without and with pthread_atfork (ETIMEDOUT,
 * then taken); glibc's fork, which takes its malloc locks around the fork, so that children
 * forked while a thread mallocs all finish. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "sigsafe.h"

/* The malloc'ing handler's hang: up to RUNS children, HANG_MS each. */
#define HANG_RUNS 3
#define HANG_MS 100u
#define PAIRS 1000000u

/* The flag way and the children: fewer under memcheck, where a pair costs microseconds,
 * and a deadline to match. */
static uint64_t flag_pairs(void)
{
    return RUNNING_ON_VALGRIND ? 20000 : 200000;
}

static unsigned flag_deadline(void)
{
    return RUNNING_ON_VALGRIND ? 30000 : 2000;
}

/* Children forked while a thread mallocs (natively only: glibc's malloc). */
#define FORKS 50u

/* ---- glibc's malloc in a handler (sampled; glibc's malloc only) ---- */

/* Up to HANG_RUNS children of the malloc'ing handler, a parked thread in each or not; the
 * last run, the first that hung in futex if one did. */
static struct sigsafe_run hang_runs(bool thread)
{
    struct sigsafe_run r;
    int runs = 0;

    do {
        cr_assert(eq(int, sigsafe_run(thread, SIGSAFE_MALLOC, PAIRS, HANG_MS, &r), 0),
                  "the child could not run: %s", strerror(errno));
        runs++;
    } while ((r.finished || r.syscall != sigsafe_futex_nr()) && runs < HANG_RUNS);
    return r;
}

Test(sigsafe_glibc, a_malloc_in_a_handler_with_a_thread_alive_hangs_in_futex, GLIBC_MALLOC_ONLY)
{
    struct sigsafe_run r = hang_runs(true);

    cr_assert(r.finished == false && r.syscall == sigsafe_futex_nr(),
              "a second thread alive, a handler that mallocs %d B while the loop mallocs and "
              "frees %d B: expected a child still waiting in futex (%ld) after %u ms in at "
              "least 1 of %d runs (glibc 2.36 and 2.41: each did, within a few ticks); the last "
              "run %s after %llu ticks handled, system call %ld", SIGSAFE_BLOCK, SIGSAFE_BLOCK,
              sigsafe_futex_nr(), HANG_MS, HANG_RUNS, r.finished ? "finished" : "was running",
              (unsigned long long)r.handled, r.syscall);
}

static void *nothing(void *arg)
{
    return arg;
}

/* glibc's malloc takes no arena lock while the process has never had a second thread
 * (__libc_single_threaded): a program that never started one sees the same handler finish
 * (make sigsafe-02's first row). Once a thread has started, even if it was joined long ago,
 * the flag stays false for good, in every child forked after too (glibc 2.36 and 2.41):
 * the child here has one thread and still takes the lock. */
Test(sigsafe_glibc, a_child_of_a_process_that_once_had_a_thread_hangs_without_one,
     GLIBC_MALLOC_ONLY)
{
    struct sigsafe_run r;
    pthread_t t;

    cr_assert(eq(int, pthread_create(&t, NULL, nothing, NULL), 0));
    cr_assert(eq(int, pthread_join(t, NULL), 0));
    r = hang_runs(false);
    cr_assert(r.finished == false && r.syscall == sigsafe_futex_nr(),
              "no second thread in the child, but its parent had one once: expected a child "
              "still waiting in futex (%ld) after %u ms in at least 1 of %d runs; the last run "
              "%s after %llu ticks handled, system call %ld", sigsafe_futex_nr(), HANG_MS,
              HANG_RUNS, r.finished ? "finished" : "was running", (unsigned long long)r.handled,
              r.syscall);
}

/* ---- the handler that only counts the tick: finishes, and counts exactly ---- */

Test(sigsafe_flag, a_handler_that_sets_a_flag_finishes_and_the_loop_allocates_once_a_tick)
{
    for (int thread = 0; thread < 2; thread++) {
        struct sigsafe_run r;

        cr_assert(eq(int, sigsafe_run(thread, SIGSAFE_FLAG, flag_pairs(), flag_deadline(), &r), 0),
                  "the child could not run: %s", strerror(errno));
        cr_assert(r.finished, "%s thread: the flag handler's child did not finish in %u ms "
                  "(system call %ld)", thread ? "a second" : "no second", flag_deadline(),
                  r.syscall);
        cr_assert(ge(u64, r.handled, 1), "the loop takes far longer than a tick (%d us): "
                  "expected at least one tick handled", SIGSAFE_TICK_US);
        cr_assert(eq(u64, r.acted, r.handled), "every tick the handler counted is acted on: "
                  "%llu handled, %llu acted on", (unsigned long long)r.handled,
                  (unsigned long long)r.acted);
        cr_assert(eq(u64, r.mallocs, flag_pairs() + r.acted),
                  "%s thread: expected %llu allocations (%llu pairs, one per tick acted on, "
                  "none in the handler), the child counted %llu", thread ? "a second" : "no second",
                  (unsigned long long)(flag_pairs() + r.acted), (unsigned long long)flag_pairs(),
                  (unsigned long long)r.mallocs);
    }
}

/* ---- a lock of our own ---- */

static int sweep_pool(void *ctx)
{
    struct sigsafe_pool p;

    (void)ctx;
    if (sigsafe_pool_init(&p, 64, 8, PTHREAD_MUTEX_ERRORCHECK) != 0)
        return -1;
    sigsafe_pool_destroy(&p);
    return 0;
}


Test(sigsafe_lock, an_errorcheck_mutex_taken_again_in_a_handler_returns_edeadlk)
{
    struct sigsafe_pool p;
    int err = 0;

    cr_assert(eq(int, sigsafe_pool_init(&p, 64, 4, PTHREAD_MUTEX_ERRORCHECK), 0));
    ASSERT_NO_ALLOCS(err = sigsafe_reentry(&p));
    cr_assert(eq(int, err, EDEADLK), "the handler's pool_get while the interrupted code holds "
              "the lock: expected EDEADLK, saw %d (%s)", err, err > 0 ? strerror(err) : "-");
    cr_assert(eq(sz, p.taken, 0), "the handler took no block");
    sigsafe_pool_destroy(&p);
}

Test(sigsafe_lock, the_pool_hands_out_its_blocks_and_says_enomem_when_empty)
{
    struct sigsafe_pool p;
    void *b[3];
    int rc = -1;

    cr_assert(eq(int, sigsafe_pool_init(&p, 64, 2, PTHREAD_MUTEX_ERRORCHECK), 0));
    ASSERT_NO_ALLOCS(b[0] = sigsafe_pool_get(&p));
    b[1] = sigsafe_pool_get(&p);
    errno = 0;
    b[2] = sigsafe_pool_get(&p);
    cr_assert(b[0] != NULL && b[1] != NULL && b[0] != b[1]);
    cr_assert(b[2] == NULL && errno == ENOMEM, "a pool of 2: the third get is NULL with ENOMEM");
    sigsafe_pool_put(&p, b[0]);
    sigsafe_pool_put(&p, b[1]);
    cr_assert(eq(sz, p.taken, 0));
    sigsafe_pool_destroy(&p);
    /* one malloc a block; destroy frees them all */
    ASSERT_ALLOCS(rc = sigsafe_pool_init(&p, 64, 3, PTHREAD_MUTEX_DEFAULT), 3, 3 * 64);
    cr_assert(eq(int, rc, 0));
    sigsafe_pool_destroy(&p);
    ASSERT_NO_LEAK(rc = sweep_pool(NULL));
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(int, sigsafe_pool_init(&p, 4, 2, PTHREAD_MUTEX_DEFAULT), -1), "a block smaller "
              "than a pointer is refused");
    cr_assert(eq(int, sigsafe_pool_init(&p, 64, 0, PTHREAD_MUTEX_DEFAULT), -1));
}

Test(sigsafe_lock, a_default_mutex_taken_again_in_a_handler_waits_for_ever_in_futex)
{
    bool finished = true;
    long sys = 0;

    cr_assert(eq(int, sigsafe_reentry_child(HANG_MS, &finished, &sys), 0), "the child could not "
              "run: %s", strerror(errno));
    cr_assert(finished == false && sys == sigsafe_futex_nr(), "a default mutex locked again by its own "
              "thread, in the handler: expected the child still waiting in futex (%ld) %u ms "
              "after the handler began; it %s, system call %ld", sigsafe_futex_nr(), HANG_MS,
              finished ? "finished" : "was still running", sys);
}

/* ---- fork while a thread holds the lock ---- */

Test(sigsafe_fork, a_lock_held_by_another_thread_at_fork_times_out_in_the_child_unless_atfork)
{
    struct sigsafe_pool p;
    struct sigsafe_forked f;

    cr_assert(eq(int, sigsafe_pool_init(&p, 64, 4, PTHREAD_MUTEX_DEFAULT), 0));
    cr_assert(eq(int, sigsafe_fork_locked(&p, false, 20, 50, &f), 0), "%s", strerror(errno));
    cr_assert(eq(int, f.lock, ETIMEDOUT), "no atfork handlers: the child's copy of the lock is "
              "held by a thread the child does not have; expected ETIMEDOUT, saw %d", f.lock);
    cr_assert(eq(int, f.waited, false), "without atfork the fork does not wait for the holder");
    cr_assert(eq(int, sigsafe_fork_locked(&p, true, 20, 50, &f), 0), "%s", strerror(errno));
    cr_assert(eq(int, f.lock, 0), "with pthread_atfork's prepare taking the lock and the child's "
              "handler releasing it: expected the child to take it (0), saw %d", f.lock);
    cr_assert(eq(int, f.waited, true),
              "with atfork the fork returns only after the holder has let the lock go");
    cr_assert(eq(sz, p.taken, 0));
    sigsafe_pool_destroy(&p);
}

/* glibc's fork takes glibc's malloc locks: a claim about glibc's malloc alone. In the ASan
 * build (gcc 12's libasan), whose allocator serves the blocks, a child hung in futex in 10
 * of 10 runs once the test process no longer started libgit2 (criterion_diff.c), whose
 * start-up had allocated before the test began. */
Test(sigsafe_fork, children_forked_while_a_thread_mallocs_can_all_malloc, GLIBC_MALLOC_ONLY)
{
    unsigned finished = 0;

    cr_assert(eq(int, sigsafe_fork_malloc(FORKS, flag_deadline(), &finished), 0), "%s",
              strerror(errno));
    cr_assert(eq(u32, finished, FORKS), "glibc's fork takes its malloc locks around the fork "
              "(2.36 and 2.41): expected all %u children to finish, %u did", FORKS, finished);
}

/* ---- out of memory ---- */

Test(sigsafe_oom, a_pool_that_cannot_get_its_blocks_frees_those_it_took)
{
    ASSERT_SWEEP_CLEAN(sweep_pool, NULL);
}

Test(sigsafe_oom, a_child_whose_malloc_fails_is_reported_as_enomem)
{
    struct sigsafe_run r;
    int rc;

    SKIP_WITHOUT_INJECTION();
    for (unsigned k = 1; k <= 2; k++) {
        /* the loop's first pair, then the first per-tick record or the second pair: the
         * child inherits the countdown */
        countalloc_fail_at(k, false);
        errno = 0;
        rc = sigsafe_run(false, SIGSAFE_FLAG, 1000, flag_deadline(), &r);
        countalloc_fail_off();
        cr_assert(eq(int, rc, -1), "allocation %u failed in the child: expected -1", k);
        cr_assert(eq(int, errno, ENOMEM), "expected ENOMEM, saw %s", strerror(errno));
    }
}

/* ---- the program ---- */

Test(sigsafe_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "51", "1x", "--bogus",
                                      "99999999999999999999999", "1 2"};

    ASSERT_BAD_ARGUMENTS("demo/sigsafe", "RUNS", bad);
}
