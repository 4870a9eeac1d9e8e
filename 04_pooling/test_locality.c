/* test_locality.c: the list of locality.h, built five ways. Each way's allocations and
 * bytes, worked out here from the sizes of its parts; the walk's sum, n(n-1)/2 every way;
 * the shuffled list a permutation of its nodes; the arena's nodes one after the other;
 * the OOM sweep of every way; make locality-04's bad arguments. Times are the demo's
 * business, not the tests'. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli.h"
#include "cli_assert.h"
#include "locality.h"

#define N 1000
#define SEED 7
#define NODE sizeof(struct loc_node)

static uint64_t expected_sum(size_t n)
{
    return (uint64_t)n * (n - 1) / 2;
}

/* The churn's bytes for n nodes: blocks 0 .. LOC_CHURN_LIVE + n - 1, by the size table. */
static uint64_t churn_bytes(size_t n)
{
    uint64_t b = 0;

    for (size_t k = 0; k < LOC_CHURN_LIVE + n; k++)
        b += loc_churn_sizes[k % LOC_CHURN_KINDS];
    return b;
}

static void build(struct loc_list *l, enum loc_way way, size_t n)
{
    cr_assert(eq(int, loc_build(l, way, n, SEED), 0), "%s: loc_build(%zu) failed", loc_way_name(way), n);
}

/* loc_free gives back exactly what the list held: `bytes` in `blocks` blocks. */
static void free_all(struct loc_list *l, uint64_t bytes, uint64_t blocks)
{
    struct countalloc_stats d;

    ALLOC_MEASURE(loc_free(l), d);
    cr_assert(eq(i64, d.heap_alloc, -(int64_t)bytes), "loc_free: the heap should shrink by %llu bytes",
              (unsigned long long)bytes);
    cr_assert(eq(i64, d.heap_objects, -(int64_t)blocks), "loc_free: %llu blocks should go",
              (unsigned long long)blocks);
    cr_assert(eq(u64, d.mallocs, 0), "loc_free allocates nothing");
}

Test(locality, malloc_in_order_takes_one_allocation_per_node)
{
    struct loc_list l;

    ASSERT_ALLOCS(build(&l, LOC_MALLOC_ORDER, N), N, N * NODE);
    free_all(&l, N * NODE, N);
}

Test(locality, malloc_shuffled_takes_the_nodes_and_one_scratch_array_it_frees)
{
    struct loc_list l;
    struct countalloc_stats d;

    ALLOC_MEASURE(build(&l, LOC_MALLOC_SHUFFLED, N), d);
    cr_assert(eq(u64, d.mallocs, N + 1), "n nodes and the array of n pointers");
    cr_assert(eq(u64, d.total_alloc, N * NODE + N * sizeof(void *)));
    cr_assert(eq(u64, d.frees, 1), "the scratch array is freed before loc_build returns");
    cr_assert(eq(i64, d.heap_alloc, (int64_t)(N * NODE)), "only the nodes stay live");
    free_all(&l, N * NODE, N);
}

Test(locality, malloc_aged_takes_the_nodes_and_the_churn_and_keeps_only_the_nodes)
{
    struct loc_list l;
    struct countalloc_stats d;

    ALLOC_MEASURE(build(&l, LOC_MALLOC_AGED, N), d);
    cr_assert(eq(u64, d.mallocs, N + LOC_CHURN_LIVE + N), "n nodes, the live churn, one churn block per node");
    cr_assert(eq(u64, d.total_alloc, N * NODE + churn_bytes(N)));
    cr_assert(eq(u64, d.frees, LOC_CHURN_LIVE + N), "every churn block is freed");
    cr_assert(eq(i64, d.heap_alloc, (int64_t)(N * NODE)), "only the nodes stay live");
    free_all(&l, N * NODE, N);
}

Test(locality, the_arena_takes_one_chunk_for_all_the_nodes)
{
    struct loc_list l;

    ASSERT_ALLOCS(build(&l, LOC_ARENA, N), 1, loc_arena_chunk(N));
    cr_assert(ge(sz, loc_arena_chunk(N), N * NODE), "the chunk holds every node");
    free_all(&l, loc_arena_chunk(N), 1);
}

Test(locality, the_array_takes_one_allocation_of_n_values)
{
    struct loc_list l;

    ASSERT_ALLOCS(build(&l, LOC_ARRAY, N), 1, N * sizeof(uint64_t));
    free_all(&l, N * sizeof(uint64_t), 1);
}

Test(locality, an_empty_list_allocates_nothing_and_sums_to_zero)
{
    for (int w = 0; w < LOC_WAYS; w++) {
        struct loc_list l;

        ASSERT_NO_ALLOCS(build(&l, (enum loc_way)w, 0));
        cr_assert(eq(u64, loc_sum(&l), 0), "%s", loc_way_name((enum loc_way)w));
        cr_assert(eq(sz, loc_near_links(&l), 0));
        loc_free(&l);
    }
}

Test(locality, every_way_sums_to_the_same_and_the_walk_allocates_nothing)
{
    static const size_t sizes[] = {1, 2, 3, 100, N};

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int w = 0; w < LOC_WAYS; w++) {
            struct loc_list l;
            uint64_t s = 0;

            build(&l, (enum loc_way)w, sizes[i]);
            cr_assert(eq(sz, l.n, sizes[i]));
            ASSERT_NO_ALLOCS(s = loc_sum(&l));
            cr_assert(eq(u64, s, expected_sum(sizes[i])), "%s, n = %zu: sum", loc_way_name((enum loc_way)w),
                      sizes[i]);
            loc_free(&l);
        }
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

    return (x > y) - (x < y);
}

/* The list's nodes in walk order, into v[0..n); the count walked. */
static size_t collect(const struct loc_list *l, uintptr_t *v, size_t max)
{
    size_t k = 0;

    for (const struct loc_node *p = l->head; p != NULL && k < max + 1; p = p->next, k++)
        if (k < max)
            v[k] = (uintptr_t)p;
    return k;
}

Test(locality, the_shuffled_list_walks_every_node_once_in_a_new_order)
{
    struct loc_list l;
    static uintptr_t v[N];
    size_t k, in_order = 0;

    build(&l, LOC_MALLOC_SHUFFLED, N);
    k = collect(&l, v, N);
    cr_assert(eq(sz, k, N), "the walk visits n nodes and ends");
    for (size_t i = 0; i < N; i++)
        cr_assert(eq(u64, ((const struct loc_node *)v[i])->value, i), "node %zu holds its position", i);
    for (size_t i = 1; i < N; i++)
        in_order += v[i] > v[i - 1];
    cr_assert(lt(sz, in_order, N - 1), "a shuffle of %d nodes left them in address order", N);
    qsort(v, N, sizeof v[0], by_address);
    for (size_t i = 1; i < N; i++)
        cr_assert(ne(u64, v[i], v[i - 1]), "a node appears twice in the walk");
    loc_free(&l);
}

Test(locality, the_arenas_nodes_lie_one_after_another)
{
    struct loc_list l;
    size_t step = (NODE + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;

    build(&l, LOC_ARENA, N);
    for (const struct loc_node *p = l.head; p->next != NULL; p = p->next)
        cr_assert(eq(u64, (uintptr_t)p->next - (uintptr_t)p, step), "node %llu: next is not one node on",
                  (unsigned long long)p->value);
    cr_assert(eq(sz, loc_near_links(&l), N - 1), "every link of the arena's list is near");
    loc_free(&l);
}

Test(locality, near_links_count_only_forward_steps_within_loc_near)
{
    static _Alignas(16) struct loc_node v[8];
    struct loc_node *far = &v[1 + LOC_NEAR / NODE]; /* LOC_NEAR bytes after v[1] */
    struct loc_list l = {.way = LOC_MALLOC_ORDER, .n = 4, .head = &v[0]};

    v[0].next = &v[1]; /* one node on: near */
    v[1].next = far;   /* LOC_NEAR on: near */
    far->next = &v[2]; /* backwards: not near */
    v[2].next = NULL;
    cr_assert(eq(sz, loc_near_links(&l), 2), "two steps forward are near, the step back is not");
    l.head = &v[2];
    cr_assert(eq(sz, loc_near_links(&l), 0), "a single node has no links");
}

Test(locality, a_list_too_large_to_count_fails_without_allocating)
{
    struct loc_list l;
    int rc = 0;

    ASSERT_NO_ALLOCS(rc = loc_build(&l, LOC_ARRAY, SIZE_MAX / 2, SEED));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(sz, l.n, 0));
    loc_free(&l);
}

/* The sweeps' job: one way's list built, checked and freed; -1 when the build failed. */
struct sweep_job {
    enum loc_way way;
};

static int build_job(void *ctx)
{
    struct sweep_job *j = ctx;
    struct loc_list l;
    int ok;

    if (loc_build(&l, j->way, 40, SEED) != 0) {
        cr_assert(eq(sz, l.n, 0), "a failed build leaves the list empty");
        cr_assert(eq(u64, loc_sum(&l), 0));
        loc_free(&l);
        return -1;
    }
    ok = loc_sum(&l) == expected_sum(40);
    loc_free(&l);
    return ok ? 0 : -2;
}

Test(locality_oom, malloc_in_order_frees_its_nodes_when_one_fails)
{
    struct sweep_job j = {LOC_MALLOC_ORDER};
    ASSERT_SWEEP_CLEAN(build_job, &j);
}

Test(locality_oom, malloc_shuffled_frees_its_nodes_and_scratch_when_one_fails)
{
    struct sweep_job j = {LOC_MALLOC_SHUFFLED};
    ASSERT_SWEEP_CLEAN(build_job, &j);
}

Test(locality_oom, malloc_aged_frees_its_nodes_and_churn_when_one_fails)
{
    struct sweep_job j = {LOC_MALLOC_AGED};
    ASSERT_SWEEP_CLEAN(build_job, &j);
}

Test(locality_oom, the_arena_and_the_array_fail_cleanly)
{
    struct sweep_job a = {LOC_ARENA}, v = {LOC_ARRAY};
    ASSERT_SWEEP_CLEAN(build_job, &a);
    ASSERT_SWEEP_CLEAN(build_job, &v);
}

Test(locality_demo, bad_arguments_get_one_line_and_status_2)
{
    static const char *const bad[] = {"0", "abc", "-5", "16777217", "99999999999999999999", "1 2"};

    ASSERT_BAD_ARGUMENTS("demo/locality", "locality: ", bad);
}

Test(locality_demo, a_small_n_runs_and_says_the_sums_agree,
     NATIVE_ONLY("the demo forks timed runs; make check runs it under memcheck itself"))
{
    char err[512];

    cr_assert(eq(int, cli_run_beside("REPORT_RUNS=1", "demo/locality", "50", err, sizeof err), 0),
              "locality 50 failed: %s", err);
}
