/* sigsafe.c: malloc in a signal handler, and after fork (sigsafe.h). */
#include "sigsafe.h"

#include <errno.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "countalloc.h"
#include "procfs.h"
#include "report.h"

/* A child's exit status when one of its mallocs failed, and when anything else did. */
#define EXIT_OOM 3
#define EXIT_OTHER 4

long sigsafe_futex_nr(void)
{
    return SYS_futex;
}

static double now_ms(void)
{
    return report_now_ns() / 1e6;
}

static void sleep_ms(double ms)
{
    struct timespec t = {(time_t)(ms / 1e3), (long)((ms - (double)(time_t)(ms / 1e3) * 1e3) * 1e6)};

    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* The system call the process pid waits in: /proc/PID/syscall's first word, -1 when it
 * says "running" (or cannot be read). */
static long syscall_of(pid_t pid)
{
    char path[64], text[256];

    snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
    if (procfs_read(path, text, sizeof text) != 0 || text[0] < '0' || text[0] > '9')
        return -1;
    return strtol(text, NULL, 10);
}

/* Wait for pid until deadline (now_ms's clock), polling every 200 us. 1 and *status when
 * it exited; 0 when it is still running at the deadline. */
static int wait_until(pid_t pid, double deadline, int *status)
{
    for (;;) {
        pid_t got = waitpid(pid, status, WNOHANG);

        if (got == pid)
            return 1;
        if (got < 0 && errno != EINTR)
            return 1; /* nothing left to wait for: treat as ended */
        if (now_ms() >= deadline)
            return 0;
        sleep_ms(0.2);
    }
}

static void kill_and_reap(pid_t pid)
{
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* Wait for pid until deadline; a child still running then is read where it waits
 * (*syscall, else -1), killed and reaped. 1 and *status when it ended by itself, 0 when
 * it was killed. */
static int settle(pid_t pid, double deadline, int *status, long *syscall)
{
    *syscall = -1;
    if (wait_until(pid, deadline, status) == 1)
        return 1;
    *syscall = syscall_of(pid);
    kill_and_reap(pid);
    return 0;
}

/* A child's end as a status: 0 for exit 0; -1 with errno ENOMEM (a malloc failed in it) or
 * ECHILD (anything else). */
static int child_status(int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    errno = WIFEXITED(status) && WEXITSTATUS(status) == EXIT_OOM ? ENOMEM : ECHILD;
    return -1;
}

/* A page shared with the child, or NULL with errno. */
static void *shared_page(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

/* A thread that waits for ever: a second thread alive, doing nothing. It says it has
 * started, so that whatever its start-up allocates (ASan's thread start-up does, through
 * the same hooks) is done before anything is counted. */
static void *parked(void *arg)
{
    atomic_store((atomic_bool *)arg, true);
    for (;;)
        pause();
    return NULL;
}

/* Start a parked thread with every signal blocked, so that a process-directed signal
 * (the timer's) goes to the caller, and wait until it runs. 0, or an error number. */
static int start_parked(void)
{
    static atomic_bool running;
    sigset_t all, old;
    pthread_t t;
    int err;

    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    err = pthread_create(&t, NULL, parked, &running);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    while (err == 0 && !atomic_load(&running))
        sched_yield();
    return err;
}

/* ---- 1. glibc's malloc in a handler ---- */

/* What a run's child and its parent share: written by the child, read by the parent, also
 * when the child hangs. */
struct run_page {
    volatile sig_atomic_t handled; /* the handler's ticks */
    volatile uint64_t acted;       /* the loop's ticks acted on */
    volatile uint64_t pairs;       /* the loop's malloc + free pairs done */
    volatile uint64_t mallocs;     /* counted, from the timer's start to the end */
    volatile int done;             /* set last: the child ran to its end (its exit status is
                                      not the measure: under memcheck a child that exits
                                      with its parked thread alive reports that thread's
                                      blocks as possibly lost, and its error code) */
};

static struct run_page *run_page; /* the child's, for its handlers */

/* The handler that allocates: malloc and free, as a handler that logs by building a
 * string does. Counts the ticks whose malloc returned. */
static void tick_malloc(int sig)
{
    int saved = errno;
    volatile char *p = malloc(SIGSAFE_BLOCK);

    (void)sig;
    if (p != NULL) {
        p[0] = 1;
        free((void *)p);
        run_page->handled++;
    }
    errno = saved;
}

/* The handler that does only what is async-signal-safe: count the tick. */
static void tick_flag(int sig)
{
    (void)sig;
    run_page->handled++;
}

static void timer_set(unsigned us)
{
    struct itimerval it = {{0, (long)us}, {0, (long)us}};

    setitimer(ITIMER_REAL, &it, NULL);
}

/* One malloc and free of n bytes, written so it is not elided; -1 when the malloc fails. */
static int pair(size_t n)
{
    volatile char *p = malloc(n);

    if (p == NULL)
        return -1;
    p[0] = 1;
    free((void *)p);
    return 0;
}

/* The flag way's work for every tick the handler counted and the loop has not acted on:
 * one malloc each (a record, freed at once). -1 when a malloc fails. */
static int act(void)
{
    while (run_page->acted < (uint64_t)run_page->handled) {
        if (pair(SIGSAFE_RECORD) != 0)
            return -1;
        run_page->acted++;
    }
    return 0;
}

static int run_child(bool thread, enum sigsafe_way way, uint64_t pairs)
{
    struct sigaction sa = {.sa_handler = way == SIGSAFE_MALLOC ? tick_malloc : tick_flag,
                           .sa_flags = SA_RESTART};
    struct countalloc_stats start, d;
    sigset_t alrm;
    int err;

    if (thread && (err = start_parked()) != 0)
        return err == EAGAIN || err == ENOMEM ? EXIT_OOM : EXIT_OTHER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) != 0)
        return EXIT_OTHER;
    countalloc_measure_begin(&start);
    timer_set(SIGSAFE_TICK_US);
    for (uint64_t i = 0; i < pairs; i++) {
        if (pair(SIGSAFE_BLOCK) != 0 || (way == SIGSAFE_FLAG && act() != 0)) {
            timer_set(0);
            return EXIT_OOM;
        }
        run_page->pairs = i + 1;
    }
    timer_set(0);
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    sigprocmask(SIG_BLOCK, &alrm, NULL); /* a tick already pending stays pending */
    if (way == SIGSAFE_FLAG && act() != 0)
        return EXIT_OOM;
    d = countalloc_measure_end(&start);
    run_page->mallocs = d.mallocs;
    run_page->done = 1;
    return 0;
}

int sigsafe_run(bool thread, enum sigsafe_way way, uint64_t pairs, unsigned deadline_ms,
                struct sigsafe_run *r)
{
    struct run_page *page = shared_page(sizeof *page);
    double start;
    int status = 0, rc = 0;
    pid_t pid;

    if (page == NULL)
        return -1;
    *r = (struct sigsafe_run){.syscall = -1};
    start = now_ms();
    if ((pid = fork()) < 0) {
        int err = errno;

        munmap(page, sizeof *page);
        errno = err;
        return -1;
    }
    if (pid == 0) {
        run_page = page;
        _exit(run_child(thread, way, pairs));
    }
    r->finished = settle(pid, start + deadline_ms, &status, &r->syscall) == 1;
    r->ms = now_ms() - start;
    if (r->finished) {
        rc = page->done ? 0 : child_status(status);
        if (rc == 0 && !page->done) {
            errno = ECHILD; /* it exited 0 without running to its end */
            rc = -1;
        }
    }
    r->handled = (uint64_t)page->handled;
    r->acted = page->acted;
    r->pairs = page->pairs;
    r->mallocs = page->mallocs;
    munmap(page, sizeof *page);
    if (rc != 0)
        r->finished = false;
    return rc;
}

/* ---- 2. a lock of our own ---- */

int sigsafe_pool_init(struct sigsafe_pool *p, size_t size, size_t n, int type)
{
    pthread_mutexattr_t attr;

    if (n == 0 || size < sizeof(void *)) {
        errno = EINVAL;
        return -1;
    }
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, type);
    pthread_mutex_init(&p->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    p->free = NULL;
    p->size = size;
    p->n = 0;
    p->taken = 0;
    while (p->n < n) {
        void **b = malloc(size);

        if (b == NULL) {
            sigsafe_pool_destroy(p);
            errno = ENOMEM;
            return -1;
        }
        *b = p->free;
        p->free = b;
        p->n++;
    }
    return 0;
}

void *sigsafe_pool_get(struct sigsafe_pool *p)
{
    void **b;
    int err = pthread_mutex_lock(&p->lock);

    if (err != 0) {
        errno = err;
        return NULL;
    }
    if ((b = p->free) != NULL) {
        p->free = *b;
        p->taken++;
    }
    pthread_mutex_unlock(&p->lock);
    if (b == NULL)
        errno = ENOMEM;
    return b;
}

void sigsafe_pool_put(struct sigsafe_pool *p, void *block)
{
    void **b = block;

    pthread_mutex_lock(&p->lock);
    *b = p->free;
    p->free = b;
    p->taken--;
    pthread_mutex_unlock(&p->lock);
}

void sigsafe_pool_destroy(struct sigsafe_pool *p)
{
    while (p->free != NULL) {
        void **b = p->free;

        p->free = *b;
        free(b);
        p->n--;
    }
    pthread_mutex_destroy(&p->lock);
}

/* The pool the SIGUSR1 handler takes a block from, and what the handler saw. */
static struct sigsafe_pool *reentry_pool;
static volatile sig_atomic_t reentry_err;
static volatile sig_atomic_t *reentry_started; /* the child's: the handler has begun */

static void reenter(int sig)
{
    int saved = errno;
    void *b;

    (void)sig;
    if (reentry_started != NULL)
        *reentry_started = 1;
    b = sigsafe_pool_get(reentry_pool);
    reentry_err = b != NULL ? 0 : errno;
    if (b != NULL)
        sigsafe_pool_put(reentry_pool, b);
    errno = saved;
}

int sigsafe_reentry(struct sigsafe_pool *p)
{
    struct sigaction sa = {.sa_handler = reenter}, old;

    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR1, &sa, &old) != 0)
        return -1;
    reentry_pool = p;
    reentry_err = -1;
    pthread_mutex_lock(&p->lock); /* as inside sigsafe_pool_get */
    raise(SIGUSR1);               /* the handler runs before raise returns */
    pthread_mutex_unlock(&p->lock);
    sigaction(SIGUSR1, &old, NULL);
    reentry_pool = NULL;
    return reentry_err;
}

int sigsafe_reentry_child(unsigned deadline_ms, bool *finished, long *syscall)
{
    volatile sig_atomic_t *started = shared_page(sizeof *started);
    double limit;
    int status = 0, rc = 0;
    pid_t pid;

    if (started == NULL)
        return -1;
    *started = 0;
    if ((pid = fork()) < 0) {
        int err = errno;

        munmap((void *)started, sizeof *started);
        errno = err;
        return -1;
    }
    if (pid == 0) {
        struct sigsafe_pool p;

        if (sigsafe_pool_init(&p, 64, 1, PTHREAD_MUTEX_DEFAULT) != 0)
            _exit(EXIT_OOM);
        reentry_started = started;
        _exit(sigsafe_reentry(&p) == -1 ? EXIT_OTHER : 0); /* it never returns */
    }
    /* the handler's start first (a child that ends before it is an error), then the
     * deadline */
    limit = now_ms() + 10e3;
    while (*started == 0 && now_ms() < limit) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            munmap((void *)started, sizeof *started);
            *finished = true;
            *syscall = -1;
            rc = child_status(status);
            if (rc == 0)
                errno = ECHILD;
            return -1;
        }
        sleep_ms(0.2);
    }
    *finished = settle(pid, now_ms() + deadline_ms, &status, syscall) == 1;
    if (*finished)
        rc = child_status(status);
    munmap((void *)started, sizeof *started);
    return rc;
}

/* ---- 3. fork while a thread holds the lock ---- */

/* The pool pthread_atfork's handlers lock and unlock around a fork: set only while
 * sigsafe_fork_locked(..., atfork true) forks; NULL otherwise, and the handlers do
 * nothing. They are registered once: pthread_atfork has no way to unregister. */
static struct sigsafe_pool *_Atomic atfork_pool;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
static int atfork_err;

static void atfork_prepare(void)
{
    struct sigsafe_pool *p = atomic_load(&atfork_pool);

    if (p != NULL)
        pthread_mutex_lock(&p->lock);
}

static void atfork_release(void)
{
    struct sigsafe_pool *p = atomic_load(&atfork_pool);

    if (p != NULL)
        pthread_mutex_unlock(&p->lock);
}

static void atfork_register(void)
{
    atfork_err = pthread_atfork(atfork_prepare, atfork_release, atfork_release);
}

struct holder {
    struct sigsafe_pool *p;
    sem_t held;      /* posted once the lock is held */
    sem_t release;   /* posted to let it go (no atfork) */
    unsigned hold_ms; /* with atfork: let go after this long */
    double released; /* now_ms() as it let go (read after the join) */
};

static void *hold(void *arg)
{
    struct holder *h = arg;

    pthread_mutex_lock(&h->p->lock);
    sem_post(&h->held);
    if (h->hold_ms > 0)
        sleep_ms(h->hold_ms);
    else
        while (sem_wait(&h->release) != 0)
            ;
    h->released = now_ms();
    pthread_mutex_unlock(&h->p->lock);
    return NULL;
}

/* The child's try: a timed lock of the pool's mutex, its result in a shared page (its exit
 * status is not the measure: under memcheck a child that exits while the holder thread
 * is not in it may report that thread's blocks as lost, and exit with its error code). */
static void try_lock(struct sigsafe_pool *p, unsigned wait_ms, volatile int *rc)
{
    struct timespec until;
    int err;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    until.tv_sec += wait_ms / 1000 + until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    err = pthread_mutex_timedlock(&p->lock, &until);
    if (err == 0)
        pthread_mutex_unlock(&p->lock);
    *rc = err;
}

int sigsafe_fork_locked(struct sigsafe_pool *p, bool atfork, unsigned hold_ms, unsigned wait_ms,
                        struct sigsafe_forked *out)
{
    struct holder h = {.p = p, .hold_ms = atfork ? (hold_ms > 0 ? hold_ms : 1) : 0};
    volatile int *rc = shared_page(sizeof *rc);
    double forked;
    pthread_t tid;
    int err = 0;
    pid_t pid;

    if (rc == NULL)
        return -1;
    *rc = -1;
    if (atfork) {
        pthread_once(&atfork_once, atfork_register);
        err = atfork_err;
    }
    if (err == 0) {
        sem_init(&h.held, 0, 0);
        sem_init(&h.release, 0, 0);
        if ((err = pthread_create(&tid, NULL, hold, &h)) != 0) {
            sem_destroy(&h.held);
            sem_destroy(&h.release);
        }
    }
    if (err != 0) {
        munmap((void *)rc, sizeof *rc);
        errno = err;
        return -1;
    }
    while (sem_wait(&h.held) != 0)
        ;
    if (atfork)
        atomic_store(&atfork_pool, p);
    pid = fork(); /* with atfork: after the prepare handler has the lock */
    if (pid == 0) {
        try_lock(p, wait_ms, rc);
        _exit(0);
    }
    forked = now_ms();
    err = pid < 0 ? errno : 0;
    atomic_store(&atfork_pool, NULL);
    if (pid > 0)
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    if (!atfork)
        sem_post(&h.release); /* only now: the holder kept the lock across the fork */
    pthread_join(tid, NULL);
    out->waited = forked >= h.released;
    sem_destroy(&h.held);
    sem_destroy(&h.release);
    out->lock = *rc;
    munmap((void *)rc, sizeof *rc);
    if (err == 0 && out->lock < 0)
        err = ECHILD; /* the child never tried */
    if (err != 0) {
        errno = err;
        return -1;
    }
    return 0;
}

/* The thread that keeps glibc's arena busy while the main thread forks. */
struct churn {
    atomic_bool stop;
    atomic_ulong pairs;
};

static void *churn(void *arg)
{
    struct churn *c = arg;

    while (!atomic_load(&c->stop)) {
        pair(SIGSAFE_BLOCK); /* a failed malloc (fault injection) is a pair not made */
        atomic_fetch_add(&c->pairs, 1);
    }
    return NULL;
}

int sigsafe_fork_malloc(unsigned forks, unsigned deadline_ms, unsigned *finished)
{
    /* Each child counts its malloc here before it exits: its exit status is not the
     * measure, since under memcheck a child that exits holding the thread's block in
     * flight (the thread is not in the child) reports it as lost and exits with its
     * error code. */
    volatile unsigned *mallocd = shared_page(sizeof *mallocd);
    struct churn c = {.stop = false, .pairs = 0};
    pthread_t tid;
    int err = 0;

    *finished = 0;
    if (mallocd == NULL)
        return -1;
    *mallocd = 0;
    if ((err = pthread_create(&tid, NULL, churn, &c)) != 0) {
        munmap((void *)mallocd, sizeof *mallocd);
        errno = err;
        return -1;
    }
    while (atomic_load(&c.pairs) == 0)
        sched_yield();
    for (unsigned i = 0; i < forks && err == 0; i++) {
        unsigned before = *mallocd;
        int status;
        pid_t pid = fork();

        if (pid < 0) {
            err = errno;
            break;
        }
        if (pid == 0) {
            if (pair(SIGSAFE_BLOCK) != 0)
                _exit(EXIT_OOM);
            (*mallocd)++;
            _exit(0);
        }
        if (wait_until(pid, now_ms() + deadline_ms, &status) == 0)
            kill_and_reap(pid);
        else if (*mallocd == before + 1)
            (*finished)++;
        else if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_OOM)
            err = ENOMEM;
    }
    atomic_store(&c.stop, true);
    pthread_join(tid, NULL);
    munmap((void *)mallocd, sizeof *mallocd);
    if (err != 0) {
        errno = err;
        return -1;
    }
    return 0;
}
