/* test_sites.c: the site tracer (sites.h): off by default, exact per-line counts, the
 * planted hot site found by file:line, current/peak and reset, compare_to, its own
 * memory kept out of the heap it measures, and out-of-memory handling. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <execinfo.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "sites.h"

static void *volatile sink;
static unsigned line_a, line_b;

/* Two planted sites; the store after the call keeps the frame on the stack. */
static __attribute__((noinline)) void *site_a(size_t n)
{
    void *p;

    line_a = __LINE__ + 1;
    p = malloc(n);
    sink = p;
    return p;
}

static __attribute__((noinline)) void *site_b(size_t n)
{
    void *p;

    line_b = __LINE__ + 1;
    p = malloc(n);
    sink = p;
    return p;
}

static struct sites_snapshot *take(void)
{
    struct sites_snapshot *s = NULL;

    cr_assert(eq(int, sites_snapshot_take(&s), 0), "a snapshot while tracing should work");
    return s;
}

static void fini(void)
{
    sites_stop();
}

TestSuite(sites, .fini = fini);

Test(sites, tracing_is_off_until_started_and_a_snapshot_then_fails)
{
    struct sites_snapshot *s = NULL;

    cr_assert(eq(int, sites_tracing(), 0));
    cr_assert(eq(int, sites_snapshot_take(&s), -1));
    cr_assert(eq(ptr, s, NULL));
}

Test(sites, a_planted_site_is_reported_at_its_file_and_line_with_exact_counts)
{
    void *p[100];
    struct sites_snapshot *s;
    const struct sites_stat *a;

    sites_start();
    for (int i = 0; i < 100; i++)
        p[i] = site_a(48);
    s = take();
    a = sites_snapshot_find(s, __FILE__, line_a);
    cr_assert(a != NULL, "no entry for %s:%u", __FILE__, line_a);
    cr_assert(eq(str, (char *)a->func, "site_a"));
    cr_assert(eq(i64, a->bytes, 100 * 48));
    cr_assert(eq(i64, a->blocks, 100));
    cr_assert(eq(u64, a->calls, 100));
    cr_assert(eq(u64, a->total_bytes, 100 * 48));
    sites_snapshot_free(s);
    for (int i = 0; i < 100; i++)
        free(p[i]);
}

Test(sites, frees_lower_live_bytes_but_not_calls_or_total)
{
    void *p[10];
    struct sites_snapshot *s;
    const struct sites_stat *a;

    sites_start();
    for (int i = 0; i < 10; i++)
        p[i] = site_a(100);
    for (int i = 0; i < 7; i++)
        free(p[i]);
    s = take();
    a = sites_snapshot_find(s, __FILE__, line_a);
    cr_assert(a != NULL);
    cr_assert(eq(i64, a->bytes, 300));
    cr_assert(eq(i64, a->blocks, 3));
    cr_assert(eq(u64, a->calls, 10));
    cr_assert(eq(u64, a->total_bytes, 1000));
    sites_snapshot_free(s);
    for (int i = 7; i < 10; i++)
        free(p[i]);
}

Test(sites, orders_put_the_most_bytes_or_the_most_calls_first)
{
    void *few[2], *many[50];
    struct sites_snapshot *s;

    sites_start();
    for (int i = 0; i < 2; i++)
        few[i] = site_a(10000);
    for (int i = 0; i < 50; i++)
        many[i] = site_b(16);
    s = take();
    sites_snapshot_sort(s, SITES_BY_BYTES);
    cr_assert(eq(u32, s->stat[0].line, line_a), "site_a holds the most bytes");
    sites_snapshot_sort(s, SITES_BY_CALLS);
    cr_assert(eq(u32, s->stat[0].line, line_b), "site_b makes the most calls");
    sites_snapshot_sort(s, SITES_BY_BLOCKS);
    cr_assert(eq(u32, s->stat[0].line, line_b));
    sites_snapshot_sort(s, SITES_BY_TOTAL_BYTES);
    cr_assert(eq(u32, s->stat[0].line, line_a));
    sites_snapshot_free(s);
    for (int i = 0; i < 2; i++)
        free(few[i]);
    for (int i = 0; i < 50; i++)
        free(many[i]);
}

Test(sites, traced_memory_has_a_current_and_a_resettable_peak)
{
    int64_t cur, peak;
    void *p;

    sites_start();
    p = site_a(4096);
    free(p);
    sites_traced(&cur, &peak);
    cr_assert(eq(i64, cur, 0));
    cr_assert(eq(i64, peak, 4096));
    sites_reset_peak();
    sites_traced(&cur, &peak);
    cr_assert(eq(i64, peak, 0), "reset_peak sets the peak to the bytes traced now");
}

Test(sites, blocks_from_before_the_start_are_not_counted_when_freed)
{
    void *old = site_a(500);
    int64_t cur, peak;

    sites_start();
    free(old);
    sites_traced(&cur, &peak);
    cr_assert(eq(i64, cur, 0), "an untraced block's free must not go negative");
}

Test(sites, a_realloc_moves_the_bytes_to_the_realloc_line)
{
    struct sites_snapshot *s;
    const struct sites_stat *a;
    char *p;
    unsigned line_r;

    sites_start();
    p = site_a(10);
    line_r = __LINE__ + 1;
    p = realloc(p, 1000);
    sink = p;
    s = take();
    a = sites_snapshot_find(s, __FILE__, line_a);
    cr_assert(a != NULL && a->bytes == 0 && a->calls == 1, "site_a's block is gone");
    a = sites_snapshot_find(s, __FILE__, line_r);
    cr_assert(a != NULL && a->bytes == 1000, "realloc's line holds the 1,000 bytes now");
    sites_snapshot_free(s);
    free(p);
}

Test(sites, compare_to_shows_what_changed_between_two_snapshots)
{
    struct sites_snapshot *before, *after, *d;
    const struct sites_stat *a, *b;
    void *keep[3], *gone;

    sites_start();
    gone = site_b(64);
    before = take();
    for (int i = 0; i < 3; i++)
        keep[i] = site_a(32);
    free(gone);
    after = take();
    cr_assert(eq(int, sites_snapshot_compare(after, before, &d), 0));
    a = sites_snapshot_find(d, __FILE__, line_a);
    b = sites_snapshot_find(d, __FILE__, line_b);
    cr_assert(a != NULL && a->bytes == 96 && a->blocks == 3 && a->calls == 3);
    cr_assert(b != NULL && b->bytes == -64 && b->blocks == -1 && b->calls == 0);
    sites_snapshot_free(d);
    sites_snapshot_free(after);
    sites_snapshot_free(before);
    for (int i = 0; i < 3; i++)
        free(keep[i]);
}

Test(sites, the_tracer_adds_no_allocation_to_the_heap_it_measures)
{
    void *warm[2], *p = NULL;

    backtrace(warm, 2); /* its first call loads the unwinder, which allocates */
    ASSERT_NO_ALLOCS(sites_start());
    ASSERT_ALLOCS(p = site_a(100), 1, 100);
    ASSERT_NO_ALLOCS(free(p));
    ASSERT_NO_ALLOCS(sites_stop());
}

Test(sites, stop_forgets_every_trace)
{
    struct sites_snapshot *s;
    void *p;

    sites_start();
    p = site_a(100);
    sites_stop();
    sites_start();
    s = take();
    cr_assert(eq(ptr, (void *)sites_snapshot_find(s, __FILE__, line_a), NULL));
    sites_snapshot_free(s);
    free(p);
}

static void *allocate_500(void *arg)
{
    void **p = arg;

    for (int i = 0; i < 500; i++)
        p[i] = site_a(16);
    return NULL;
}

Test(sites, two_threads_allocating_at_one_line_are_counted_exactly)
{
    static void *blocks[2][500];
    pthread_t t[2];
    struct sites_snapshot *s;
    const struct sites_stat *a;

    sites_start();
    for (int i = 0; i < 2; i++)
        cr_assert(eq(int, pthread_create(&t[i], NULL, allocate_500, blocks[i]), 0));
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    s = take();
    a = sites_snapshot_find(s, __FILE__, line_a);
    cr_assert(a != NULL && a->calls == 1000 && a->blocks == 1000 && a->bytes == 16000,
              "both threads' 500 blocks each should be on site_a's line");
    sites_snapshot_free(s);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 500; j++)
            free(blocks[i][j]);
}

/* ---- out of memory ---- */

struct pair {
    struct sites_snapshot *a, *b;
};

static int compare_job(void *ctx)
{
    struct pair *p = ctx;
    struct sites_snapshot *d;

    if (sites_snapshot_compare(p->b, p->a, &d) != 0)
        return -1;
    sites_snapshot_free(d);
    return 0;
}

Test(sites, a_compare_that_runs_out_of_memory_says_so_and_leaks_nothing)
{
    struct pair p;
    void *q;

    sites_start();
    p.a = take();
    q = site_a(10);
    p.b = take();
    ASSERT_SWEEP_CLEAN(compare_job, &p);
    sites_snapshot_free(p.a);
    sites_snapshot_free(p.b);
    free(q);
}

static int take_job(void *ctx)
{
    struct sites_snapshot *s;

    (void)ctx;
    if (sites_snapshot_take(&s) != 0)
        return -1;
    sites_snapshot_free(s);
    return 0;
}

Test(sites, a_snapshot_that_runs_out_of_memory_says_so_and_leaks_nothing)
{
    void *q;

    sites_start();
    q = site_a(10);
    ASSERT_SWEEP_CLEAN(take_job, NULL);
    free(q);
}
