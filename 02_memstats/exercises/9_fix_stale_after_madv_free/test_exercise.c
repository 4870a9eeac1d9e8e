/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-02).
 *
 * A cache of 4 buffers of 16 KiB (4 pages each), THP off for the process so that a fault
 * maps one page. Each buffer handed out is filled whole with 0x5a, given back, and handed
 * out again: every byte must read 0. With MADV_FREE and no memory pressure the kernel
 * leaves the pages and their bytes where they were (and Rss with them), so the starter
 * hands the old bytes out; with MADV_DONTNEED each page is dropped at once and reads 0.
 * The Rss figures are the mapping's own (/proc/self/smaps), as changes, and hold natively,
 * in the ASan build (the mapping is the cache's, not ASan's) and under memcheck alike. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "child.h"
#include "exercise.h"
#include "procfs.h"

#define BUFFERS 4
#define SIZE ((size_t)16 << 10)
#define FILL 0x5a

static struct cache cache;
static int thp;

static void setup(void)
{
    thp = procfs_thp_off();
    cr_assert(eq(int, cache_init(&cache, BUFFERS, SIZE), 0), "cache_init: %s", strerror(errno));
}

static void teardown(void)
{
    cache_destroy(&cache);
    procfs_thp_restore(thp);
}

/* The Rss of the mapping that holds p, in bytes. */
static uint64_t rss_of(const void *p)
{
    char text[4096];

    cr_assert(eq(int, procfs_mapping("/proc/self/smaps", p, text, sizeof text), 0), "smaps: %s",
              strerror(errno));
    return procfs_kib(text, "\nRss:");
}

static size_t nonzero(const unsigned char *b, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        k += b[i] != 0;
    return k;
}

Test(cache, a_buffer_handed_out_again_reads_zeros_in_every_byte, .init = setup, .fini = teardown)
{
    unsigned char *b[BUFFERS];

    for (int i = 0; i < BUFFERS; i++) {
        b[i] = cache_get(&cache);
        cr_assert(not(eq(ptr, b[i], NULL)), "cache_get %d: %s", i, strerror(errno));
        cr_assert(eq(sz, nonzero(b[i], SIZE), 0), "a fresh buffer reads zeros");
        memset(b[i], FILL, SIZE);
    }
    for (int i = 0; i < BUFFERS; i++)
        cr_assert(eq(int, cache_put(&cache, b[i]), 0), "cache_put %d: %s", i, strerror(errno));
    for (int i = 0; i < BUFFERS; i++) {
        unsigned char *again = cache_get(&cache);
        size_t stale;

        cr_assert(not(eq(ptr, again, NULL)), "cache_get: %s", strerror(errno));
        stale = nonzero(again, SIZE);
        cr_assert(eq(sz, stale, 0),
                  "a buffer handed out again: %zu of its %zu bytes still hold the previous owner's "
                  "0x%x. MADV_FREE leaves the bytes until the kernel needs the memory; the requests "
                  "rely on zeros", stale, SIZE, FILL);
    }
}

Test(cache, a_buffer_given_back_leaves_rss_at_once, .init = setup, .fini = teardown)
{
    unsigned char *b = cache_get(&cache);
    uint64_t empty, written, given;

    cr_assert(not(eq(ptr, b, NULL)), "cache_get: %s", strerror(errno));
    empty = rss_of(b);
    memset(b, FILL, SIZE);
    written = rss_of(b);
    cr_assert(eq(u64, written - empty, SIZE), "written whole, the buffer's %zu B are resident", SIZE);
    cr_assert(eq(int, cache_put(&cache, b), 0), "cache_put: %s", strerror(errno));
    given = rss_of(b);
    cr_assert(eq(u64, written - given, SIZE),
              "given back, the buffer's %zu B should leave Rss at once; it fell by %lld B. Pages told "
              "MADV_FREE stay resident (LazyFree in smaps) until the kernel runs short of memory",
              SIZE, (long long)(written - given));
}

Test(cache, every_buffer_can_be_had_once_and_a_stranger_is_refused, .init = setup, .fini = teardown)
{
    unsigned char *b[BUFFERS], stranger[16];

    for (int i = 0; i < BUFFERS; i++) {
        b[i] = cache_get(&cache);
        cr_assert(not(eq(ptr, b[i], NULL)), "cache_get %d: %s", i, strerror(errno));
        for (int j = 0; j < i; j++)
            cr_assert(not(eq(ptr, b[i], b[j])), "each buffer handed out once");
    }
    errno = 0;
    cr_assert(eq(ptr, cache_get(&cache), NULL), "every buffer is out");
    cr_assert(eq(int, errno, EAGAIN));
    errno = 0;
    cr_assert(eq(int, cache_put(&cache, stranger), -1), "not one of the cache's buffers");
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    cr_assert(eq(int, cache_put(&cache, b[0] + 1), -1), "not the start of a buffer");
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(int, cache_put(&cache, b[1]), 0));
    errno = 0;
    cr_assert(eq(int, cache_put(&cache, b[1]), -1), "given back twice");
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(ptr, cache_get(&cache), b[1]), "the one given back last comes out first");
}

Test(cache, handing_out_and_taking_back_allocates_nothing, .init = setup, .fini = teardown)
{
    unsigned char *b = NULL;
    int rc = -1;

    ASSERT_NO_ALLOCS(b = cache_get(&cache));
    cr_assert(not(eq(ptr, b, NULL)));
    ASSERT_NO_ALLOCS(rc = cache_put(&cache, b));
    cr_assert(eq(int, rc, 0), "%s", strerror(errno));
}

/* In a child: no address space left (RLIMIT_AS at what is mapped), then a cache. */
struct refused {
    int rc, err;
    uint64_t size_before, size_after;
};

static int no_address_space(void *ctx)
{
    struct refused *r = ctx;
    struct cache c;
    struct rlimit lim;

    r->size_before = procfs_status_bytes("\nVmSize:");
    lim.rlim_cur = lim.rlim_max = r->size_before + SIZE; /* less than 4 buffers */
    if (setrlimit(RLIMIT_AS, &lim) != 0)
        return -1;
    errno = 0;
    r->rc = cache_init(&c, BUFFERS, SIZE);
    r->err = errno;
    r->size_after = procfs_status_bytes("\nVmSize:");
    return 0;
}

Test(cache, no_address_space_for_the_buffers_is_enomem_and_maps_nothing,
     NATIVE_ONLY("Valgrind maps the address space itself"))
{
    struct refused r;

    SKIP_IN_SANITIZER_BUILD("ASan reserves its shadow memory past any RLIMIT_AS");
    cr_assert(eq(int, child_run(no_address_space, &r, sizeof r), 0), "the child: %s", strerror(errno));
    cr_assert(eq(int, r.rc, -1), "a cache under the limit");
    cr_assert(eq(int, r.err, ENOMEM), "mmap refuses with %s, saw %s", strerror(ENOMEM), strerror(r.err));
    cr_assert(eq(u64, r.size_after, r.size_before), "nothing mapped");
}
