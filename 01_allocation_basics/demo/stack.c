/* stack.c: the stack against the heap: its limit, what a VLA or alloca costs, and an
 * overflow, shown in child processes that die of it while this one reports.
 *
 *   stack [KIB]    the child's stack limit for the overflow (default 1,024)
 *
 * make stack-01. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "countalloc.h"
#include "limits.h"
#include "report.h"
#include "stackmem.h"

#define PROG "stack"
#define SCRATCH 4096

static const char *signal_name(int sig)
{
    return sig == 0 ? "none, it returned" : sig == SIGSEGV ? "SIGSEGV" : strsignal(sig);
}

static void big_vla(void *arg)
{
    volatile uint64_t sum = stackmem_vla(*(size_t *)arg);
    (void)sum;
}

static void big_alloca(void *arg)
{
    volatile uint64_t sum = stackmem_alloca(*(size_t *)arg);
    (void)sum;
}

/* One scratch version, counted: allocations, and the sum it returned. */
static void scratch_row(const char *name, int which)
{
    struct countalloc_stats b, a, d;
    uint64_t sum = 0;
    int rc = 0;

    countalloc_read(&b);
    if (which == 0)
        sum = stackmem_vla(SCRATCH);
    else if (which == 1)
        sum = stackmem_alloca(SCRATCH);
    else
        rc = stackmem_heap(SCRATCH, &sum);
    countalloc_read(&a);
    d = countalloc_diff(&a, &b);
    if (rc != 0)
        cli_oom(PROG, "allocating the heap scratch");
    printf("  %-26s %11llu  %s\n", name, (unsigned long long)d.mallocs,
           which < 2 ? "none: too big is a crash, not an error"
                     : "NULL, checked: -1 to the caller");
}

/* The stack size glibc gives a new thread by default (RLIMIT_STACK's, when it is set). */
static size_t thread_stack(void)
{
    pthread_attr_t attr;
    size_t size = 0;

    if (pthread_getattr_default_np(&attr) == 0) {
        pthread_attr_getstacksize(&attr, &size);
        pthread_attr_destroy(&attr);
    }
    return size;
}

int main(int argc, char **argv)
{
    uint64_t kib = 1024, limit = limits_stack_limit();
    struct limits_overflow o;
    size_t big;
    char a[32], b[32];
    int sig;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[KIB]");
    if (argc == 2)
        kib = cli_u64(PROG, "KIB", argv[1], 64, 1024 * 1024);
    printf("RLIMIT_STACK (ulimit -s) here: %s; the main thread's stack may grow that far\n",
           limit == UINT64_MAX ? "unlimited" : report_bytes((double)limit, a, sizeof a));
    printf("a new thread's stack by default: %s (pthread_attr_setstacksize to change it)\n\n",
           report_bytes((double)thread_stack(), b, sizeof b));

    if (limits_overflow_in_child(kib * 1024, &o) != 0) {
        fprintf(stderr, "%s: the child process failed\n", PROG);
        return 1;
    }
    printf("a child lowers its limit to %s and recurses with %s-byte frames:\n",
           report_bytes((double)kib * 1024, a, sizeof a), report_count(LIMITS_FRAME, b, sizeof b));
    printf("  it died of %s; its frames had taken more than 90%% of the limit: %s\n",
           signal_name(o.signal), o.used > kib * 1024 / 10 * 9 ? "yes" : "no");

    printf("\n%s bytes of scratch three ways   allocations  when it does not fit\n",
           report_count(SCRATCH, b, sizeof b));
    scratch_row("VLA: char buf[n]", 0);
    scratch_row("alloca(n)", 1);
    scratch_row("malloc(n)", 2);
    if (limit == UINT64_MAX || limit > (uint64_t)1 << 30) {
        printf("the stack is unlimited here: no VLA of twice the limit to try\n");
        return 0;
    }
    big = (size_t)(2 * limit);
    printf("\nscratch of twice RLIMIT_STACK (%s), each in a child:\n",
           report_bytes((double)big, a, sizeof a));
    sig = limits_signal_in_child(big_vla, &big);
    printf("  %-26s the child died of %s\n", "VLA", signal_name(sig));
    sig = limits_signal_in_child(big_alloca, &big);
    printf("  %-26s the child died of %s\n", "alloca", signal_name(sig));
    {
        uint64_t sum;
        printf("  %-26s %s\n", "malloc", stackmem_heap(big, &sum) == 0 ? "granted, used, freed"
                                                                      : "NULL, reported");
    }
    return 0;
}
