/* test_threads.c: lesson 02's "what a thread costs". Counts exact, worked out from N and
 * from glibc's own rules, the same on 2.36 and 2.41: each new thread is one calloc, its
 * dynamic thread vector (DTV), (highest TLS module id + 14 + 2) entries of 16 bytes
 * (elf/dl-tls.c: DTV_SURPLUS 14, a length and a generation entry); a joined thread's stack
 * goes to glibc's cache while it holds at most 40 MiB (glibc.pthread.stack_cache_size),
 * past that the oldest are unmapped and their DTVs freed; a thread that reuses a cached
 * stack allocates nothing. VmSize grows by the stack and its guard page a thread, exactly;
 * VmRSS within bounds, since the kernel counts the pages. The pages are skipped under
 * Valgrind and in sanitizer builds, whose threads are their own. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <limits.h>
#include <link.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "procfs.h"
#include "threads.h"

#define SMALL (64u << 10)          /* a stack of 64 KiB */
#define CACHE (40ull << 20)        /* glibc's cache of stacks: 40 MiB, 2.36 and 2.41 */
#define MAX 256

static pthread_t tid[MAX];

/* ---- what glibc's rules say a batch costs ---- */

static int max_modid(struct dl_phdr_info *info, size_t size, void *data)
{
    size_t *max = data;

    (void)size;
    if (info->dlpi_tls_modid > *max)
        *max = info->dlpi_tls_modid;
    return 0;
}

/* What glibc callocs for a new thread's DTV: (highest module id + 14 + 2) * 16 bytes. */
static uint64_t dtv_bytes(void)
{
    size_t max = 0;

    dl_iterate_phdr(max_modid, &max);
    return (max + 14 + 2) * 16;
}

static uint64_t page(void)
{
    return (uint64_t)sysconf(_SC_PAGESIZE);
}

static size_t default_stack(void)
{
    size_t stack, guard;

    threads_defaults(&stack, &guard);
    return stack;
}

static size_t default_guard(void)
{
    size_t stack, guard;

    threads_defaults(&stack, &guard);
    return guard;
}

/* The mapping of a thread with a stack of stack bytes (0: the default): glibc aligns the
 * size down to its static TLS alignment (64 B on x86-64, more if a module asks), adds the
 * guard page, and mmap rounds the length up to whole pages. */
static uint64_t mapping(size_t stack)
{
    uint64_t s = (stack != 0 ? stack : default_stack()) / 64 * 64;

    return (s + default_guard() + page() - 1) / page() * page();
}

/* How many of n joined stacks of one size glibc keeps: as many as fit in its cache. */
static uint64_t kept(uint64_t n, size_t stack)
{
    uint64_t fit = CACHE / mapping(stack);

    return n < fit ? n : fit;
}

static struct threads_cost measure(size_t n, size_t stack)
{
    struct threads_cost c;

    cr_assert(eq(int, threads_measure(tid, n, stack, &c), 0), "%zu threads: %s", n, strerror(errno));
    return c;
}

/* ---- the counts ---- */

Test(threads_counts, glibc_reports_an_8_mib_default_stack_and_a_guard_page)
{
    struct rlimit rl;

    cr_assert(eq(int, getrlimit(RLIMIT_STACK, &rl), 0));
    if (rl.rlim_cur != RLIM_INFINITY)
        cr_assert(eq(u64, default_stack(), (uint64_t)rl.rlim_cur / page() * page()),
                  "the default stack is RLIMIT_STACK's soft limit");
    cr_assert(eq(u64, default_guard(), page()));
}

Test(threads_counts, each_new_thread_is_one_calloc_of_its_dtv_whatever_its_stack)
{
    static const size_t n[] = {1, 7, 64};
    struct threads_cost c;

    SKIP_IN_SANITIZER_BUILD("ASan's thread start-up allocates through the same hooks");
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
        /* a stack size of its own each time: no stack of an earlier batch fits it */
        c = measure(n[i], SMALL << (2 * i));
        cr_assert(eq(u64, c.start.mallocs, n[i]), "%zu threads: expected %zu callocs (one DTV "
                  "each), saw %llu", n[i], n[i], (unsigned long long)c.start.mallocs);
        cr_assert(eq(u64, c.start.total_alloc, n[i] * dtv_bytes()),
                  "%zu threads: expected %zu DTVs of %llu B (glibc 2.36 and 2.41), saw %llu B",
                  n[i], n[i], (unsigned long long)dtv_bytes(),
                  (unsigned long long)c.start.total_alloc);
        cr_assert(eq(u64, c.join.mallocs, 0), "the join allocates nothing");
    }
    c = measure(3, 0);
    cr_assert(eq(u64, c.start.mallocs, 3), "the default stack: one calloc a thread too");
    cr_assert(eq(u64, c.start.total_alloc, 3 * dtv_bytes()));
}

Test(threads_counts, a_join_keeps_40_mib_of_stacks_and_frees_the_dtvs_of_the_rest)
{
    const uint64_t n = 16;
    struct threads_cost c;

    SKIP_IN_SANITIZER_BUILD("ASan's thread start-up allocates through the same hooks");
    c = measure(n, 0);
    cr_assert(eq(u64, c.join.frees, n - kept(n, 0)),
              "%llu stacks of %llu B: %llu fit in 40 MiB, the rest are unmapped and their DTVs "
              "freed; saw %llu frees", (unsigned long long)n, (unsigned long long)mapping(0),
              (unsigned long long)kept(n, 0), (unsigned long long)c.join.frees);
    cr_assert(eq(i64, c.join.heap_alloc, -(int64_t)((n - kept(n, 0)) * dtv_bytes())));
    c = measure(n, SMALL);
    cr_assert(eq(u64, c.join.frees, n - kept(n, SMALL)), "16 stacks of 68 KiB all fit: no free");
}

Test(threads_counts, a_second_batch_reuses_the_cached_stacks_and_allocates_for_the_rest_only)
{
    const uint64_t n = 16;
    struct threads_cost c;

    SKIP_IN_SANITIZER_BUILD("ASan's thread start-up allocates through the same hooks");
    measure(n, 0);
    c = measure(n, 0);
    cr_assert(eq(u64, c.start.mallocs, n - kept(n, 0)),
              "%llu of the %llu threads get a cached stack, its DTV with it; saw %llu callocs",
              (unsigned long long)kept(n, 0), (unsigned long long)n,
              (unsigned long long)c.start.mallocs);
    measure(MAX, SMALL);
    c = measure(MAX, SMALL);
    cr_assert(eq(u64, c.start.mallocs, MAX - kept(MAX, SMALL)),
              "%d stacks of 64 KiB fit in the cache beside the default ones: no allocation",
              MAX);
}

/* ---- errors ---- */

Test(threads_errors, no_thread_or_a_stack_below_pthread_stack_min_is_einval_with_nothing_taken)
{
    struct threads_batch b;
    int rc = 0;

    errno = 0;
    ASSERT_NO_ALLOCS(rc = threads_start(&b, tid, 0, 0));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    ASSERT_NO_ALLOCS(rc = threads_start(&b, tid, 4, PTHREAD_STACK_MIN - 1));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
}

/* ---- out of memory, out of address space ---- */

/* Start 8 default threads and join them. The cache is full before (4 stacks of 8 MiB), so
 * the first 4 reuse a cached stack and DTV, the others calloc theirs; after the join the
 * cache holds 4 again: a failure at any point leaves the heap where it was. */
static int sweep_batch(void *ctx)
{
    struct threads_batch b;

    (void)ctx;
    if (threads_start(&b, tid, 8, 0) != 0)
        return -1;
    threads_join(&b);
    return 0;
}

Test(threads_oom, a_failed_dtv_is_reported_and_every_thread_started_is_joined)
{
    SKIP_WITHOUT_INJECTION();
    measure(kept(MAX, 0) + 1, 0); /* the cache full of default stacks */
    ASSERT_SWEEP_CLEAN(sweep_batch, NULL);
}

Test(threads_oom, a_failed_calloc_makes_pthread_create_say_eagain_and_nothing_stays_running)
{
    struct threads_batch b;
    int rc = 0;

    SKIP_WITHOUT_INJECTION();
    countalloc_fail_at(3, false); /* the third thread's DTV */
    errno = 0;
    rc = threads_start(&b, tid, 5, SMALL);
    countalloc_fail_off();
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EAGAIN), "glibc 2.36 and 2.41 report a failed DTV as EAGAIN, saw %s",
              strerror(errno));
    cr_assert(eq(sz, b.started, 0), "the two started are joined");
}

Test(threads_oom, no_address_space_for_a_stack_is_eagain_and_the_started_are_joined,
     GLIBC_MALLOC_ONLY)
{
    struct threads_batch b;
    struct rlimit old, rl;
    uint64_t size, rss;
    int rc = 0, err;

    cr_assert(eq(int, procfs_self_vm(&size, &rss), 0));
    cr_assert(eq(int, getrlimit(RLIMIT_AS, &old), 0));
    rl = old;
    rl.rlim_cur = size + 3 * mapping(0) + (1u << 20); /* room for 3 default stacks */
    cr_assert(eq(int, setrlimit(RLIMIT_AS, &rl), 0));
    errno = 0;
    rc = threads_start(&b, tid, 8, 0);
    err = errno;
    setrlimit(RLIMIT_AS, &old);
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, err, EAGAIN), "mmap of a stack failed: pthread_create says EAGAIN, saw %s",
              strerror(err));
    cr_assert(eq(sz, b.started, 0));
}

/* ---- the pages: VmSize exact, VmRSS within bounds ---- */

Test(threads_pages, vmsize_grows_by_the_stack_and_its_guard_page_a_thread, GLIBC_MALLOC_ONLY)
{
    static const size_t stack[] = {0, SMALL, 5 * SMALL + 1}; /* none fits a cached one */
    const uint64_t n = 32;

    for (size_t i = 0; i < sizeof stack / sizeof stack[0]; i++) {
        struct threads_cost c = measure(n, stack[i]);

        cr_assert(eq(u64, c.parked.size - c.before.size, n * mapping(stack[i])),
                  "stack %zu: expected %llu B a thread (the stack aligned down, a guard page), "
                  "saw %llu B", stack[i], (unsigned long long)mapping(stack[i]),
                  (unsigned long long)((c.parked.size - c.before.size) / n));
    }
}

Test(threads_pages, after_the_join_vmsize_keeps_what_the_cache_holds, GLIBC_MALLOC_ONLY)
{
    const uint64_t n = 32;
    struct threads_cost c;

    c = measure(n, 0);
    cr_assert(eq(u64, c.joined.size - c.before.size, kept(n, 0) * mapping(0)),
              "of %llu default stacks the cache keeps %llu", (unsigned long long)n,
              (unsigned long long)kept(n, 0));
    c = measure(n, SMALL);
    cr_assert(eq(u64, c.joined.size - c.before.size, n * mapping(SMALL)),
              "every 64 KiB stack is kept");
    c = measure(n, SMALL);
    cr_assert(eq(u64, c.parked.size, c.before.size), "a second batch maps nothing new");
}

Test(threads_pages, a_parked_thread_touches_a_few_pages_of_its_stack, GLIBC_MALLOC_ONLY)
{
    const uint64_t n = MAX;

    for (int big = 0; big < 2; big++) {
        struct threads_cost c = measure(n, big ? 0 : SMALL);
        int64_t grew = (int64_t)(c.parked.rss - c.before.rss);

        /* pthread_create writes the thread's descriptor and TLS at the top of its stack;
         * the thread's frames lie below them */
        cr_assert(ge(i64, grew, (int64_t)(n * page() / 2)),
                  "at least a page for every other thread, saw %lld B", (long long)grew);
        cr_assert(le(i64, grew, (int64_t)(n * 8 * page())),
                  "at most 8 pages a thread whatever the stack, saw %lld B a thread",
                  (long long)grew / (long long)n);
    }
}

/* ---- the program ---- */

Test(threads_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "1025", "1x", "--bogus",
                                      "99999999999999999999999", "1 2", "--counted 0"};

    ASSERT_BAD_ARGUMENTS("demo/threads", "N", bad);
}
