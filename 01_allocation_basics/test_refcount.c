/* test_refcount.c: lesson 01's reference counting (refcount.h). A node is one allocation
 * and the last release frees it inside the call; a parent and n children are n + 2
 * allocations either way; with weak back-pointers the last outside release frees all of
 * them at once, with strong ones it frees nothing until the cycle is broken; every
 * allocation failed in turn leaks nothing, the half-built cycle included. Then the demo's
 * arguments and at-exit report, and memcheck's report of misuse/refcycle's leaked cycle. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "beside.h"
#include "cli_assert.h"
#include "cli.h"
#include "refcount.h"

#define NODE sizeof(struct rc_node)
#define SLOT sizeof(struct rc_node *)

/* What rc_tree_new(n, ...) allocates: the nodes, and the kids block when n > 0. */
static uint64_t tree_blocks(size_t n)
{
    return n == 0 ? 1 : n + 2;
}

static uint64_t tree_bytes(size_t n)
{
    return (n + 1) * NODE + n * SLOT;
}

/* d: what a step freed, which should be the whole tree of n children, inside the step. */
static void freed_whole_tree(const struct countalloc_stats *d, size_t n, const char *step)
{
    cr_assert(eq(u64, d->frees, tree_blocks(n)), "%zu children: expected %s to free all %llu blocks, saw %llu frees",
              n, step, (unsigned long long)tree_blocks(n), (unsigned long long)d->frees);
    cr_assert(eq(i64, d->heap_alloc, -(int64_t)tree_bytes(n)), "%zu children: %s: bytes freed", n, step);
    cr_assert(eq(u64, d->mallocs, 0), "%zu children: %s allocates nothing", n, step);
}

static const size_t sizes[] = {0, 1, 3, 8, 100};
#define NSIZES (sizeof sizes / sizeof sizes[0])

Test(refcount, a_new_node_is_one_allocation_with_a_count_of_one)
{
    struct rc_node *n = NULL;

    ASSERT_ALLOCS(n = rc_new(), 1, NODE);
    cr_assert(n != NULL);
    cr_assert(eq(sz, n->refs, 1));
    cr_assert(eq(ptr, n->parent, NULL));
    cr_assert(eq(sz, n->nkids, 0));
    rc_release(n);
}

Test(refcount, only_the_last_release_frees_and_it_frees_inside_the_call)
{
    struct rc_node *n = rc_new();
    struct countalloc_stats d;

    cr_assert(n != NULL);
    ASSERT_NO_ALLOCS(rc_retain(rc_retain(n)));
    cr_assert(eq(sz, n->refs, 3));
    ALLOC_MEASURE(rc_release(n); rc_release(n), d);
    cr_assert(eq(u64, d.frees, 0), "two of three references given back: nothing freed, saw %llu frees",
              (unsigned long long)d.frees);
    cr_assert(eq(sz, n->refs, 1));
    ALLOC_MEASURE(rc_release(n), d);
    cr_assert(eq(u64, d.frees, 1), "the last release frees the node at once");
    cr_assert(eq(i64, d.heap_alloc, -(int64_t)NODE));
    ASSERT_NO_ALLOCS(rc_release(NULL));
}

Test(refcount, a_parent_and_n_children_are_n_plus_2_allocations_either_way)
{
    for (int strong = 0; strong <= 1; strong++) {
        for (size_t i = 0; i < NSIZES; i++) {
            struct rc_node *p = NULL;

            ASSERT_ALLOCS(p = rc_tree_new(sizes[i], strong), tree_blocks(sizes[i]), tree_bytes(sizes[i]));
            cr_assert(p != NULL);
            cr_assert(eq(sz, p->nkids, sizes[i]));
            cr_assert(eq(sz, p->refs, 1 + (strong ? sizes[i] : 0)),
                      "%zu children, %s: the caller's reference%s", sizes[i], strong ? "strong" : "weak",
                      strong ? " and one per child" : "");
            for (size_t k = 0; k < p->nkids; k++) {
                cr_assert(eq(ptr, p->kids[k]->parent, p));
                cr_assert(eq(sz, p->kids[k]->refs, 1), "each child is held by its parent alone");
            }
            rc_unlink(p);
            rc_release(p);
        }
    }
}

/* A tree of n children built, and the caller's reference released: what the release
 * freed. *p keeps the parent's address, uncounted (freed or not, as the counts say). */
static struct countalloc_stats build_and_release(size_t n, bool strong, struct rc_node **p)
{
    struct countalloc_stats d;

    *p = rc_tree_new(n, strong);
    cr_assert(p[0] != NULL, "rc_tree_new(%zu, %s) failed", n, strong ? "strong" : "weak");
    ALLOC_MEASURE(rc_release(*p), d);
    return d;
}

Test(refcount, with_weak_back_pointers_the_last_release_frees_every_block_at_once)
{
    struct rc_node *p;

    for (size_t i = 0; i < NSIZES; i++) {
        struct countalloc_stats d = build_and_release(sizes[i], false, &p);

        freed_whole_tree(&d, sizes[i], "the last release");
    }
}

Test(refcount, with_strong_back_pointers_the_last_release_frees_nothing)
{
    struct rc_node *p;

    for (size_t i = 1; i < NSIZES; i++) {
        struct countalloc_stats d = build_and_release(sizes[i], true, &p);

        cr_assert(eq(u64, d.frees, 0),
                  "%zu children: the cycle should keep every block, but the release freed %llu", sizes[i],
                  (unsigned long long)d.frees);
        cr_assert(eq(sz, p->refs, sizes[i]), "the parent's count is one per child");
        ALLOC_MEASURE(rc_unlink(p), d);
        freed_whole_tree(&d, sizes[i], "breaking the cycle (rc_unlink)");
    }
}

Test(refcount, a_parent_with_no_child_is_no_cycle)
{
    struct rc_node *p;
    struct countalloc_stats d = build_and_release(0, true, &p);

    freed_whole_tree(&d, 0, "the last release of a strong tree with no child");
}

Test(refcount, unlinking_while_the_caller_holds_a_reference_frees_nothing_until_its_release)
{
    struct rc_node *p = rc_tree_new(4, true);
    struct countalloc_stats d;

    cr_assert(p != NULL);
    ALLOC_MEASURE(rc_unlink(p), d);
    cr_assert(eq(u64, d.frees, 0));
    cr_assert(eq(sz, p->refs, 1), "only the caller's reference is left");
    for (size_t k = 0; k < p->nkids; k++)
        cr_assert(eq(ptr, p->kids[k]->parent, NULL), "child %zu's back-pointer cleared", k);
    ALLOC_MEASURE(rc_release(p), d);
    cr_assert(eq(u64, d.frees, tree_blocks(4)));
}

Test(refcount, a_child_held_outside_outlives_its_parent_and_its_weak_pointer_is_cleared)
{
    struct rc_node *p = rc_tree_new(3, false), *kid;
    struct countalloc_stats d;

    cr_assert(p != NULL);
    kid = rc_retain(p->kids[0]);
    ALLOC_MEASURE(rc_release(p), d);
    cr_assert(eq(u64, d.frees, tree_blocks(3) - 1), "all but the child held outside");
    cr_assert(eq(ptr, kid->parent, NULL), "a weak back-pointer never dangles");
    cr_assert(eq(sz, kid->refs, 1));
    ALLOC_MEASURE(rc_release(kid), d);
    cr_assert(eq(u64, d.frees, 1));
}

Test(refcount, adopting_grows_the_kids_block_by_doubling_from_4)
{
    struct rc_node *p = rc_new(), *kids[9];
    struct countalloc_stats d;

    cr_assert(p != NULL);
    for (size_t i = 0; i < 9; i++) {
        kids[i] = rc_new();
        cr_assert(kids[i] != NULL);
    }
    for (size_t i = 0; i < 9; i++) {
        size_t cap = i == 0 ? 4 : i == 4 ? 8 : i == 8 ? 16 : 0; /* a growth, or none */

        ALLOC_MEASURE(cr_assert(eq(int, rc_adopt(p, kids[i], true), 0)), d);
        cr_assert(eq(u64, d.mallocs, cap ? 1 : 0), "child %zu: allocations", i + 1);
        cr_assert(eq(u64, d.total_alloc, cap * SLOT), "child %zu: bytes", i + 1);
        cr_assert(eq(u64, d.frees, cap && i > 0 ? 1 : 0), "child %zu: a realloc that grows frees the old block",
                  i + 1);
        rc_release(kids[i]);
    }
    cr_assert(eq(sz, p->refs, 1 + 9));
    rc_release(p);
    ALLOC_MEASURE(rc_unlink(p), d);
    cr_assert(eq(u64, d.frees, 1 + 1 + 9), "the parent, its kids block, 9 children");
}

Test(refcount, adopting_a_child_that_has_a_parent_is_refused_and_changes_nothing)
{
    struct rc_node *a = rc_new(), *b = rc_new(), *kid = rc_new();
    int rc = 0;

    cr_assert(a != NULL && b != NULL && kid != NULL);
    cr_assert(eq(int, rc_adopt(a, kid, false), 0));
    errno = 0;
    ASSERT_NO_ALLOCS(rc = rc_adopt(b, kid, true));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(ptr, kid->parent, a));
    cr_assert(eq(sz, b->nkids, 0));
    cr_assert(eq(sz, b->refs, 1));
    cr_assert(eq(int, rc_adopt(a, a, false), -1), "a node cannot adopt itself");
    rc_release(kid);
    rc_release(b);
    rc_release(a);
}

Test(refcount, a_failed_adopt_leaves_both_nodes_as_they_were)
{
    struct rc_node *p = rc_tree_new(4, true), *kid = rc_new();
    int rc = 0;

    SKIP_WITHOUT_INJECTION();
    cr_assert(p != NULL && kid != NULL);
    cr_assert(eq(sz, p->nkids, p->cap), "the kids block is full: the next adopt must grow it");
    countalloc_fail_at(1, false);
    ASSERT_NO_LEAK(rc = rc_adopt(p, kid, true));
    countalloc_fail_off();
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(sz, p->nkids, 4));
    cr_assert(eq(sz, p->refs, 1 + 4));
    cr_assert(eq(ptr, kid->parent, NULL));
    cr_assert(eq(sz, kid->refs, 1));
    rc_release(kid);
    rc_unlink(p);
    rc_release(p);
}

/* Both trees built, released, the cycle broken: 0, or -1 when a build failed. */
static int job_trees(void *ctx)
{
    struct rc_node *weak = rc_tree_new(5, false), *strong = rc_tree_new(5, true);
    int rc = weak != NULL && strong != NULL ? 0 : -1;

    (void)ctx;
    rc_release(weak);
    if (strong != NULL) {
        rc_release(strong);
        rc_unlink(strong);
    }
    return rc;
}

Test(refcount, every_failed_allocation_of_the_builder_is_reported_and_frees_what_it_took)
{
    ASSERT_NO_LEAK(job_trees(NULL));
    ASSERT_SWEEP_CLEAN(job_trees, NULL);
}

/* A tree grown child by child: the kids block reallocated on the way. */
static int job_adopt(void *ctx)
{
    struct rc_node *p = rc_new(), *kid;
    int rc = -1;

    (void)ctx;
    if (p == NULL)
        return -1;
    for (int i = 0; i < 10; i++) {
        if ((kid = rc_new()) == NULL)
            goto out;
        if (rc_adopt(p, kid, true) != 0) {
            rc_release(kid);
            goto out;
        }
        rc_release(kid);
    }
    rc = 0;
out:
    rc_unlink(p);
    rc_release(p);
    return rc;
}

Test(refcount, every_failed_allocation_of_adopting_one_by_one_is_reported_and_frees_what_it_took)
{
    ASSERT_SWEEP_CLEAN(job_adopt, NULL);
}

/* ---- the programs: demo/refcount and misuse/refcycle, beside the test binary ---- */

Test(refcount_demo, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-1", "100001", "1x", "--bogus", "99999999999999999999999"};
    static const char *const extra[] = {"1 2"};

    ASSERT_BAD_ARGUMENTS("demo/refcount", "N must be a whole number from 1 to 100,000", bad);
    ASSERT_BAD_ARGUMENTS("demo/refcount", "too many arguments", extra);
}

Test(refcount_demo, the_demo_breaks_its_cycle_and_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/refcount", "20");
}

static void need_valgrind(void)
{
    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
    if (system("command -v valgrind >/dev/null") != 0)
        cr_skip_test("valgrind is not installed (make deps)");
}

/* A cycle with no pointer from outside: memcheck starts from one block of it, calls that one
 * definitely lost and the rest indirectly lost, as it would for a tree whose root was lost.
 * The same on Valgrind 3.19 and 3.24. misuse/refcycle.c leaks rc_tree_new(3, true). */
Test(refcount_misuse, memcheck_calls_one_block_of_a_leaked_cycle_definitely_lost_and_the_rest_indirectly,
     NATIVE_ONLY("the misuse program runs under a memcheck of its own"))
{
    static char out[OUT_MAX];
    char want[128];
    const size_t kids = 3;

    need_valgrind();
    cr_assert(eq(int, run("valgrind --leak-check=full --error-exitcode=99", "misuse/refcycle", "", out), 99),
              "a definite leak is an error: exit status 99 expected:\n%s", out);
    snprintf(want, sizeof want, "definitely lost: %zu bytes in 1 blocks", NODE);
    cr_assert(strstr(out, want) != NULL, "expected \"%s\" (one node) in:\n%s", want, out);
    snprintf(want, sizeof want, "indirectly lost: %zu bytes in %zu blocks", kids * NODE + kids * SLOT, kids + 1);
    cr_assert(strstr(out, want) != NULL, "expected \"%s\" (the children and the kids block) in:\n%s", want, out);
    snprintf(want, sizeof want, "%zu (%zu direct, %zu indirect) bytes in 1 blocks are definitely lost", tree_bytes(kids),
             NODE, tree_bytes(kids) - NODE);
    cr_assert(strstr(out, want) != NULL, "expected \"%s\" in:\n%s", want, out);
    cr_assert(strstr(out, "possibly lost: 0 bytes in 0 blocks") != NULL &&
                  strstr(out, "still reachable: 0 bytes in 0 blocks") != NULL,
              "no pointer from outside reaches the cycle:\n%s", out);
    cr_assert(strstr(out, ": rc_tree_new (refcount.c:") != NULL && strstr(out, ": build_and_drop (refcycle.c:"),
              "the loss record names where the block was allocated:\n%s", out);
}
