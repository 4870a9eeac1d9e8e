/* test_guard.c: lesson 02's guard-page allocator. The catches, probed with a SIGSEGV
 * handler in place: the first byte past a block that ends at its guard page faults, at
 * that byte's address; a block aligned to 16 leaves n rounded up to 16 minus n bytes
 * where a write is not caught, and faults at the first byte past them; a block freed
 * faults on a read, and so would a second guard_free. glibc's malloc catches none of them.
 * The costs: no heap at all (exact), the pages a block maps (worked out from its size,
 * exact), VmSize (exact); the kernel's map entries within the merges it may make at the
 * ends, resident pages and faults within bounds. Errors leave nothing mapped: a bad
 * alignment, a size that overflows, no address space left (RLIMIT_AS), and the process at
 * vm.max_map_count, where the kernel refuses the next mapping.
 *
 * guard.c allocates nothing on the heap, so there is no allocation to fail in turn: its
 * failures are the kernel's, made here with a limit in a child. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "child.h"
#include "cli_assert.h"
#include "guard.h"
#include "platform.h"
#include "procfs.h"

/* Pages the bounds allow beside what they count: the sampling's own stack and code. */
#define SLACK_PAGES 16u

static size_t page(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

static uint64_t vmsize(void)
{
    return procfs_status_bytes("\nVmSize:");
}

/* ---- the layout ---- */

/* The pages a block maps, worked out from the header, the size and the slack. */
static size_t pages_for(size_t n, size_t align)
{
    size_t slack = (align - n % align) % align;

    return (GUARD_HDR + n + slack + page() - 1) / page() + 1;
}

Test(guard_layout, a_block_maps_the_pages_its_header_size_and_slack_need_and_one_guard_page)
{
    static const size_t sizes[] = {0, 1, 13, 16, 17, 4064, 4065, 4079, 4080, 4081, 10000, 1u << 20};

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (size_t align = 1; align <= 64; align *= 4) {
            size_t n = sizes[i];

            cr_assert(eq(sz, guard_pages(n, align), pages_for(n, align)), "n %zu, align %zu", n, align);
            cr_assert(eq(sz, guard_slack(n, align), align == 1 ? 0 : (align - n % align) % align));
        }
    cr_assert(eq(sz, guard_pages(16, 1), 2), "a small block: one page and the guard");
    cr_assert(eq(sz, guard_pages(page() - GUARD_HDR, 1), 2), "the header and the block fill a page");
    cr_assert(eq(sz, guard_pages(page() - GUARD_HDR + 1, 1), 3), "one byte more takes a page more");
}

Test(guard_layout, an_end_aligned_block_ends_at_its_guard_page_and_a_16_aligned_one_slack_before)
{
    for (size_t n = 0; n <= 40; n++) {
        unsigned char *e = guard_malloc(n), *a = guard_alloc(n, 16);

        cr_assert(e != NULL && a != NULL, "n %zu: %s", n, strerror(errno));
        cr_assert(eq(u64, ((uintptr_t)e + n) % page(), 0), "n %zu: the end is the guard page", n);
        cr_assert(eq(u64, (uintptr_t)a % 16, 0), "n %zu: 16-byte aligned", n);
        cr_assert(eq(u64, ((uintptr_t)a + n + guard_slack(n, 16)) % page(), 0),
                  "n %zu: the slack ends at the guard page", n);
        guard_free(e);
        guard_free(a);
    }
}

/* ---- the catches ---- */

static void assert_faults_at(void *addr, bool write, const char *what)
{
    void *at = NULL;

    cr_assert(guard_probe(addr, write, &at), "%s: expected SIGSEGV, the access went through", what);
    cr_assert(eq(ptr, at, addr), "%s: SIGSEGV's si_addr should be the byte itself", what);
}

Test(guard_catches, the_first_byte_past_an_end_aligned_block_faults_at_its_own_address)
{
    static const size_t sizes[] = {1, 13, 16, 4000, 4080, 4081, 10000};

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        unsigned char *p = guard_malloc(n);
        char what[64];

        cr_assert(p != NULL);
        memset(p, 0x5a, n); /* every byte of the block is the program's */
        cr_assert(not(guard_probe(p + n - 1, true, NULL)), "n %zu: the last byte is writable", n);
        snprintf(what, sizeof what, "a write to p[%zu] of a %zu-byte block", n, n);
        assert_faults_at(p + n, true, what);
        snprintf(what, sizeof what, "a read of p[%zu] of a %zu-byte block", n, n);
        assert_faults_at(p + n, false, what);
        guard_free(p);
    }
}

Test(guard_catches, a_16_aligned_block_misses_a_write_into_its_slack_and_catches_the_next_byte)
{
    for (size_t n = 1; n <= 48; n++) {
        unsigned char *p = guard_alloc(n, 16);
        size_t slack = guard_slack(n, 16);
        char what[64];

        cr_assert(p != NULL);
        cr_assert(eq(sz, slack, (16 - n % 16) % 16));
        for (size_t k = 0; k < slack; k++)
            cr_assert(not(guard_probe(p + n + k, true, NULL)),
                      "n %zu: a write %zu byte(s) past the end lands in the slack, not caught", n, k + 1);
        snprintf(what, sizeof what, "n %zu: the first byte past the slack, p[%zu]", n, n + slack);
        assert_faults_at(p + n + slack, true, what);
        guard_free(p);
    }
}

Test(guard_catches, a_freed_block_faults_on_a_read_a_write_and_a_second_free)
{
    unsigned char *p = guard_malloc(13), *q = guard_alloc(100, 16);

    cr_assert(p != NULL && q != NULL);
    memset(p, 1, 13);
    guard_free(p);
    guard_free(q);
    assert_faults_at(p, false, "a read after guard_free");
    assert_faults_at(p + 12, true, "a write after guard_free");
    assert_faults_at(q + 50, false, "a read after guard_free, 16-aligned");
    /* a second guard_free reads the header first: the same read would fault there */
    assert_faults_at(p - GUARD_HDR, false, "the header a second guard_free reads");
    guard_free(NULL);
}

/* memcheck and ASan report these writes: the point of them. */
Test(guard_catches, glibc_malloc_catches_no_write_past_a_13_byte_block_nor_a_read_after_free,
     GLIBC_MALLOC_ONLY)
{
    unsigned char *p;
    size_t usable;

    p = __libc_malloc(13);
    cr_assert(p != NULL);
    usable = platform_glibc_usable_size(p);
    cr_assert(eq(sz, usable, 24), "glibc 2.36 and 2.41: a 32-byte chunk, 24 usable bytes");
    for (size_t k = 13; k < usable; k++)
        cr_assert(not(guard_probe(p + k, true, NULL)), "p[%zu] is in the chunk's padding", k);
    __libc_free(p); /* and free says nothing */
    cr_assert(not(guard_probe(p, false, NULL)), "the freed chunk is still the heap's page");
}

/* ---- the costs ---- */

Test(guard_costs, guard_alloc_and_guard_free_take_nothing_from_the_heap)
{
    void *p = NULL, *q = NULL;

    for (size_t n = 0; n <= 5000; n += 1250) {
        ASSERT_NO_ALLOCS(p = guard_malloc(n));
        ASSERT_NO_ALLOCS(q = guard_alloc(n, 16));
        cr_assert(p != NULL && q != NULL);
        ASSERT_NO_ALLOCS(guard_free(p));
        ASSERT_NO_ALLOCS(guard_free(q));
    }
}

#define N 1000
static void *ptrs[N];

Test(guard_costs, n_blocks_map_their_pages_exactly_two_entries_each_a_page_touched_each,
     NATIVE_ONLY("Valgrind keeps its own map of the address space beside the kernel's"))
{
    struct guard_cost c;
    uint64_t rss, faults;
    long entries;

    SKIP_IN_SANITIZER_BUILD("the blocks fill holes among ASan's own mappings and merge with "
                            "them, and its checks touch shadow pages of their own");
    for (int w = GUARD_END; w <= GUARD_16; w++) {
        size_t align = w == GUARD_END ? 1 : 16;

        /* a few blocks first: the code they run (mmap, mprotect, memset) is faulted in,
         * fault-around mapping up to 16 pages of a file at a time, before the run that counts */
        cr_assert(eq(int, guard_measure((enum guard_way)w, ptrs, 16, 16, &c), 0), "%s", strerror(errno));
        cr_assert(eq(int, guard_measure((enum guard_way)w, ptrs, N, 16, &c), 0), "%s", strerror(errno));
        cr_assert(eq(u64, c.taken, (uint64_t)N * pages_for(16, align) * page()));
        cr_assert(eq(u64, c.held.vmsize - c.start.vmsize, c.taken), "VmSize: every page mapped, "
                  "the guard pages included");
        entries = c.held.maps - c.start.maps;
        /* two entries a block: the data and the guard; the first and the last block's
         * pages may merge with a neighbour's of the same kind, one entry each */
        cr_assert(ge(i64, entries, 2 * N - 2), "saw %ld entries for %d blocks", entries, N);
        cr_assert(le(i64, entries, 2 * N), "saw %ld entries for %d blocks", entries, N);
        rss = c.held.vmrss - c.start.vmrss;
        cr_assert(ge(u64, rss, (uint64_t)N * page()), "one page touched a block (the header and "
                  "the block), saw %llu B", (unsigned long long)rss);
        cr_assert(le(u64, rss, (uint64_t)(N + SLACK_PAGES) * page()), "the guard page is never "
                  "resident, saw %llu B", (unsigned long long)rss);
        faults = c.held.minflt - c.start.minflt;
        cr_assert(ge(u64, faults, N), "a fault a block");
        cr_assert(le(u64, faults, N + SLACK_PAGES));
        cr_assert(eq(u64, c.left.vmsize, c.held.vmsize), "freed, the address range stays");
        cr_assert(le(u64, c.left.vmrss, c.start.vmrss + SLACK_PAGES * page()),
                  "freed, the pages go back to the kernel");
        cr_assert(lt(i64, c.left.maps, c.held.maps), "freed blocks are one PROT_NONE range each, "
                  "which merge with their neighbours");
    }
}

Test(guard_costs, glibc_takes_a_chunk_of_the_size_and_its_header_rounded_to_16_and_no_entry,
     GLIBC_MALLOC_ONLY)
{
    struct guard_cost c;

    for (size_t n = 1; n <= 100; n += 33) {
        size_t chunk = platform_chunk_for(n);

        cr_assert(eq(int, guard_measure(GUARD_LIBC, ptrs, N, n, &c), 0));
        cr_assert(ge(u64, c.taken, (uint64_t)N * chunk), "n %zu: glibc 2.36 and 2.41 chunks of %zu B",
                  n, chunk);
        /* a free chunk up to 16 B bigger is handed out whole where the rest would be too
         * small to split off (seen once in a row of 1,000 on glibc 2.41) */
        cr_assert(le(u64, c.taken, (uint64_t)N * chunk + 1024), "n %zu: %llu B for %d chunks of %zu B",
                  n, (unsigned long long)c.taken, N, chunk);
        cr_assert(le(i64, c.held.maps - c.start.maps, 0), "the heap grows by brk, in its entry");
        cr_assert(le(u64, c.held.vmsize - c.start.vmsize, c.taken + (256u << 10)),
                  "at most the chunks and the heap's top pad");
    }
}

/* ---- errors: nothing left mapped ---- */

Test(guard_errors, a_bad_alignment_is_einval_and_an_overflowing_size_enomem_with_nothing_mapped)
{
    static const size_t bad_align[] = {0, 3, 24, 8192};
    long maps = guard_map_count();
    uint64_t size = vmsize();

    for (size_t i = 0; i < sizeof bad_align / sizeof bad_align[0]; i++) {
        errno = 0;
        cr_assert(eq(ptr, guard_alloc(16, bad_align[i]), NULL));
        cr_assert(eq(int, errno, EINVAL), "align %zu", bad_align[i]);
    }
    errno = 0;
    cr_assert(eq(ptr, guard_malloc(SIZE_MAX - 10), NULL));
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(eq(ptr, guard_alloc(SIZE_MAX / 2, 16), NULL), "more than the address space");
    if (!RUNNING_ON_VALGRIND) /* Valgrind's mmap says EINVAL */
        cr_assert(eq(int, errno, ENOMEM), "more than the address space: the kernel's mmap "
                  "refuses with %s, saw %s", strerror(ENOMEM), strerror(errno));
    cr_assert(eq(i64, guard_map_count(), maps));
    cr_assert(eq(u64, vmsize(), size));
}

/* In a child with room for one page, not two: a block, and the map entries around it. */
struct maps {
    long before, after;
};

static int one_block(void *ctx)
{
    struct maps *m = ctx;
    void *p;
    int err;

    m->before = guard_map_count();
    p = guard_malloc(16);
    err = errno;
    m->after = guard_map_count();
    errno = err;
    return p != NULL ? 0 : -1;
}

Test(guard_errors, no_address_space_for_a_block_is_enomem_and_nothing_is_mapped,
     NATIVE_ONLY("Valgrind maps the address space itself"))
{
    struct maps m;
    struct child_capped c;

    SKIP_IN_SANITIZER_BUILD("ASan reserves its shadow memory past any RLIMIT_AS");
    cr_assert(eq(int, child_run_capped(page(), one_block, &m, sizeof m, &c), 0),
              "the child failed: %s", strerror(errno));
    cr_assert(eq(int, c.err, ENOMEM), "saw %s", strerror(c.err));
    cr_assert(eq(u64, c.size_after, c.size_before));
    cr_assert(eq(i64, m.after, m.before));
}

Test(guard_errors, at_vm_max_map_count_the_guard_page_is_refused_and_nothing_is_left_mapped,
     NATIVE_ONLY("Valgrind's own mappings count, and 30,000 blocks take minutes there"))
{
    struct guard_limit l;
    long max;
    char text[64];

    SKIP_IN_SANITIZER_BUILD("the blocks fill holes among ASan's own mappings and merge with them");
    cr_assert(eq(int, procfs_read("/proc/sys/vm/max_map_count", text, sizeof text), 0));
    max = strtol(text, NULL, 10);
    if (max > GUARD_LIMIT_MAX)
        cr_skip_test("vm.max_map_count is %ld here: past %ld blocks the test takes too long",
                     max, GUARD_LIMIT_MAX / 2);
    cr_assert(eq(int, guard_limit(&l), 0), "the child: %s", strerror(errno));
    cr_assert(eq(int, l.err, ENOMEM), "saw %s", strerror(l.err));
    /* two entries a block: the mmap is refused at the limit; the split that makes the
     * guard page was allowed one entry past it on this kernel (6.18), so an odd number of
     * entries left rounds up: half of them, rounded either way */
    cr_assert(ge(i64, l.made, (max - l.before) / 2), "%ld entries to begin with, a limit of "
              "%ld: expected half the entries left, saw %ld blocks", l.before, max, l.made);
    cr_assert(le(i64, l.made, (max - l.before + 1) / 2), "%ld entries to begin with, a limit "
              "of %ld: expected half the entries left, saw %ld blocks", l.before, max, l.made);
    cr_assert(eq(i64, l.after, l.before + 2 * l.made), "the refused block left nothing mapped");
}

/* ---- the program ---- */

Test(guard_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "20001", "1x", "--bogus",
                                      "99999999999999999999999", "1 2", "--counted 1 2"};
    static const char *const bad_limit[] = {"--limit 5", "--limit --counted"};

    ASSERT_BAD_ARGUMENTS("demo/guard", "N", bad);
    ASSERT_BAD_ARGUMENTS("demo/guard", "--limit", bad_limit);
}
