/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-02).
 *
 * The hang is tested in a child process, killed at a deadline: a second thread parked with
 * every signal blocked, a timer's SIGALRM every 200 us, STEPS steps of the worker. glibc's
 * malloc only (under Valgrind and in the ASan build another allocator serves every block):
 * with the handler that mallocs, demo/sigsafe's loop hung in every one of 200 runs within
 * 8 ticks, about half the ticks landing while the arena's lock was held (glibc 2.36 and
 * 2.41 alike); a run here lasts about a hundred ticks.
 *
 * The rest holds in every build, ASan's included: the ticks are raised with raise(), which
 * runs the handler before it returns, so what the handler allocates is measured exactly
 * around it, and nothing interrupts a count. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

#define STEPS 1000000u   /* tens of ms of work natively */
#define TICK_US 200
#define DEADLINE_MS 1000 /* far above a run that finishes */

/* ---- the worker in a child, a thread alive and a fast timer (glibc's malloc only) ---- */

/* What the child reports, in a page it shares with the test: the worker itself lives there,
 * so its ticks can be read while the child hangs. */
struct report {
    volatile int done; /* the child ran to its end */
    volatile uint64_t ticks, logged;
    struct worker w;
};

static void *parked(void *arg)
{
    atomic_store((atomic_bool *)arg, true);
    for (;;)
        pause();
    return NULL;
}

static int child(struct report *rep)
{
    static atomic_bool running;
    struct itimerval on = {{0, TICK_US}, {0, TICK_US}}, off = {{0, 0}, {0, 0}};
    struct worker *w = &rep->w;
    sigset_t all, old;
    pthread_t t;

    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old); /* the thread takes no tick */
    if (pthread_create(&t, NULL, parked, &running) != 0)
        return 1;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    while (!atomic_load(&running))
        sched_yield();
    if (worker_start(w) != 0)
        return 1;
    setitimer(ITIMER_REAL, &on, NULL);
    for (unsigned i = 0; i < STEPS; i++)
        if (worker_step(w) != 0)
            return 1;
    setitimer(ITIMER_REAL, &off, NULL);
    sigaddset(&old, WORKER_SIGNAL);
    pthread_sigmask(SIG_SETMASK, &old, NULL); /* a tick still pending stays so */
    if (worker_step(w) != 0)
        return 1;
    rep->ticks = (uint64_t)w->ticks;
    rep->logged = w->logged;
    worker_stop(w);
    rep->done = 1;
    return 0;
}

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

Test(worker, with_a_thread_alive_and_a_tick_every_200_us_the_worker_finishes, GLIBC_MALLOC_ONLY)
{
    struct report *rep = mmap(NULL, sizeof *rep, PROT_READ | PROT_WRITE,
                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char path[64], sys[128] = "";
    double limit;
    bool ended = false;
    pid_t pid;
    FILE *f;

    cr_assert(rep != MAP_FAILED);
    rep->done = 0;
    pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0)
        _exit(child(rep));
    limit = now_ms() + DEADLINE_MS;
    while (!ended && now_ms() < limit) {
        struct timespec ms = {0, 1000000};

        ended = waitpid(pid, NULL, WNOHANG) == pid;
        if (!ended)
            nanosleep(&ms, NULL);
    }
    if (!ended) {
        snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
        if ((f = fopen(path, "r")) != NULL) {
            if (fgets(sys, sizeof sys, f) == NULL)
                sys[0] = '\0';
            fclose(f);
        }
        sys[strcspn(sys, " \n")] = '\0';
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    cr_assert(ended, "the worker, a second thread alive and a tick every %d us, did not "
              "finish %d steps within %d ms: it hung after %llu ticks, waiting in system call "
              "%s (%d is futex: a lock). A handler that mallocs waits for the arena's lock "
              "when the tick lands inside the worker's own malloc, and that lock's owner is the "
              "thread stuck in the handler.", TICK_US, STEPS, DEADLINE_MS,
              (unsigned long long)rep->w.ticks, sys[0] ? sys : "?", (int)SYS_futex);
    cr_assert(rep->done, "the child ended without finishing its steps (a step failed?)");
    cr_assert(eq(u64, rep->logged, rep->ticks), "after the last step every tick is logged: "
              "%llu ticks, %llu events", (unsigned long long)rep->ticks,
              (unsigned long long)rep->logged);
    munmap(rep, sizeof *rep);
}

/* ---- the handler and the steps, exactly (every build) ---- */

/* Check the log holds ticks n, n-1, ... 1, newest first. */
static void assert_log(const struct worker *w, uint64_t n)
{
    const struct event *e = w->log;

    cr_assert(eq(u64, w->logged, n), "expected %llu events logged, saw %llu",
              (unsigned long long)n, (unsigned long long)w->logged);
    for (uint64_t k = n; k >= 1; k--, e = e->next) {
        cr_assert(e != NULL, "the log ends after %llu events; logged says %llu",
                  (unsigned long long)(n - k), (unsigned long long)n);
        cr_assert(eq(u64, e->tick, k), "the log, newest first: expected the event of tick "
                  "%llu, saw tick %llu", (unsigned long long)k, (unsigned long long)e->tick);
    }
    cr_assert(e == NULL, "the log holds more than its %llu events", (unsigned long long)n);
}

Test(worker, the_handler_allocates_nothing_and_a_step_logs_one_event_per_tick)
{
    struct worker w;
    int rc = -1;

    cr_assert(eq(int, worker_start(&w), 0));
    for (int i = 0; i < 3; i++) {
        struct countalloc_stats d;

        ALLOC_MEASURE(raise(WORKER_SIGNAL), d); /* the handler runs before raise returns */
        cr_assert(eq(u64, d.mallocs, 0), "tick %d: the handler made %llu allocation%s. A "
                  "handler runs in the middle of whatever the thread was doing, malloc "
                  "included: it may only note the tick (w->ticks), and the step logs it.",
                  i + 1, (unsigned long long)d.mallocs, d.mallocs == 1 ? "" : "s");
    }
    cr_assert(eq(u64, (uint64_t)w.ticks, 3), "three ticks raised: the handler counts them");
    ASSERT_ALLOC_COUNT(rc = worker_step(&w), 1 + 3); /* the work, and an event a tick */
    cr_assert(eq(int, rc, 0));
    assert_log(&w, 3);
    ASSERT_ALLOC_COUNT(rc = worker_step(&w), 1); /* no tick since: the work alone */
    cr_assert(eq(int, rc, 0));
    assert_log(&w, 3);
    worker_stop(&w);
}

Test(worker, the_events_logged_equal_the_ticks_handled_in_order)
{
    struct worker w;
    uint64_t raised = 0;

    cr_assert(eq(int, worker_start(&w), 0));
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i <= round; i++, raised++)
            raise(WORKER_SIGNAL);
        cr_assert(eq(int, worker_step(&w), 0));
        cr_assert(eq(u64, (uint64_t)w.ticks, raised));
        assert_log(&w, raised);
    }
    cr_assert(eq(u64, w.steps, 4));
    worker_stop(&w);
    cr_assert(w.log == NULL, "worker_stop frees the log");
}

/* ---- out of memory ---- */

Test(worker, a_failed_allocation_in_a_step_returns_enomem_and_leaves_the_worker_intact)
{
    struct worker w;
    int rc;

    SKIP_WITHOUT_INJECTION();
    cr_assert(eq(int, worker_start(&w), 0));
    for (int i = 0; i < 3; i++)
        raise(WORKER_SIGNAL);
    countalloc_fail_at(3, false); /* the step's work, the event of tick 1, then tick 2's */
    errno = 0;
    rc = worker_step(&w);
    countalloc_fail_off();
    cr_assert(eq(int, rc, -1), "the step's third allocation (tick 2's event) failed: expected "
              "-1, saw %d", rc);
    cr_assert(eq(int, errno, ENOMEM));
    assert_log(&w, 1);
    cr_assert(eq(u64, (uint64_t)w.ticks, 3), "the ticks are as the handler counted them");
    ASSERT_ALLOC_COUNT(rc = worker_step(&w), 1 + 2); /* the work, ticks 2 and 3 */
    cr_assert(eq(int, rc, 0));
    assert_log(&w, 3);
    worker_stop(&w);
}

static int job(void *ctx)
{
    struct worker w;
    int rc = 0;

    (void)ctx;
    if (worker_start(&w) != 0)
        return -1;
    raise(WORKER_SIGNAL);
    raise(WORKER_SIGNAL);
    rc |= worker_step(&w);
    raise(WORKER_SIGNAL);
    rc |= worker_step(&w);
    if (rc == 0 && (w.logged != 3 || (uint64_t)w.ticks != 3))
        rc = -1;
    worker_stop(&w);
    return rc == 0 ? 0 : -1;
}

Test(worker, running_out_of_memory_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(job, NULL);
}
