/* sigsafe.c: malloc in a signal handler, and after fork (sigsafe.h). RUNS children each
 * way run a loop of malloc + free with a timer's SIGALRM every 200 us, a second thread
 * alive or not, the handler calling malloc or only counting the tick; a child still running
 * at the deadline is hung, its system call read from /proc, then killed. Then a pool's own
 * lock, taken again in a handler, and held by another thread across fork.
 *
 *   sigsafe [RUNS]
 *       RUNS children each way (default 5)
 *
 * make sigsafe-02 runs it. */
#include <errno.h>
#include <gnu/libc-version.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/valgrind.h>

#include "cli.h"
#include "memdebug.h" /* MEMDEBUG_ASAN */
#include "report.h"
#include "sigsafe.h"

#define PROG "sigsafe"
#define DEFAULT_RUNS 5
#define MAX_RUNS 50
#define PAIRS 1000000u     /* the loop: tens of ms when it finishes */
#define DEADLINE_MS 500u   /* more than ten times a finished run */
/* Under Valgrind, whose malloc serves every block and a pair costs microseconds: */
#define VG_PAIRS 20000u
#define VG_DEADLINE_MS 30000u
#define VG_FORKS 5u

#define REENTRY_MS 100u    /* the default mutex's child: this long after its handler began */
#define HOLD_MS 20u        /* with atfork: the holder lets go after this long */
#define TRY_MS 50u         /* the child's timed lock */
#define FORKS 50u          /* children forked while a thread mallocs */

static uint64_t pairs = PAIRS;
static unsigned deadline = DEADLINE_MS;
static unsigned forks = FORKS;

static void fail(const char *what)
{
    int err = errno;

    if (err == ENOMEM)
        cli_oom(PROG, what);
    fprintf(stderr, "%s: %s: %s\n", PROG, what, strerror(err));
    exit(1);
}

/* RUNS children one way; one row. Returns whether every finished flag-way run counted
 * exactly: mallocs = pairs + acted, acted = handled. */
static uint64_t flag_finished; /* flag-way runs that finished */

static bool row(bool thread, enum sigsafe_way way, uint64_t runs)
{
    uint64_t finished = 0, hung = 0, futex = 0, lo = UINT64_MAX, hi = 0;
    double longest = 0;
    bool exact = true;
    char a[32], b[32], t[32] = "-";

    cli_flush_stdout(); /* nothing of ours in the buffer a child copies */
    for (uint64_t i = 0; i < runs; i++) {
        struct sigsafe_run r;

        if (sigsafe_run(thread, way, pairs, deadline, &r) != 0)
            fail("running a child");
        if (r.finished) {
            finished++;
            if (r.ms > longest)
                longest = r.ms;
            flag_finished += way == SIGSAFE_FLAG;
            if (way == SIGSAFE_FLAG)
                exact = exact && r.mallocs == r.pairs + r.acted && r.acted == r.handled &&
                        r.pairs == pairs;
        } else {
            hung++;
            futex += r.syscall == sigsafe_futex_nr();
        }
        lo = r.handled < lo ? r.handled : lo;
        hi = r.handled > hi ? r.handled : hi;
    }
    if (finished > 0)
        snprintf(t, sizeof t, "%.0f ms", longest);
    printf("  %-8s %-12s %8llu %5llu %9llu   %7s to %-7s %12s\n", thread ? "parked" : "none",
           way == SIGSAFE_MALLOC ? "mallocs" : "sets a flag", (unsigned long long)finished,
           (unsigned long long)hung, (unsigned long long)futex, report_count(lo, a, sizeof a),
           report_count(hi, b, sizeof b), t);
    return exact;
}

int main(int argc, char **argv)
{
    struct sigsafe_pool pool;
    struct sigsafe_forked f[2];
    uint64_t runs = DEFAULT_RUNS;
    unsigned forked;
    bool finished, exact = true;
    long sys;
    int err;
    char x[32], y[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[RUNS]");
    if (argc == 2)
        runs = cli_u64(PROG, "RUNS", argv[1], 1, MAX_RUNS);

    if (RUNNING_ON_VALGRIND) {
        pairs = VG_PAIRS;
        deadline = VG_DEADLINE_MS;
        forks = VG_FORKS;
        printf("(under Valgrind: its malloc, not glibc's, serves every block; fewer pairs)\n");
    }
#ifdef MEMDEBUG_ASAN
    printf("(AddressSanitizer's malloc, with locks of its own, serves every block here)\n");
#endif
    printf("%s: glibc %s. A child's loop mallocs and frees %s B %s times (past the\n"
           "tcache's largest block, so each call takes glibc's arena) while a timer's SIGALRM\n"
           "comes every %d us; %llu children each way. A child still running after %u ms is\n"
           "hung: its /proc/PID/syscall read (futex: waiting for a lock), then killed.\n\n",
           PROG, gnu_get_libc_version(), report_count(SIGSAFE_BLOCK, x, sizeof x),
           report_count(pairs, y, sizeof y), SIGSAFE_TICK_US, (unsigned long long)runs,
           deadline);
    cli_flush_stdout();
    printf("  %-8s %-12s %8s %5s %9s   %18s %12s\n", "thread", "the handler", "finished", "hung",
           "in futex", "ticks handled", "longest run");
    for (int thread = 0; thread < 2; thread++)
        row(thread, SIGSAFE_MALLOC, runs);
    for (int thread = 0; thread < 2; thread++)
        exact = row(thread, SIGSAFE_FLAG, runs) && exact;
    printf("\n  the flag way, counted in each child that finished: %s allocations, one per\n"
           "  tick the loop acted on, and every tick handled acted on: %s\n\n",
           report_count(pairs, x, sizeof x),
           flag_finished == 0 ? "none finished" : exact ? "yes" : "NO (a bug)");
    cli_flush_stdout();

    printf("A pool's own lock, held when SIGUSR1 comes (raise: as if it came inside\n"
           "pool_get), and the handler calls pool_get:\n");
    if (sigsafe_pool_init(&pool, 64, 4, PTHREAD_MUTEX_ERRORCHECK) != 0)
        fail("making the pool");
    err = sigsafe_reentry(&pool);
    sigsafe_pool_destroy(&pool);
    if (err < 0)
        fail("installing the handler");
    printf("  PTHREAD_MUTEX_ERRORCHECK   the handler's lock: %s\n", err ? strerrorname_np(err) : "0 (taken)");
    cli_flush_stdout();
    if (sigsafe_reentry_child(REENTRY_MS, &finished, &sys) != 0)
        fail("running the child");
    printf("  PTHREAD_MUTEX_DEFAULT      in a child: %s %u ms after the handler began%s\n\n",
           finished ? "finished" : "still waiting", REENTRY_MS,
           finished ? "" : sys == sigsafe_futex_nr() ? ", in futex" : ", not in futex");
    cli_flush_stdout();

    printf("fork while another thread holds the pool's lock; the child tries it for %u ms:\n",
           TRY_MS);
    cli_flush_stdout();
    if (sigsafe_pool_init(&pool, 64, 4, PTHREAD_MUTEX_DEFAULT) != 0)
        fail("making the pool");
    for (int atfork = 0; atfork < 2; atfork++)
        if (sigsafe_fork_locked(&pool, atfork, HOLD_MS, TRY_MS, &f[atfork]) != 0) {
            sigsafe_pool_destroy(&pool);
            fail("forking with the lock held");
        }
    sigsafe_pool_destroy(&pool);
    printf("  without pthread_atfork     the child's lock: %s\n",
           f[0].lock ? strerrorname_np(f[0].lock) : "0 (taken)");
    printf("  with pthread_atfork        the child's lock: %s\n",
           f[1].lock ? strerrorname_np(f[1].lock) : "0 (taken)");
    cli_flush_stdout();
    if (sigsafe_fork_malloc(forks, deadline, &forked) != 0)
        fail("forking while a thread mallocs");
    printf("  glibc's malloc: %u children forked while a thread mallocs, each mallocs once:\n"
           "  %u finished\n", forks, forked);
    return exact ? 0 : 1;
}
