/* refcount.c: when reference counting frees memory, and what a cycle does to it
 * (refcount.h). A parent and N children, built with weak back-pointers and then with
 * strong ones; each step counted: allocations, frees, and the blocks and bytes it leaves
 * in use. make refcount-01. Usage: refcount [N], N children (8 unless given). */
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "countalloc.h"
#include "refcount.h"
#include "report.h"

#include <valgrind/valgrind.h>

#define PROG "refcount"
#define MAX_N 100000

struct step {
    const char *what, *note;
    struct countalloc_stats d; /* the step's own counts */
};

/* The steps' counts, with what is in use after each since the first began. */
static void table(const char *title, const struct step *s, size_t n)
{
    int64_t blocks = 0, bytes = 0;
    char a[32], f[32], b[32], by[32];

    printf("\n%s\n  %-46s %7s %7s %20s\n", title, "", "allocs", "frees", "in use after");
    for (size_t i = 0; i < n; i++) {
        blocks += s[i].d.heap_objects;
        bytes += s[i].d.heap_alloc;
        printf("  %-46s %7s %7s %6s blocks %5s B   %s\n", s[i].what,
               report_count(s[i].d.mallocs, a, sizeof a), report_count(s[i].d.frees, f, sizeof f),
               report_count((unsigned long long)blocks, b, sizeof b),
               report_count((unsigned long long)bytes, by, sizeof by), s[i].note);
    }
}

int main(int argc, char **argv)
{
    struct countalloc_stats start;
    struct step weak[2], strong[3];
    struct rc_node *p;
    size_t n = 8, refs;
    char line[128];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = (size_t)cli_u64(PROG, "N", argv[1], 1, MAX_N);

    printf("a parent and %zu children, reference counted (refcount.h): each node one block of\n"
           "%zu bytes, the parent's array of %zu child pointers one more of %zu\n",
           n, sizeof(struct rc_node), n, n * sizeof(struct rc_node *));
    if (RUNNING_ON_VALGRIND)
        printf("under Valgrind its allocator serves the blocks and the counts below read 0\n");

    weak[0].what = "rc_tree_new(N, weak)";
    weak[0].note = "the parent, its array, the children";
    countalloc_measure_begin(&start);
    p = rc_tree_new(n, false);
    weak[0].d = countalloc_measure_end(&start);
    if (p == NULL)
        cli_oom(PROG, "building the tree with weak back-pointers");
    weak[1].what = "rc_release(parent): the last outside reference";
    weak[1].note = "all freed, inside this call";
    countalloc_measure_begin(&start);
    rc_release(p);
    weak[1].d = countalloc_measure_end(&start);

    strong[0].what = "rc_tree_new(N, strong)";
    strong[0].note = weak[0].note;
    countalloc_measure_begin(&start);
    p = rc_tree_new(n, true);
    strong[0].d = countalloc_measure_end(&start);
    if (p == NULL)
        cli_oom(PROG, "building the tree with strong back-pointers");
    strong[1].what = weak[1].what;
    countalloc_measure_begin(&start);
    rc_release(p); /* p stays in hand, uncounted, as a cycle collector finds its garbage */
    strong[1].d = countalloc_measure_end(&start);
    refs = p->refs;
    snprintf(line, sizeof line, "none freed: the parent's count is %zu, one per child", refs);
    strong[1].note = line;
    strong[2].what = "rc_unlink(parent): the back-pointers dropped";
    strong[2].note = "the cycle broken: all freed";
    countalloc_measure_begin(&start);
    rc_unlink(p);
    strong[2].d = countalloc_measure_end(&start);

    table("children point back with a weak (uncounted) pointer: no cycle", weak, 2);
    table("children point back with a strong (counted) pointer: a cycle", strong, 3);
    return 0;
}
