/* test_slab.c: the slab pool of slab.h. The slabs a fill makes, the slabs the survivors
 * keep and the frees each drop makes, all worked out here from N, k and the objects a
 * slab holds; the remedy's two pools; a slab made and freed again at a slab's edge; the
 * OOM sweep of every allocating function; glibc's malloc on the same pattern, and what
 * malloc_trim(0) gives back; make slab-04's bad arguments. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "child.h"
#include "cli.h"
#include "cli_assert.h"
#include "platform.h"
#include "slab.h"

#define N 5000
#define SIZE 64
#define CEIL(a, b) (((a) + (b) - 1) / (b))

static void *obj[N];

static size_t per_slab(size_t size)
{
    return (SLAB_BYTES - slab_header_bytes) / ((size + 7) & ~(size_t)7);
}

/* Slabs that hold a survivor when objects 0 .. n-1 lie in slabs of `per` in order: slab j
 * holds a survivor when a multiple of k lies in [j * per, min(n, (j + 1) * per)). */
static uint64_t pinned(uint64_t n, uint64_t k, uint64_t per)
{
    uint64_t slabs = 0;

    for (uint64_t lo = 0; lo < n; lo += per) {
        uint64_t hi = lo + per < n ? lo + per : n;
        if (CEIL(lo, k) * k < hi)
            slabs++;
    }
    return slabs;
}

static void fill(struct slab_pool *p, size_t size, uint64_t n)
{
    cr_assert(eq(int, slab_init(p, size), 0));
    cr_assert(eq(int, slab_fill(p, obj, n), 0), "slab_fill(%llu) failed", (unsigned long long)n);
}

Test(slab, init_allocates_nothing_and_refuses_a_size_no_slab_can_hold)
{
    struct slab_pool p;
    int rc;

    ASSERT_NO_ALLOCS(rc = slab_init(&p, SIZE));
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(sz, p.per_slab, per_slab(SIZE)), "(4,096 - the header) / 64");
    errno = 0;
    cr_assert(eq(int, slab_init(&p, 0), -1));
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(int, slab_init(&p, SLAB_BYTES - slab_header_bytes), 0), "one object a slab");
    cr_assert(eq(sz, p.per_slab, 1));
    errno = 0;
    cr_assert(eq(int, slab_init(&p, SLAB_BYTES - slab_header_bytes + 1), -1));
    cr_assert(eq(int, errno, EINVAL));
}

Test(slab, a_fill_takes_one_aligned_slab_per_per_slab_objects)
{
    struct slab_pool p;
    uint64_t slabs = CEIL(N, per_slab(SIZE));

    cr_assert(eq(int, slab_init(&p, SIZE), 0));
    ASSERT_ALLOCS(slab_fill(&p, obj, N), slabs, slabs * SLAB_BYTES);
    cr_assert(eq(u64, p.slabs, slabs));
    cr_assert(eq(u64, p.live, N));
    for (uint64_t i = 0; i < N; i++) {
        uintptr_t slab = (uintptr_t)obj[i] & ~(uintptr_t)(SLAB_BYTES - 1);
        cr_assert(eq(u64, ((uintptr_t)obj[i] - slab - slab_header_bytes) % p.size, 0),
                  "object %llu lies on an object's place in its slab", (unsigned long long)i);
        cr_assert(eq(u64, (uint64_t)(((uintptr_t)obj[i] - slab - slab_header_bytes) / p.size),
                     i % p.per_slab), "object %llu: the fill takes a slab's objects in order",
                  (unsigned long long)i);
    }
    cr_assert(slab_survivors_intact(obj, N, 1), "every object kept its own bytes");
    slab_destroy(&p);
}

/* The lesson: with at most one object in `per` between two survivors, every slab keeps one. */
Test(slab, one_survivor_per_slab_pins_every_slab_and_the_drop_frees_nothing)
{
    struct slab_pool p;
    struct countalloc_stats d;
    uint64_t per = per_slab(SIZE);

    for (uint64_t k = 2; k <= per; k *= 2) {
        fill(&p, SIZE, N);
        ALLOC_MEASURE(slab_drop(obj, N, k), d);
        cr_assert(eq(u64, d.frees, 0), "k = %llu: freeing %llu of %d objects frees no slab",
                  (unsigned long long)k, (unsigned long long)(N - CEIL(N, k)), N);
        cr_assert(eq(u64, p.slabs, CEIL(N, per)), "k = %llu: every slab is held", (unsigned long long)k);
        cr_assert(eq(u64, p.live, CEIL(N, k)));
        cr_assert(slab_survivors_intact(obj, N, k), "k = %llu: the survivors' bytes", (unsigned long long)k);
        ALLOC_MEASURE(slab_drop_survivors(obj, N, k), d);
        cr_assert(eq(u64, d.frees, CEIL(N, per)), "k = %llu: the survivors' frees give every slab back",
                  (unsigned long long)k);
        cr_assert(eq(i64, d.heap_alloc, -(int64_t)(CEIL(N, per) * SLAB_BYTES)));
        cr_assert(eq(u64, d.mallocs, 0));
        cr_assert(eq(u64, p.slabs, 0));
        slab_destroy(&p);
    }
}

Test(slab, survivors_further_apart_than_a_slab_free_the_slabs_between_them)
{
    struct slab_pool p;
    struct countalloc_stats d;
    uint64_t per = per_slab(SIZE);
    const uint64_t ks[] = {per + 1, 2 * per, 100, 512, N};

    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        uint64_t k = ks[i], held = pinned(N, k, per);

        fill(&p, SIZE, N);
        ALLOC_MEASURE(slab_drop(obj, N, k), d);
        cr_assert(eq(u64, p.slabs, held), "k = %llu: the slabs that hold a survivor", (unsigned long long)k);
        cr_assert(eq(u64, d.frees, CEIL(N, per) - held), "k = %llu: the others, one free each",
                  (unsigned long long)k);
        ALLOC_MEASURE(slab_drop_survivors(obj, N, k), d);
        cr_assert(eq(u64, d.frees, held));
        cr_assert(eq(u64, p.made, p.freed));
        slab_destroy(&p);
    }
}

Test(slab, survivors_from_a_pool_of_their_own_let_every_other_slab_go)
{
    struct slab_pool keep, temp;
    struct countalloc_stats d;
    uint64_t per = per_slab(SIZE);

    for (uint64_t k = 2; k <= 512; k *= 4) {
        uint64_t kept = CEIL(N, k), others = N - kept;

        cr_assert(eq(int, slab_init(&keep, SIZE), 0));
        cr_assert(eq(int, slab_init(&temp, SIZE), 0));
        int rc;

        ASSERT_ALLOCS(rc = slab_fill_split(&keep, &temp, obj, N, k), CEIL(kept, per) + CEIL(others, per),
                      (CEIL(kept, per) + CEIL(others, per)) * SLAB_BYTES);
        cr_assert(eq(int, rc, 0));
        ALLOC_MEASURE(slab_drop(obj, N, k), d);
        cr_assert(eq(u64, d.frees, CEIL(others, per)), "k = %llu: every short-lived slab goes",
                  (unsigned long long)k);
        cr_assert(eq(u64, temp.slabs, 0));
        cr_assert(eq(u64, keep.slabs, CEIL(kept, per)), "k = %llu: the survivors, packed",
                  (unsigned long long)k);
        cr_assert(lt(u64, keep.slabs, CEIL(N, per)), "fewer slabs than one pool keeps");
        cr_assert(slab_survivors_intact(obj, N, k));
        ALLOC_MEASURE(slab_drop_survivors(obj, N, k), d);
        cr_assert(eq(u64, d.frees, CEIL(kept, per)));
        slab_destroy(&keep);
        slab_destroy(&temp);
    }
}

Test(slab, at_a_slabs_edge_each_alloc_and_free_makes_and_frees_a_slab)
{
    struct slab_pool p;
    uint64_t per = per_slab(SIZE);

    fill(&p, SIZE, per); /* one full slab */
    for (int i = 0; i < 10; i++) {
        void *o;
        ASSERT_ALLOCS(o = slab_alloc(&p), 1, SLAB_BYTES);
        struct countalloc_stats d;
        ALLOC_MEASURE(slab_free(o), d);
        cr_assert(eq(u64, d.frees, 1), "the new slab's only object frees it: round %d", i);
    }
    cr_assert(eq(u64, p.made, 11));
    slab_destroy(&p);
}

Test(slab, a_freed_object_is_the_next_one_handed_out_and_free_of_null_does_nothing)
{
    struct slab_pool p;
    void *o;

    fill(&p, SIZE, 3);
    slab_free(obj[1]);
    ASSERT_NO_ALLOCS(o = slab_alloc(&p));
    cr_assert(eq(ptr, o, obj[1]));
    ASSERT_NO_ALLOCS(slab_free(NULL));
    cr_assert(eq(u64, p.live, 3));
    slab_destroy(&p);
}

Test(slab, destroy_frees_every_slab_live_objects_or_not)
{
    struct slab_pool p;
    uint64_t per = per_slab(SIZE);
    struct countalloc_stats d;

    fill(&p, SIZE, N);
    slab_drop(obj, N, 2);
    ALLOC_MEASURE(slab_destroy(&p), d);
    cr_assert(eq(u64, d.frees, CEIL(N, per)));
    cr_assert(eq(i64, d.heap_alloc, -(int64_t)(CEIL(N, per) * SLAB_BYTES)));
    cr_assert(eq(u64, p.slabs, 0));
}

/* What ASan is told (common/memdebug.h): the objects handed out are open, their p.size
 * bytes; a freed object, its free-list link included, and the part of a slab never handed
 * out are poisoned; the header is open. */
Test(slab, in_the_asan_build_only_the_objects_handed_out_are_addressable, SANITIZER_ONLY)
{
#ifdef MEMDEBUG_ASAN
    struct slab_pool p;
    unsigned char *slab;

    fill(&p, 20, 3);
    slab = (unsigned char *)((uintptr_t)obj[0] & ~(uintptr_t)(SLAB_BYTES - 1));
    cr_assert(eq(ptr, __asan_region_is_poisoned(obj[0], 3 * p.size), NULL),
              "the three objects' %zu bytes each are open", p.size);
    cr_assert(eq(ptr, __asan_region_is_poisoned(slab, slab_header_bytes), NULL),
              "the slab's header is open");
    cr_assert(__asan_address_is_poisoned((char *)obj[2] + p.size),
              "the slab past the objects handed out is not");
    slab_free(obj[1]);
    cr_assert(eq(ptr, __asan_region_is_poisoned(obj[0], p.size), NULL));
    cr_assert(eq(ptr, __asan_region_is_poisoned(obj[1], p.size), obj[1]),
              "a freed object is poisoned from its first byte, its link included");
    cr_assert(__asan_address_is_poisoned((char *)obj[1] + p.size - 1), "to its last");
    cr_assert(eq(ptr, slab_alloc(&p), obj[1]));
    cr_assert(eq(ptr, __asan_region_is_poisoned(obj[1], p.size), NULL),
              "handed out again, it is open again");
    slab_destroy(&p);
#else
    cr_fail("built without ASan: the declaration's SANITIZER_ONLY should have skipped this");
#endif
}

Test(slab, a_k_of_0_or_a_block_too_small_is_refused_with_einval_before_any_allocation)
{
    struct slab_pool keep, temp;
    struct slab_glibc g;
    int rc;

    slab_init(&keep, SIZE);
    slab_init(&temp, SIZE);
    errno = 0;
    ASSERT_NO_ALLOCS(rc = slab_fill_split(&keep, &temp, obj, 10, 0));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    ASSERT_NO_ALLOCS(rc = slab_glibc_run(SIZE, 10, 0, &g));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    ASSERT_NO_ALLOCS(rc = slab_glibc_run(sizeof(uint64_t) - 1, 10, 1, &g));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
}

/* ---- out of memory ---- */

static int alloc_job(void *ctx)
{
    struct slab_pool p;
    void *o;

    (void)ctx;
    slab_init(&p, SIZE);
    o = slab_alloc(&p);
    if (o == NULL) {
        cr_assert(eq(u64, p.slabs, 0), "a refused slab leaves the pool empty");
        return -1;
    }
    slab_free(o);
    return 0;
}

static int fill_job(void *ctx)
{
    struct slab_pool p;

    (void)ctx;
    slab_init(&p, SIZE);
    if (slab_fill(&p, obj, 500) != 0) {
        cr_assert(eq(u64, p.slabs, 0), "a failed fill gives back every slab it made");
        cr_assert(eq(u64, p.live, 0));
        return -1;
    }
    slab_drop(obj, 500, 7);
    slab_drop_survivors(obj, 500, 7);
    return 0;
}

static int split_job(void *ctx)
{
    struct slab_pool keep, temp;

    (void)ctx;
    slab_init(&keep, SIZE);
    slab_init(&temp, SIZE);
    if (slab_fill_split(&keep, &temp, obj, 500, 3) != 0) {
        cr_assert(eq(u64, keep.slabs + temp.slabs, 0), "a failed fill gives back every slab it made");
        return -1;
    }
    slab_drop(obj, 500, 3);
    slab_drop_survivors(obj, 500, 3);
    return 0;
}

static int glibc_job(void *ctx)
{
    struct slab_glibc g;

    (void)ctx;
    return slab_glibc_run(SIZE, 300, 16, &g);
}

Test(slab_oom, alloc_fill_split_and_the_glibc_run_report_a_failure_and_free_what_they_took)
{
    ASSERT_SWEEP_CLEAN(alloc_job, NULL);
    ASSERT_SWEEP_CLEAN(fill_job, NULL);
    ASSERT_SWEEP_CLEAN(split_job, NULL);
    ASSERT_SWEEP_CLEAN(glibc_job, NULL);
}

/* ---- glibc's malloc beside it ---- */

#define GLIBC_N 20000

struct run {
    uint64_t k;
    struct slab_glibc g;
};

static int run_in_child(void *arg)
{
    struct run *r = arg;
    return slab_glibc_run(SIZE, GLIBC_N, r->k, &r->g);
}

static struct slab_glibc glibc_run(uint64_t k)
{
    struct run r = {.k = k};

    cr_assert(eq(int, child_run(run_in_child, &r, sizeof r), 0), "k = %llu: the child's run",
              (unsigned long long)k);
    return r.g;
}

/* A block of 64 B here is a 96-byte chunk: 64 + the counting allocator's 16-byte header +
 * glibc's 8, rounded up to 16. */
#define CHUNK 96
#define PAGE 4096

Test(slab_glibc, free_keeps_every_page_and_malloc_trim_gives_back_only_pages_no_survivor_touches,
     GLIBC_MALLOC_ONLY)
{
    /* survivors closer than a page: every page holds one, trim finds nothing to give back */
    for (uint64_t k = 2; k * CHUNK < PAGE / 2; k *= 4) {
        struct slab_glibc g = glibc_run(k);
        cr_assert(eq(u64, g.resident[SLAB_BUILT], g.span), "k = %llu: every page written", (unsigned long long)k);
        cr_assert(eq(u64, g.resident[SLAB_DROPPED], g.span), "k = %llu: free gives no page back",
                  (unsigned long long)k);
        cr_assert(le(u64, g.span - g.resident[SLAB_TRIMMED], 1),
                  "k = %llu: a survivor every %llu B: no page is free whole but the one past the "
                  "last survivor (%llu pages of %llu kept)", (unsigned long long)k,
                  (unsigned long long)(k * CHUNK), (unsigned long long)g.resident[SLAB_TRIMMED],
                  (unsigned long long)g.span);
        cr_assert(eq(sz, g.heap[SLAB_DROPPED], g.heap[SLAB_BUILT]), "the heap does not shrink");
    }
    /* survivors a page or more apart: the trim gives back pages between them, never a
     * survivor's. In a fresh process (make slab-04, and its block in the README, which
     * make test checks) glibc 2.36 and 2.41 alike keep exactly one page per survivor; this
     * test process's heap has holes of its own, which some blocks fill, so here the pages
     * kept are bounded, not pinned */
    for (uint64_t k = 64; k <= 4096; k *= 8) {
        struct slab_glibc g = glibc_run(k);
        uint64_t survivors = CEIL(GLIBC_N, k);
        cr_assert(eq(u64, g.resident[SLAB_DROPPED], g.span), "k = %llu: free gives no page back",
                  (unsigned long long)k);
        cr_assert(eq(int, g.trim_returned, 1), "k = %llu: malloc_trim says it gave memory back",
                  (unsigned long long)k);
        cr_assert(lt(u64, g.resident[SLAB_TRIMMED], g.span), "k = %llu: the trim gave pages back",
                  (unsigned long long)k);
        cr_assert(ge(u64, g.resident[SLAB_TRIMMED], survivors),
                  "k = %llu: glibc %s: each of %llu survivors keeps its page (%llu pages of %llu kept)",
                  (unsigned long long)k, platform_glibc_at_least(2, 41) ? "2.41" : "2.36",
                  (unsigned long long)survivors, (unsigned long long)g.resident[SLAB_TRIMMED],
                  (unsigned long long)g.span);
    }
}

Test(slab_glibc, freeing_the_survivors_too_gives_back_nothing_more_without_a_trim,
     GLIBC_MALLOC_ONLY)
{
    struct slab_glibc g;

    g = glibc_run(16);
    /* 96-byte chunks go to the fastbins, which are not merged with their neighbours until
     * something consolidates them: the free space never reaches the top of the heap */
    cr_assert(eq(u64, g.resident[SLAB_EMPTY], g.resident[SLAB_TRIMMED]));
}

/* ---- the demo ---- */

Test(slab_demo, bad_arguments_get_one_line_naming_the_argument_and_status_2)
{
    static const char *const bad_n[] = {"0", "abc", "-5", "10000001", "99999999999999999999", "1x"};
    static const char *const bad_k[] = {"100 0", "100 1000001", "100 k"};
    static const char *const bad_usage[] = {"1 2 3", "--bogus"};

    ASSERT_BAD_ARGUMENTS("demo/slab", "slab: N must be", bad_n);
    ASSERT_BAD_ARGUMENTS("demo/slab", "slab: K must be", bad_k);
    ASSERT_BAD_ARGUMENTS("demo/slab", "slab: ", bad_usage);
}

Test(slab_demo, a_small_run_succeeds)
{
    char err[4096];

    cr_assert(eq(int, cli_run_beside("", "demo/slab", "300 5", err, sizeof err), 0), "slab 300 5: %s", err);
}
