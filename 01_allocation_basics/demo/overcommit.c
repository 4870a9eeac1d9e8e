/* overcommit.c: why malloc rarely returns NULL on Linux, and how to make it.
 *
 *   overcommit [MIB]    the address-space headroom of the last experiment (default 64)
 *
 * Each experiment runs in a child process (limits.h): blocks are asked for and never
 * touched, so the kernel has promised address space, not memory. make overcommit-01. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "limits.h"
#include "report.h"

#define PROG "overcommit"
#define MIB ((uint64_t)1 << 20)

static const char *const policy_name[] = {
    "0, heuristic: a single request larger than RAM + swap is refused, anything less granted",
    "1, always: every request the address space can hold is granted",
    "2, never: requests past CommitLimit (swap + a share of RAM) are refused",
};

static void row(const char *what, unsigned count, const struct limits_try *t)
{
    char rss[32];

    printf("  %-48s %2u of %-2u  %-7s %15s\n", what, t->granted, count,
           t->error == 0 ? "-" : t->error == ENOMEM ? "ENOMEM" : strerror(t->error),
           report_bytes((double)t->rss_grown, rss, sizeof rss));
}

static void try(uint64_t headroom, uint64_t size, unsigned count, const char *what,
                struct limits_try *t)
{
    if (limits_try_malloc(headroom, (size_t)size, count, t) != 0) {
        fprintf(stderr, "%s: the child process failed (%s)\n", PROG, what);
        exit(1);
    }
    row(what, count, t);
}

int main(int argc, char **argv)
{
    uint64_t headroom = 64, machine;
    int policy;
    struct limits_try t;
    char a[32], b[32], what[64];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[MIB]");
    if (argc == 2)
        headroom = cli_u64(PROG, "MIB", argv[1], 1, 1024 * 1024);
    machine = limits_mem_total() + limits_swap_total();
    policy = limits_overcommit_policy();
    printf("vm.overcommit_memory = %s\n", policy >= 0 ? policy_name[policy] : "unreadable");
    printf("RAM + swap here: %s (MemTotal %s)\n\n", report_bytes((double)machine, a, sizeof a),
           report_bytes((double)limits_mem_total(), b, sizeof b));
    printf("  %-48s %8s  %-7s %15s\n", "malloc, no page touched (in a child)", "granted", "errno",
           "resident added");
    try(0, machine / 4 * 3, 4, "4 blocks of 3/4 of RAM + swap (3x the machine)", &t);
    try(0, machine * 2, 1, "1 block of twice RAM + swap", &t);
    printf("\nthe same child with setrlimit(RLIMIT_AS) %llu MiB above what it has mapped:\n",
           (unsigned long long)headroom);
    snprintf(what, sizeof what, "2 blocks of %llu MiB", (unsigned long long)headroom / 4);
    try(headroom * MIB, headroom / 4 * MIB, 2, what, &t);
    snprintf(what, sizeof what, "1 block of %llu MiB", (unsigned long long)headroom * 4);
    try(headroom * MIB, headroom * 4 * MIB, 1, what, &t);
    printf("  then lesson 01's vec_reserve of %llu MiB: %s\n", (unsigned long long)headroom * 4,
           t.vec_reserve_rc == 0 ? "granted"
                                 : "-1, out of memory, the array as it was: the NULL check ran");
    printf("\nthe OOM killer's view of this process: oom_score %d, oom_score_adj %d\n",
           limits_oom_score("/proc/self/oom_score"), limits_oom_score("/proc/self/oom_score_adj"));
    return 0;
}
