/* test_faults.c: lesson 01's page faults on the hot path. A fresh mapping faults once per
 * page at its first write and never at its second; MAP_POPULATE, MADV_POPULATE_WRITE, a
 * write a page and mlock move every fault into the preparing step; MADV_POPULATE_READ and
 * MADV_WILLNEED leave the pass to pay; an mlock past RLIMIT_MEMLOCK is refused and the pass
 * pays. On glibc's malloc, a request of 64 MiB faults on every page every time (mmap'd,
 * then unmapped by free), one of 1 MiB only until glibc's threshold has moved, and none
 * once mmap is off or the block is kept. The fault counts need the real kernel and base
 * pages (Valgrind and ASan map and fault pages of their own), and glibc's malloc for
 * the request loop (GLIBC_MALLOC_ONLY); the allocation counts and the failures hold
 * everywhere. Each fault count is bounded, FAULTS_SLACK above what it counts (the kernel
 * now and then faults a page twice); glibc 2.36 and 2.41 alike. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "child.h"
#include "cli_assert.h"
#include "faults.h"
#include "procfs.h"

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)
#define REGION (4 * MIB) /* the regions the tests map: 1,024 pages of 4 KiB */

/* Under Valgrind, and in the ASan build (its shadow memory, its own first calls; and its
 * mlock does nothing), pages of the tool's own fault beside the region's. */
/* A count is the pages, or at most FAULTS_SLACK more: now and then the kernel faults a page
 * twice, when it moves it meanwhile (compaction, for another process's huge pages): seen
 * here as one fault more in a preparing step, one run in a few, never fewer. */
#define FAULTS_SLACK 2
static bool in_bounds(uint64_t seen, uint64_t expected)
{
    return seen >= expected && seen <= expected + FAULTS_SLACK;
}

#define FAULTS_NATIVE                                                                     \
    NATIVE_ONLY_AT(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER,                          \
                   "Valgrind and ASan map and fault pages of their own")

static size_t page(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

/* ---- faults_touch ---- */

Test(faults_touch, a_block_off_a_page_boundary_has_every_page_it_overlaps_written)
{
    unsigned char *map = mmap(NULL, 4 * page(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    size_t len = 2 * page(), n;

    cr_assert(map != MAP_FAILED);
    n = faults_touch(map + 100, len, 7);
    cr_assert(eq(sz, n, 3), "%zu bytes from 100 bytes into a page overlap 3 pages: expected 3 "
              "written, saw %zu", len, n);
    cr_assert(eq(u64, faults_pages_spanned(100, len), 3));
    cr_assert(map[100] == 7 && map[100 + page()] == 7 && map[100 + len - 1] == 7);
    cr_assert(map[3 * page()] == 0, "nothing past the block");
    n = faults_touch(map, len, 8);
    cr_assert(eq(sz, n, 2), "on a page boundary: 2 pages, saw %zu", n);
    cr_assert(eq(u64, faults_pages_spanned(0, len), 2));
    cr_assert(eq(sz, faults_touch(map, 0, 9), 0));
    munmap(map, 4 * page());
}

/* ---- 1. the first touch ---- */

Test(faults_first_touch, the_first_pass_faults_once_a_page_and_the_second_never, FAULTS_NATIVE)
{
    struct faults_touch t;

    cr_assert(eq(int, faults_first_touch(REGION, &t), 0), "%s", strerror(errno));
    cr_assert(eq(u64, t.pages, REGION / page()));
    cr_assert(in_bounds(t.first, t.pages),
              "a fresh mapping of %zu MiB, a byte written a page: expected a fault for each of "
              "its %llu pages (base pages, THP off), saw %llu", REGION / MIB,
              (unsigned long long)t.pages, (unsigned long long)t.first);
    cr_assert(in_bounds(t.second, 0), "the second pass: every page is mapped, expected 0 faults, "
              "saw %llu", (unsigned long long)t.second);
}

Test(faults_first_touch, a_size_of_0_or_off_the_page_size_maps_nothing)
{
    struct faults_touch t;
    struct faults_prepared p;

    errno = 0;
    cr_assert(eq(int, faults_first_touch(0, &t), -1));
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    cr_assert(eq(int, faults_first_touch(page() + 1, &t), -1));
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    cr_assert(eq(int, faults_prepare(REGION, FAULTS_WAYS, &p), -1), "no such way");
    cr_assert(eq(int, errno, EINVAL));
}

/* ---- 2. paying up front ---- */

/* A region prepared `way`: the preparing step's faults and the pass's, exactly. */
static void assert_prepared(enum faults_way way, uint64_t in_step, uint64_t in_pass, const char *why)
{
    struct faults_prepared p;

    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER);
    cr_assert(eq(int, faults_prepare(REGION, way, &p), 0), "%s: %s", faults_way_name(way), strerror(errno));
    if (p.err == EINVAL && way == FAULTS_POPULATE_WRITE)
        cr_skip_test("%s: EINVAL, a kernel without it", faults_way_name(way));
    cr_assert(eq(int, p.err, 0), "%s refused: %s", faults_way_name(way), strerror(p.err));
    cr_assert(in_bounds(p.prep_faults, in_step) && in_bounds(p.pass_faults, in_pass),
              "%s on %llu pages: expected %llu faults in the step and %llu in the pass after it "
              "(%s), saw %llu and %llu", faults_way_name(way), (unsigned long long)p.pages,
              (unsigned long long)in_step, (unsigned long long)in_pass, why,
              (unsigned long long)p.prep_faults, (unsigned long long)p.pass_faults);
}

Test(faults_prepare, unprepared_the_pass_pays_every_fault, FAULTS_NATIVE)
{
    assert_prepared(FAULTS_ON_DEMAND, 0, REGION / page(), "nothing done before");
}

Test(faults_prepare, map_populate_counts_every_fault_inside_the_mmap_call, FAULTS_NATIVE)
{
    assert_prepared(FAULTS_MAP_POPULATE, REGION / page(), 0,
                    "the kernel maps every page before mmap returns, and getrusage counts them");
}

Test(faults_prepare, madv_populate_write_moves_every_fault_into_the_madvise, FAULTS_NATIVE)
{
    assert_prepared(FAULTS_POPULATE_WRITE, REGION / page(), 0, "every page mapped writable");
}

Test(faults_prepare, a_byte_written_a_page_first_leaves_the_pass_nothing, FAULTS_NATIVE)
{
    assert_prepared(FAULTS_WRITE_FIRST, REGION / page(), 0, "the preparing pass took them");
}

Test(faults_prepare, madv_populate_read_maps_the_zero_page_and_every_write_faults_again,
     FAULTS_NATIVE)
{
    assert_prepared(FAULTS_POPULATE_READ, REGION / page(), REGION / page(),
                    "each page mapped read-only to the shared zero page; a write copies it");
}

Test(faults_prepare, madv_willneed_prefaults_nothing_of_anonymous_memory, FAULTS_NATIVE)
{
    assert_prepared(FAULTS_WILLNEED, 0, REGION / page(), "read-ahead advice, for files");
}

/* ---- mlock, in a child: with CAP_IPC_LOCK (root) the limit does not apply ---- */

/* Drop CAP_IPC_LOCK from this process's effective set: 0, or -1. */
static int drop_ipc_lock(void)
{
    struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
    struct __user_cap_data_struct d[2];

    if (syscall(SYS_capget, &h, d) != 0)
        return -1;
    d[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
    return (int)syscall(SYS_capset, &h, d);
}

struct locked {
    size_t bytes;
    rlim_t limit;
    struct faults_prepared p;
};

/* RLIMIT_MEMLOCK lowered below the region (a page), then mlock of the region. */
static int lock_past_the_limit(void *ctx)
{
    struct locked *l = ctx;
    struct rlimit lim = {.rlim_cur = page(), .rlim_max = page()};

    if (drop_ipc_lock() != 0 || setrlimit(RLIMIT_MEMLOCK, &lim) != 0)
        return -1;
    return faults_prepare(l->bytes, FAULTS_MLOCK, &l->p);
}

Test(faults_mlock, past_rlimit_memlock_mlock_is_refused_and_the_pass_pays, FAULTS_NATIVE)
{
    struct locked l = {.bytes = REGION};

    cr_assert(eq(int, child_run(lock_past_the_limit, &l, sizeof l), 0), "the child failed: %s",
              strerror(errno));
    cr_assert(l.p.err == ENOMEM || l.p.err == EPERM,
              "mlock of %zu MiB under RLIMIT_MEMLOCK of one page: expected ENOMEM (or EPERM), "
              "saw %s", REGION / MIB, strerror(l.p.err));
    cr_assert(in_bounds(l.p.pass_faults, l.p.pages), "refused, the pass faults every page: "
              "expected %llu, saw %llu", (unsigned long long)l.p.pages,
              (unsigned long long)l.p.pass_faults);
}

/* The region within RLIMIT_MEMLOCK as it is (at most REGION), CAP_IPC_LOCK dropped. */
static int lock_within_the_limit(void *ctx)
{
    struct locked *l = ctx;
    struct rlimit lim;

    if (drop_ipc_lock() != 0 || getrlimit(RLIMIT_MEMLOCK, &lim) != 0)
        return -1;
    l->limit = lim.rlim_cur;
    l->bytes = lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= REGION ? REGION
                                                                        : lim.rlim_cur / page() * page();
    if (l->bytes == 0)
        return 0;
    return faults_prepare(l->bytes, FAULTS_MLOCK, &l->p);
}

Test(faults_mlock, within_rlimit_memlock_mlock_maps_every_page_and_the_pass_faults_none,
     FAULTS_NATIVE)
{
    struct locked l = {0};

    cr_assert(eq(int, child_run(lock_within_the_limit, &l, sizeof l), 0), "the child failed: %s",
              strerror(errno));
    if (l.bytes == 0)
        cr_skip_test("RLIMIT_MEMLOCK is %llu bytes: not a page to lock", (unsigned long long)l.limit);
    cr_assert(eq(int, l.p.err, 0), "mlock of %zu bytes within RLIMIT_MEMLOCK (%llu): %s", l.bytes,
              (unsigned long long)l.limit, strerror(l.p.err));
    cr_assert(in_bounds(l.p.prep_faults, l.p.pages) && in_bounds(l.p.pass_faults, 0),
              "mlock of %llu pages: expected a fault each inside mlock and none in the pass, saw "
              "%llu and %llu", (unsigned long long)l.p.pages, (unsigned long long)l.p.prep_faults,
              (unsigned long long)l.p.pass_faults);
}

/* ---- a mapping refused ---- */

/* A region each way, in a child with less than a region of address space left. */
static int first_touch(void *ctx)
{
    struct faults_touch t;

    (void)ctx;
    return faults_first_touch(REGION, &t);
}

static int populated(void *ctx)
{
    struct faults_prepared p;

    (void)ctx;
    return faults_prepare(REGION, FAULTS_MAP_POPULATE, &p);
}

Test(faults_first_touch, no_address_space_for_the_region_is_enomem_and_nothing_is_mapped,
     NATIVE_ONLY("Valgrind maps the address space itself"))
{
    static const struct {
        const char *name;
        int (*attempt)(void *ctx);
    } way[] = {{"faults_first_touch", first_touch}, {"faults_prepare", populated}};

    SKIP_IN_SANITIZER_BUILD("ASan reserves its shadow memory past any RLIMIT_AS");
    for (size_t i = 0; i < sizeof way / sizeof way[0]; i++) {
        struct child_capped c;

        cr_assert(eq(int, child_run_capped(REGION / 2, way[i].attempt, NULL, 0, &c), 0),
                  "%s: the child failed: %s", way[i].name, strerror(errno));
        cr_assert(eq(int, c.err, ENOMEM), "%s: mmap refuses with ENOMEM, saw %s", way[i].name,
                  strerror(c.err));
        cr_assert(eq(u64, c.size_after, c.size_before), "%s: nothing left mapped", way[i].name);
    }
}

/* ---- 3. the request loop: faults, on glibc's malloc ---- */

/* The loop in a child, checked: n requests done, every byte read back. */
static struct faults_requests loop(size_t bytes, unsigned n, enum faults_policy policy)
{
    struct faults_requests r;

    cr_assert(eq(int, faults_requests_child(bytes, n, policy, &r), 0), "%s, %zu bytes: %s",
              faults_policy_name(policy), bytes, strerror(errno));
    cr_assert(r.intact, "%s: every byte must read back as written", faults_policy_name(policy));
    return r;
}

/* A request whose block glibc mmap'd: the block's header page faults in malloc, the others
 * as they are written: every page the block overlaps, and free unmaps them all. */
static void assert_mmapped(const struct faults_requests *r, unsigned i)
{
    uint64_t pages = faults_pages_spanned(r->offset[i], r->bytes);

    cr_assert(r->mmapped[i], "request %u of %zu bytes: expected an mmap'd block", i + 1, r->bytes);
    cr_assert(in_bounds(r->faults[i], pages),
              "request %u: an mmap'd block of %zu bytes, %zu bytes into its first page, overlaps "
              "%llu pages: expected a fault each, saw %llu", i + 1, r->bytes, r->offset[i],
              (unsigned long long)pages, (unsigned long long)r->faults[i]);
}

/* A request that grew the heap, in a child: its block's pages are new but the first, which
 * held the heap's top. That one faults or not as the child found it: written since the
 * fork (by the warm-up's small block, when it came from the top) or still the parent's,
 * copied at its first write, a fault. And one more where growing the heap writes a page of
 * glibc's own data that the child has not written since the fork, which depends on what
 * the parent wrote before: the demo's children take it on glibc 2.36 and not on 2.41. So
 * the pages the block overlaps, one fewer to one more (and FAULTS_SLACK's): measured all
 * three ways on glibc 2.36 and 2.41. */
static void assert_heap_grown(const struct faults_requests *r, unsigned i)
{
    uint64_t pages = faults_pages_spanned(r->offset[i], r->bytes);

    cr_assert(not(r->mmapped[i]), "request %u of %zu bytes: expected a heap block", i + 1, r->bytes);
    cr_assert(r->faults[i] + 1 >= pages && r->faults[i] <= pages + FAULTS_SLACK,
              "request %u: a heap block of %zu bytes on fresh pages overlaps %llu pages: expected "
              "a fault each, the first page's at most, and one of glibc's own data at most, saw "
              "%llu", i + 1, r->bytes, (unsigned long long)pages, (unsigned long long)r->faults[i]);
}

static void assert_no_faults_from(const struct faults_requests *r, unsigned from)
{
    for (unsigned i = from; i < r->n; i++)
        cr_assert(in_bounds(r->faults[i], 0),
                  "%zu bytes, request %u: the steady state, expected 0 faults (the block's pages "
                  "stayed mapped), saw %llu", r->bytes, i + 1, (unsigned long long)r->faults[i]);
}

Test(faults_requests, a_1_mib_request_faults_twice_then_never_as_glibcs_threshold_moves,
     GLIBC_MALLOC_ONLY)
{
    struct faults_requests r = loop(MIB, 4, FAULTS_MALLOC_FREE);

    assert_mmapped(&r, 0); /* past the first threshold, 128 KiB; its free raises it */
    assert_heap_grown(&r, 1);
    for (unsigned i = 2; i < r.n; i++)
        cr_assert(not(r.mmapped[i]), "request %u: from the heap, where the last one left its pages", i + 1);
    assert_no_faults_from(&r, 2);
}

Test(faults_requests, a_64_mib_request_is_mmapped_and_faults_every_page_every_time,
     GLIBC_MALLOC_ONLY)
{
    struct faults_requests r = loop(64 * MIB, 3, FAULTS_MALLOC_FREE);

    for (unsigned i = 0; i < r.n; i++)
        assert_mmapped(&r, i); /* past 32 MiB the threshold never reaches */
}

Test(faults_requests, with_mmap_off_and_the_trim_threshold_high_a_64_mib_block_faults_once,
     GLIBC_MALLOC_ONLY)
{
    struct faults_requests r = loop(64 * MIB, 3, FAULTS_NO_MMAP);

    assert_heap_grown(&r, 0);
    for (unsigned i = 1; i < r.n; i++)
        cr_assert(not(r.mmapped[i]));
    assert_no_faults_from(&r, 1);
}

Test(faults_requests, a_block_kept_across_requests_faults_at_the_first_only, GLIBC_MALLOC_ONLY)
{
    struct faults_requests r = loop(64 * MIB, 3, FAULTS_KEPT);

    assert_mmapped(&r, 0);
    assert_no_faults_from(&r, 1);
}

/* ---- the request loop: counts, everywhere ---- */

static void assert_counts(const struct faults_requests *r, unsigned i, uint64_t allocs, uint64_t frees)
{
    uint64_t bytes = allocs * r->bytes;

    cr_assert(r->d[i].mallocs == allocs && r->d[i].total_alloc == bytes && r->d[i].frees == frees,
              "%zu bytes, request %u: expected %llu allocation(s) of %llu bytes and %llu free(s), "
              "saw %llu of %llu and %llu", r->bytes, i + 1, (unsigned long long)allocs,
              (unsigned long long)bytes, (unsigned long long)frees,
              (unsigned long long)r->d[i].mallocs, (unsigned long long)r->d[i].total_alloc,
              (unsigned long long)r->d[i].frees);
}

Test(faults_requests, malloc_and_free_is_one_allocation_and_one_free_each_request)
{
    for (int p = FAULTS_MALLOC_FREE; p <= FAULTS_NO_MMAP; p++) {
        struct faults_requests r = loop(64 * KIB, 3, (enum faults_policy)p);

        for (unsigned i = 0; i < r.n; i++)
            assert_counts(&r, i, 1, 1);
    }
}

Test(faults_requests, a_kept_block_is_one_allocation_at_the_first_request_and_none_after)
{
    struct faults_requests r;
    int rc = -1;

    ASSERT_NO_LEAK(rc = faults_requests(64 * KIB, 3, FAULTS_KEPT, &r));
    cr_assert(eq(int, rc, 0));
    cr_assert(r.intact);
    assert_counts(&r, 0, 1, 0);
    for (unsigned i = 1; i < r.n; i++)
        assert_counts(&r, i, 0, 0);
}

Test(faults_requests, no_bytes_no_requests_too_many_or_no_such_policy_is_einval)
{
    static const struct {
        size_t bytes;
        unsigned n;
        enum faults_policy policy;
    } bad[] = {{0, 1, FAULTS_KEPT}, {64, 0, FAULTS_KEPT}, {64, FAULTS_REQUESTS_MAX + 1, FAULTS_KEPT},
               {64, 1, FAULTS_POLICIES}};

    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        struct faults_requests r;
        int rc = 0;

        errno = 0;
        ASSERT_NO_ALLOCS(rc = faults_requests(bad[k].bytes, bad[k].n, bad[k].policy, &r));
        cr_assert(eq(int, rc, -1), "case %zu", k);
        cr_assert(eq(int, errno, EINVAL), "case %zu: %s", k, strerror(errno));
    }
}

/* ---- out of memory ---- */

static int sweep_requests(void *ctx)
{
    struct faults_requests r;

    (void)ctx;
    if (faults_requests(64 * KIB, 3, FAULTS_MALLOC_FREE, &r) != 0)
        return -1;
    return faults_requests(64 * KIB, 3, FAULTS_KEPT, &r);
}

Test(faults_oom, every_failed_allocation_of_the_loop_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(sweep_requests, NULL);
}

Test(faults_oom, a_childs_failed_malloc_comes_back_as_enomem)
{
    struct faults_requests r;
    int rc, err;

    SKIP_WITHOUT_INJECTION();
    countalloc_fail_at(1, false); /* the child inherits it: its first allocation fails */
    errno = 0;
    rc = faults_requests_child(64 * KIB, 2, FAULTS_MALLOC_FREE, &r);
    err = errno;
    countalloc_fail_off();
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, err, ENOMEM), "saw %s", strerror(err));
}

/* ---- the program ---- */

Test(faults_demo, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "1025", "1x", "--bogus", "99999999999999999999999",
                                      "--time 0", "--time 1025", "--time abc"};
    static const char *const extra[] = {"4 4", "--time 4 4"};

    ASSERT_BAD_ARGUMENTS("demo/faults", "MIB must be a whole number from 1 to 1,024", bad);
    ASSERT_BAD_ARGUMENTS("demo/faults", "too many arguments", extra);
}
