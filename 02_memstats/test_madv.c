/* test_madv.c: lesson 02's giving pages back. A region of MIB MiB (P pages, H = P / 2),
 * THP off, a byte written a page: P faults and Rss P pages. MADV_DONTNEED: Rss 0 at once,
 * every page reads 0 (a fault a page to map the zero page, no Rss), and the next write
 * faults once a page. MADV_FREE: Rss unchanged, LazyFree P pages; with no memory pressure
 * every page still reads the old byte (the API leaves the contents to the kernel: the old
 * bytes or zeros), no fault; writing the first half takes no fault and leaves LazyFree at
 * P - H pages. MADV_PAGEOUT (Linux 5.4): the P - H lazily free pages are dropped (Rss H
 * pages, LazyFree 0), they read 0 with a fault each and the write after faults once each;
 * then, every page dirty, without swap nothing is taken (Rss P pages), with swap each page
 * is resident or in swap (Rss + Swap = P pages). glibc's malloc gives pages back with munmap
 * and MADV_DONTNEED, never MADV_FREE: the process's LazyFree stays 0 (glibc 2.36 and 2.41
 * measured the same).
 *
 * Under Valgrind the faults are Valgrind's too, and its malloc serves the blocks: the page
 * figures run natively (the ASan build included, where the passes are not instrumented);
 * the counts, the errors and the arguments run everywhere. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "child.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "hugepage.h"
#include "madv.h"
#include "procfs.h"

#define MIB ((size_t)4 << 20) /* 1,024 pages: quick to write a page at a time */

static size_t page;
static uint64_t pages, half; /* P and H */

static void setup(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    pages = MIB / page;
    half = pages / 2;
}

#define PAGES_NATIVE NATIVE_ONLY("Valgrind's own faults count, and it maps pages of its own")

/* The steps on a region of MIB, and nothing left mapped after (natively: Valgrind maps
 * pages of its own while the program runs). */
static struct madv_report measure(void)
{
    struct madv_report r;
    uint64_t before = procfs_status_bytes("\nVmSize:");

    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
    cr_assert(eq(int, madv_measure(MIB, &r), 0), "madv_measure: %s", strerror(errno));
    cr_assert(eq(u64, r.pages, pages));
    cr_assert(eq(u64, procfs_status_bytes("\nVmSize:"), before), "the region unmapped after");
    return r;
}

static void expect(const struct madv_step *s, const char *what, uint64_t faults, uint64_t rss_pages,
                   uint64_t lazy_pages)
{
    cr_assert(eq(u64, s->faults, faults), "%s: expected %llu faults, saw %llu", what,
              (unsigned long long)faults, (unsigned long long)s->faults);
    cr_assert(eq(u64, s->mem.rss, rss_pages * page), "%s: expected Rss %llu pages, saw %llu B", what,
              (unsigned long long)rss_pages, (unsigned long long)s->mem.rss);
    cr_assert(eq(u64, s->mem.lazyfree, lazy_pages * page), "%s: expected LazyFree %llu pages, saw %llu B",
              what, (unsigned long long)lazy_pages, (unsigned long long)s->mem.lazyfree);
}

/* ---- a region: what it takes, and its errors ---- */

Test(madv_region, measuring_allocates_nothing, .init = setup)
{
    struct madv_report r;
    int rc = -1;

    ASSERT_NO_ALLOCS(rc = madv_measure(MIB, &r));
    cr_assert(eq(int, rc, 0), "madv_measure: %s", strerror(errno));
    cr_assert(eq(u64, r.half, half), "the first half: P / 2 pages");
}

Test(madv_region, a_length_below_two_pages_or_not_whole_pages_maps_nothing, .init = setup)
{
    struct madv_report r;
    struct madv_timing t;
    uint64_t before = procfs_status_bytes("\nVmSize:");

    errno = 0;
    cr_assert(eq(int, madv_measure(page, &r), -1), "one page: no halves");
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    cr_assert(eq(int, madv_measure(2 * page + 1, &r), -1), "not whole pages");
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    cr_assert(eq(int, madv_time(page, MADV_PAGEOUT, &t), -1), "madv_time times DONTNEED and FREE only");
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    cr_assert(eq(int, madv_time(0, MADV_FREE, &t), -1), "no pages");
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(u64, procfs_status_bytes("\nVmSize:"), before), "nothing mapped");
}

/* In a child: no address space left (RLIMIT_AS at what is mapped), then a region. */
struct refused {
    int err, time_err;
    uint64_t size_before, size_after;
};

static int no_address_space(void *ctx)
{
    struct refused *r = ctx;
    struct madv_report rep;
    struct madv_timing t;
    struct rlimit lim;

    r->size_before = procfs_status_bytes("\nVmSize:");
    lim.rlim_cur = lim.rlim_max = r->size_before + MIB / 2; /* less than the region */
    if (setrlimit(RLIMIT_AS, &lim) != 0)
        return -1;
    errno = 0;
    if (madv_measure(MIB, &rep) == 0)
        return -1;
    r->err = errno;
    errno = 0;
    if (madv_time(MIB, MADV_FREE, &t) == 0)
        return -1;
    r->time_err = errno;
    r->size_after = procfs_status_bytes("\nVmSize:");
    return 0;
}

Test(madv_region, no_address_space_for_a_region_is_enomem_and_nothing_is_mapped, .init = setup,
     NATIVE_ONLY("Valgrind maps the address space itself"))
{
    struct refused r;

    SKIP_IN_SANITIZER_BUILD("ASan reserves its shadow memory past any RLIMIT_AS");
    cr_assert(eq(int, child_run(no_address_space, &r, sizeof r), 0),
              "the child: a region was had under the limit, or it failed: %s", strerror(errno));
    cr_assert(eq(int, r.err, ENOMEM), "mmap refuses with %s, saw %s", strerror(ENOMEM), strerror(r.err));
    cr_assert(eq(int, r.time_err, ENOMEM), "madv_time: saw %s", strerror(r.time_err));
    cr_assert(eq(u64, r.size_after, r.size_before), "nothing left mapped");
}

/* ---- the pages ---- */

Test(madv_dontneed, drops_every_page_at_once_they_read_zeros_and_the_next_write_faults_once_a_page,
     .init = setup, PAGES_NATIVE)
{
    struct madv_report r = measure();
    const struct madv_step *s = r.step;

    expect(&s[MADV_WRITTEN], "a byte written a page", pages, pages, 0);
    expect(&s[MADV_DONTNEED_CALL], "MADV_DONTNEED", 0, 0, 0);
    /* a read of a page no one maps maps the shared zero page: a fault, no Rss */
    expect(&s[MADV_DONTNEED_READ], "each page read after MADV_DONTNEED", pages, 0, 0);
    cr_assert(eq(u64, s[MADV_DONTNEED_READ].zeros, pages), "every page reads 0, saw %llu",
              (unsigned long long)s[MADV_DONTNEED_READ].zeros);
    expect(&s[MADV_DONTNEED_WRITE], "the write after MADV_DONTNEED", pages, pages, 0);
}

Test(madv_free, keeps_rss_puts_every_page_in_lazyfree_and_a_write_takes_no_fault_and_cancels_it,
     .init = setup, PAGES_NATIVE)
{
    struct madv_report r = measure();
    const struct madv_step *s = r.step;

    expect(&s[MADV_FREE_CALL], "MADV_FREE", 0, pages, pages);
    expect(&s[MADV_FREE_READ], "each page read after MADV_FREE", 0, pages, pages);
    /* the write sets the page's dirty bit: the kernel will not drop it, and LazyFree no
     * longer counts it; the page was mapped writable all along, so no fault */
    expect(&s[MADV_FREE_WRITE], "the first half written after MADV_FREE", 0, pages, pages - half);
}

Test(madv_free, with_no_memory_pressure_each_page_still_reads_its_old_byte, .init = setup, PAGES_NATIVE)
{
    struct madv_report r = measure();
    const struct madv_step *s = r.step;

    /* undefined by the API (old bytes or zeros); here no reclaim ran between the madvise
     * and the read */
    cr_assert(eq(u64, s[MADV_FREE_READ].old, pages),
              "every page still holds the byte written before MADV_FREE while the kernel has not "
              "reclaimed it: expected %llu, saw %llu (%llu zeros: memory pressure reclaimed some?)",
              (unsigned long long)pages, (unsigned long long)s[MADV_FREE_READ].old,
              (unsigned long long)s[MADV_FREE_READ].zeros);
}

/* One madvise(MADV_FREE), pinned: the kernel flags the pages through a per-CPU batch, and the
 * last one (at most 31 pages on Linux 6.18) waits for the next drain; the second call of
 * madv_free drains it first. */
Test(madv_free, one_call_can_leave_its_last_batch_out_of_lazyfree_and_madv_free_counts_every_page,
     .init = setup, PAGES_NATIVE)
{
    struct hugepage_region reg;
    struct madv_mem one, two;
    cpu_set_t was, cpu;
    int thp = procfs_thp_off();

    cr_assert(eq(int, sched_getaffinity(0, sizeof was, &was), 0));
    CPU_ZERO(&cpu);
    CPU_SET(sched_getcpu(), &cpu);
    cr_assert(eq(int, sched_setaffinity(0, sizeof cpu, &cpu), 0));
    cr_assert(eq(int, hugepage_region_map(&reg, pages, page, HUGEPAGE_NO), 0), "%s", strerror(errno));
    madv_write(reg.p, MIB, 1);
    cr_assert(eq(int, madvise(reg.p, MIB, MADV_FREE), 0));
    cr_assert(eq(int, madv_mem_read(reg.p, &one), 0));
    cr_assert(eq(int, madv_free(reg.p, MIB), 0));
    cr_assert(eq(int, madv_mem_read(reg.p, &two), 0));
    hugepage_region_unmap(&reg);
    sched_setaffinity(0, sizeof was, &was);
    procfs_thp_restore(thp);
    cr_assert(le(u64, one.lazyfree, MIB));
    cr_assert(lt(u64, MIB - one.lazyfree, 32 * page), "one call: all but the last batch at most, "
              "saw %llu B of %zu", (unsigned long long)one.lazyfree, MIB);
    cr_assert(eq(u64, two.lazyfree, MIB), "madv_free: every page, saw %llu B", (unsigned long long)two.lazyfree);
}

Test(madv_pageout, drops_the_lazily_free_pages_which_then_read_zeros_and_fault_again, .init = setup,
     PAGES_NATIVE)
{
    struct madv_report r = measure();
    const struct madv_step *s = r.step;

    if (r.pageout_err != 0)
        cr_skip_test("this kernel has no MADV_PAGEOUT (Linux 5.4 and later): %s", strerror(r.pageout_err));
    if (r.swap_total == 0) {
        expect(&s[MADV_PAGEOUT_CALL], "MADV_PAGEOUT", 0, half, 0);
    } else {
        /* the written half may go to swap too */
        cr_assert(eq(u64, s[MADV_PAGEOUT_CALL].mem.lazyfree, 0));
        cr_assert(eq(u64, s[MADV_PAGEOUT_CALL].mem.rss + s[MADV_PAGEOUT_CALL].mem.swap, half * page),
                  "with swap: the written half resident or in swap, the rest dropped");
    }
    cr_assert(eq(u64, s[MADV_PAGEOUT_READ].zeros, pages - half),
              "the dropped pages read 0: expected %llu, saw %llu", (unsigned long long)(pages - half),
              (unsigned long long)s[MADV_PAGEOUT_READ].zeros);
    cr_assert(eq(u64, s[MADV_PAGEOUT_READ].old, half), "the half written after MADV_FREE keeps its bytes");
    if (r.swap_total == 0) {
        expect(&s[MADV_PAGEOUT_READ], "each page read after MADV_PAGEOUT", pages - half, half, 0);
        expect(&s[MADV_PAGEOUT_WRITE], "the write after MADV_PAGEOUT", pages - half, pages, 0);
    }
}

Test(madv_pageout, without_swap_keeps_every_dirty_page_and_with_swap_each_is_resident_or_in_swap,
     .init = setup, PAGES_NATIVE)
{
    struct madv_report r = measure();
    const struct madv_mem *m = &r.step[MADV_PAGEOUT_DIRTY].mem;

    if (r.pageout_err != 0)
        cr_skip_test("this kernel has no MADV_PAGEOUT (Linux 5.4 and later): %s", strerror(r.pageout_err));
    cr_assert(eq(u64, m->lazyfree, 0));
    if (r.swap_total == 0)
        cr_assert(eq(u64, m->rss, MIB), "no swap: a dirty anonymous page has nowhere to go, "
                  "expected Rss %zu B, saw %llu", MIB, (unsigned long long)m->rss);
    else
        cr_assert(eq(u64, m->rss + m->swap, MIB), "swap: each page resident or in swap, "
                  "saw Rss %llu + Swap %llu", (unsigned long long)m->rss, (unsigned long long)m->swap);
}

/* ---- glibc's malloc ---- */

#define BLOCKS ((size_t)1024) /* 1,024 blocks of 1,000 B */
#define BIG ((size_t)1 << 20) /* past the mmap threshold */

Test(madv_glibc, glibc_gives_pages_back_with_munmap_and_madv_dontneed_never_madv_free, .init = setup,
     GLIBC_MALLOC_ONLY)
{
    struct madv_glibc g;
    int64_t fell;

    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER);
    cr_assert(eq(int, madv_glibc(BLOCKS, BIG, &g), 0), "%s", strerror(errno));
    cr_assert(eq(u64, g.big_written.lazyfree + g.big_freed.lazyfree + g.small_written.lazyfree +
                      g.small_freed.lazyfree + g.trimmed.lazyfree, 0),
              "glibc never gives a page MADV_FREE: LazyFree stays 0 (2.36 and 2.41)");
    /* a byte a page of BIG: its pages, the header's page among them */
    cr_assert(ge(u64, g.big_written.anon - g.start.anon, BIG), "the big block's pages resident");
    cr_assert(le(u64, g.big_written.anon - g.start.anon, BIG + 4 * page));
    cr_assert(le(u64, g.big_freed.anon, g.start.anon + 4 * page), "free munmaps it: its pages gone");
    cr_assert(le(u64, g.small_written.anon, g.small_freed.anon + 4 * page),
              "free keeps the small blocks' pages: the one above holds the heap");
    cr_assert(eq(int, g.trim_rc, 1), "malloc_trim returns 1 when it gave memory back");
    fell = (int64_t)g.small_freed.anon - (int64_t)g.trimmed.anon;
    /* all but the 7 chunks the tcache keeps merged into one free chunk; its whole pages go */
    cr_assert(ge(i64, fell, (int64_t)((BLOCKS - 8) * MADV_GLIBC_SMALL - 2 * page)),
              "malloc_trim(0) gives the free chunk's whole pages back: saw %lld B", (long long)fell);
}

Test(madv_glibc, it_makes_blocks_plus_three_allocations_and_frees_them_all, .init = setup)
{
    struct madv_glibc g;
    int rc = -1;

    ASSERT_ALLOCS(rc = madv_glibc(BLOCKS, BIG, &g), BLOCKS + 3,
                  BLOCKS * sizeof(void *) + BIG + BLOCKS * MADV_GLIBC_SMALL + MADV_GLIBC_PIN);
    cr_assert(eq(int, rc, 0), "%s", strerror(errno));
    ASSERT_NO_LEAK(madv_glibc(BLOCKS, BIG, &g));
    errno = 0;
    cr_assert(eq(int, madv_glibc(0, BIG, &g), -1));
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(int, madv_glibc(BLOCKS, 0, &g), -1));
    cr_assert(eq(int, errno, EINVAL));
}

static int sweep_glibc(void *ctx)
{
    struct madv_glibc g;

    (void)ctx;
    return madv_glibc(8, 256 * 1024, &g);
}

Test(madv_oom, every_failed_malloc_is_reported_and_leaks_nothing)
{
    struct madv_glibc g;
    int rc = 0, err;

    ASSERT_SWEEP_CLEAN(sweep_glibc, NULL);
    countalloc_fail_at(3, false); /* the first small block */
    rc = madv_glibc(8, 256 * 1024, &g);
    err = errno;
    countalloc_fail_off();
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, err, ENOMEM), "saw %s", strerror(err));
}

/* ---- the time of each advice ---- */

Test(madv_time, each_advice_writes_every_page_and_only_dontneed_makes_the_next_write_fault,
     .init = setup, PAGES_NATIVE)
{
    struct madv_timing t;
    uint64_t before = procfs_status_bytes("\nVmSize:");
    int rc = -1;

    ASSERT_NO_ALLOCS(rc = madv_time(MIB, MADV_DONTNEED, &t));
    cr_assert(eq(int, rc, 0), "%s", strerror(errno));
    cr_assert(eq(u64, t.pages, pages));
    cr_assert(eq(u64, t.faults, pages), "after MADV_DONTNEED a fault a page: saw %llu",
              (unsigned long long)t.faults);
    cr_assert(eq(int, madv_time(MIB, MADV_FREE, &t), 0), "%s", strerror(errno));
    cr_assert(eq(u64, t.faults, 0), "after MADV_FREE no fault: saw %llu", (unsigned long long)t.faults);
    cr_assert(eq(u64, procfs_status_bytes("\nVmSize:"), before), "nothing left mapped");
}

/* ---- the program ---- */

Test(madv_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "1025", "1x", "--bogus", "99999999999999999999999",
                                      "1 2", "--time 0", "--time 1025", "--time abc", "--time 1 2",
                                      "--pageout 0", "--pageout 1025", "--pageout 1 2"};

    ASSERT_BAD_ARGUMENTS("demo/madv", "MIB", bad);
}
