/* aba.c: the ABA problem of a lock-free free list, replayed in one thread. A stack of N
 * nodes A, B, C, ... (lfstack.h) with a naive head (a node pointer) and with a tagged
 * one (an index and a generation): T1 begins a pop and stops before its CAS, T2 pops A,
 * pops B and pushes A back, T1 commits. Then the same with nodes from malloc, where T2
 * frees A and mallocs a new node: what address it gets. No thread races: each step is
 * made in turn, so the output is the same on every run. make aba-04.
 *
 * Usage: aba [N]. N nodes on the stack (default 3, at most 26: A to Z). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lfstack.h"

#define PROG "aba"
#define DEFAULT_N 3
#define MAX_N 26
#define HEAP_NODE 64 /* the malloc'd nodes' size */

/* A node's name: A for index 0; "none" for no node. */
static const char *name(size_t i)
{
    static char buf[MAX_N][2];

    if (i >= MAX_N)
        return "none";
    buf[i][0] = (char)('A' + i);
    buf[i][1] = '\0';
    return buf[i];
}

static void list(const struct lfstack_replay *r)
{
    printf("  %-4s list after T1's pop:", "");
    if (r->listed == 0)
        printf(" empty");
    for (size_t i = 0; i < r->listed && i < sizeof r->order / sizeof r->order[0]; i++)
        printf(" %s", name(r->order[i]));
    printf("\n");
}

static void replay(enum lfstack_kind kind, size_t n)
{
    struct lfstack_replay r;
    bool tagged = kind == LFSTACK_TAGGED;

    if (lfstack_replay(kind, n, &r) != 0)
        cli_oom(PROG, "making the stack");
    if (tagged)
        printf("tagged head: a node's index and a generation in one 64-bit word,\n"
               "every successful push and pop adds 1 to the generation\n");
    else
        printf("naive head: a node pointer; a pop is CAS(head, old, old->next)\n");
    if (tagged)
        printf("  %-4s pop begins: reads head A (generation %u), next B\n", "T1", (unsigned)r.gen_begin);
    else
        printf("  %-4s pop begins: reads head A, next B\n", "T1");
    printf("  %-4s pops A, pops B (keeps B), pushes A: the head is A again", "T2");
    if (tagged)
        printf(", generation %u", (unsigned)r.gen_commit);
    printf("\n");
    if (tagged)
        printf("  %-4s CAS(head, A/%u, B/%u): %s\n", "T1", (unsigned)r.gen_begin,
               (unsigned)r.gen_begin + 1, r.commit_ok ? "succeeds" : "fails, the generation moved");
    else
        printf("  %-4s CAS(head, A, B): %s\n", "T1", r.commit_ok ? "succeeds, the head is B"
                                                                 : "fails");
    if (r.retries > 0)
        printf("  %-4s begins again (%u time%s): takes %s\n", "T1", r.retries,
               r.retries == 1 ? "" : "s", name(r.t1_got));
    else
        printf("  %-4s takes %s\n", "T1", name(r.t1_got));
    list(&r);
    printf("  %-4s the next pop hands out: %s, %s\n", "", name(r.next_pop),
           r.next_pop == r.t2_holds ? "which T2 still holds: one node, two owners"
                                    : "a free node");
    if (tagged && (r.commit_ok || r.next_pop == r.t2_holds || r.t1_got == r.t2_holds)) {
        printf("tagged stack: a node handed out twice: NO (a bug)\n");
        exit(1);
    }
}

int main(int argc, char **argv)
{
    struct lfstack_heap_replay h;
    size_t n = DEFAULT_N;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = (size_t)cli_u64(PROG, "N", argv[1], 3, MAX_N);

    printf("A lock-free stack (lfstack.h) of %zu nodes from one block, A on top, then B, C ...\n"
           "T1 begins a pop and stops before its CAS; T2 runs; T1 resumes. One thread plays both.\n\n",
           n);
    replay(LFSTACK_NAIVE, n);
    printf("\n");
    replay(LFSTACK_TAGGED, n);
    printf("\n");

    if (lfstack_replay_heap(HEAP_NODE, &h) != 0)
        cli_oom(PROG, "allocating the nodes");
    printf("nodes from malloc (%d B each), naive head: A on top, then B, C\n", HEAP_NODE);
    printf("  %-4s pop begins: reads head A, next B\n", "T1");
    printf("  %-4s pops A, pops B (keeps B), frees A, mallocs %d B: %s\n", "T2", HEAP_NODE,
           h.same_address ? "the same address as A" : "a new address");
    printf("  %-4s pushes it: the head %s\n", "T2",
           h.same_address ? "has A's address again" : "is a node T1 never read");
    printf("  %-4s CAS(head, A, B): %s\n", "T1",
           h.commit_ok ? (h.head_is_held ? "succeeds, the head is B, which T2 holds"
                                         : "succeeds")
                       : "fails, the address differs");
    return 0;
}
