/* test_cow.c: lesson 02's "what fork costs". Counts exact: the buffer is one allocation,
 * the fork allocates nothing in the parent, the child's small mallocs are what it counted.
 * Pages within bounds, since the kernel decides them: reading the buffer copies none of
 * it, writing one byte a page copies every page, the parent's buffer and Rss stay as they
 * were, and the two processes' Pss add up to the pages once where their Rss count them
 * twice. The bounds hold with transparent huge pages in any mode (always, madvise, never).
 * Under Valgrind the pages are skipped: it writes pages of its own as it translates code,
 * and serves the buffer from its own arena. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "cow.h"

#define LEN (4u << 20) /* 4 MiB: past the mmap threshold, so the buffer has its own mapping */
#define HUGE_PAGE (2u << 20)

/* A few pages the tests allow beside what they count: the kernel merges an anonymous
 * mapping with the one next to it, so the buffer's mapping can hold a neighbour's pages
 * (glibc's, the counting allocator's), which the child may write while it samples. */
#define SLACK_PAGES 4

static size_t page;
static struct cow_buf b;
static struct cow_report r;

static void setup(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    cr_assert(eq(int, cow_buf_new(&b, LEN), 0));
}

static void teardown(void)
{
    cow_buf_free(&b);
}

/* The mark of every test that calls the helper below. */
#define COW_NATIVE \
    NATIVE_ONLY("Valgrind writes pages of its own and serves the buffer from its arena")

static void measure(void)
{
    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
    cr_assert(eq(int, cow_fork_measure(&b, &r), 0), "cow_fork_measure: %s", strerror(errno));
}

/* ---- the counts ---- */

Test(cow_counts, the_buffer_is_one_allocation_and_its_free_gives_it_back)
{
    struct cow_buf c;
    struct countalloc_stats d;
    int rc = -1;

    ASSERT_ALLOCS(rc = cow_buf_new(&c, LEN), 1, LEN);
    cr_assert(eq(int, rc, 0));
    cr_assert(cow_buf_intact(&c), "every byte holds the pattern");
    ALLOC_MEASURE(cow_buf_free(&c), d);
    cr_assert(eq(u64, d.frees, 1));
    cr_assert(eq(i64, d.heap_alloc, -(int64_t)LEN));
    ASSERT_NO_ALLOCS(cow_buf_free(&c)); /* an empty one: nothing */
}

Test(cow_counts, the_small_step_makes_its_mallocs_and_frees_them_all)
{
    int rc = -1;

    ASSERT_ALLOCS(rc = cow_small_allocs(), COW_SMALL_ALLOCS, COW_SMALL_ALLOCS * COW_SMALL_SIZE);
    cr_assert(eq(int, rc, 0));
    ASSERT_NO_LEAK(cow_small_allocs());
}

Test(cow_counts, the_parent_allocates_nothing_and_the_child_counts_its_own_mallocs,
     .init = setup, .fini = teardown)
{
    int rc = -1;

    ASSERT_NO_ALLOCS(rc = cow_fork_measure(&b, &r));
    cr_assert(eq(int, rc, 0), "cow_fork_measure: %s", strerror(errno));
    cr_assert(eq(u64, r.small_mallocs, COW_SMALL_ALLOCS),
              "the child's step (c), counted in the child: %d mallocs", COW_SMALL_ALLOCS);
    cr_assert(eq(u64, r.small_frees, COW_SMALL_ALLOCS));
    cr_assert(eq(u64, r.small_bytes, COW_SMALL_ALLOCS * COW_SMALL_SIZE));
}

Test(cow_counts, writing_one_byte_a_page_writes_each_page_the_buffer_spans_once)
{
    unsigned char *p;
    size_t n;

    page = (size_t)sysconf(_SC_PAGESIZE);
    p = malloc(3 * page + 1);
    cr_assert(not(eq(ptr, p, NULL)));
    memset(p, 1, 3 * page + 1);
    n = cow_write_pages(p + 1, 3 * page);
    cr_assert(eq(sz, n, cow_pages_spanned(p + 1, 3 * page)));
    cr_assert(eq(u64, cow_sum(p + 1, 3 * page), 3 * page - n + n * (1 ^ 0xff)),
              "each page written once: %zu bytes changed", n);
    cr_assert(eq(sz, cow_pages_spanned(p, 0), 0));
    cr_assert(eq(sz, cow_pages_spanned((void *)page, page), 1), "one whole page");
    cr_assert(eq(sz, cow_pages_spanned((void *)(2 * page - 1), 2), 2), "two bytes astride a boundary");
    free(p);
}

/* ---- the pages ---- */

Test(cow_pages, reading_the_buffer_copies_none_of_its_pages, .init = setup, .fini = teardown,
     COW_NATIVE)
{
    const struct cow_sample *f = &r.at[COW_FORKED], *a = &r.at[COW_READ];

    measure();
    cr_assert(eq(u64, r.sum_read, r.parent_sum_before), "the child reads the parent's bytes");
    /* reading writes no page of the buffer: what the mapping gains is a neighbour's */
    cr_assert(le(u64, a->child_buf.private_dirty - f->child_buf.private_dirty, SLACK_PAGES * page),
              "reading %u bytes made %llu bytes of the buffer's mapping private", LEN,
              (unsigned long long)(a->child_buf.private_dirty - f->child_buf.private_dirty));
    cr_assert(le(u64, a->child.private_dirty - f->child.private_dirty, SLACK_PAGES * page),
              "the whole child: reading copies (almost) nothing");
    cr_assert(le(u64, a->minflt - f->minflt, SLACK_PAGES), "a read of a shared page does not fault");
}

Test(cow_pages, writing_one_byte_a_page_copies_every_page_of_the_buffer,
     .init = setup, .fini = teardown, COW_NATIVE)
{
    const struct cow_sample *a = &r.at[COW_READ], *w = &r.at[COW_WRITE];
    uint64_t copied, faults;

    measure();
    cr_assert(eq(sz, r.pages, cow_pages_spanned(b.p, b.len)));
    copied = w->child_buf.private_dirty - a->child_buf.private_dirty;
    faults = w->minflt - a->minflt;
    cr_assert(ge(u64, copied, r.pages * page), "%zu pages written: at least as many copied, saw %llu bytes",
              r.pages, (unsigned long long)copied);
    /* with 4 KiB pages one copy each; a kernel that copied a whole huge page on a write
     * to it would copy up to the huge pages the buffer spans */
    cr_assert(le(u64, copied, r.pages * page + 2 * HUGE_PAGE + SLACK_PAGES * page));
    cr_assert(ge(u64, faults, r.pages * page / HUGE_PAGE), "at least a fault per huge page");
    cr_assert(le(u64, faults, r.pages + SLACK_PAGES), "at most a fault per page written");
    cr_assert(not(eq(u64, r.sum_written, r.sum_read)), "the child's writes changed its bytes");
}

Test(cow_pages, the_parents_buffer_and_rss_are_unchanged_by_the_childs_writes,
     .init = setup, .fini = teardown, COW_NATIVE)
{
    const struct cow_sample *a = &r.at[COW_READ], *w = &r.at[COW_WRITE];

    measure();
    cr_assert(r.parent_intact, "the parent's buffer holds the pattern after the child wrote");
    cr_assert(eq(u64, r.parent_sum_after, r.parent_sum_before));
    cr_assert(eq(u64, w->parent_buf.rss, a->parent_buf.rss), "the parent's pages stay its own");
    cr_assert(eq(u64, w->parent.rss, a->parent.rss),
              "the parent's whole Rss does not move while the child writes");
    cr_assert(eq(u64, r.parent_buf_after.rss, r.parent_buf_before.rss));
}

Test(cow_pages, after_fork_rss_counts_the_shared_pages_in_each_and_pss_splits_them,
     .init = setup, .fini = teardown, COW_NATIVE)
{
    const struct cow_sample *f = &r.at[COW_FORKED], *w = &r.at[COW_WRITE];
    uint64_t pss, own;

    measure();
    pss = f->child_buf.pss + f->parent_buf.pss;
    own = f->child_buf.private_dirty + f->parent_buf.private_dirty;
    cr_assert(ge(u64, f->parent_buf.rss, LEN), "the parent's mapping holds the buffer");
    cr_assert(eq(u64, f->child_buf.rss, f->parent_buf.rss), "the child maps every page too");
    /* the shared pages once, and each process's own copies (a neighbour's) once each; a kB
     * of rounding per process */
    cr_assert(ge(u64, pss + 2048, f->parent_buf.rss), "Pss %llu B against Rss %llu B",
              (unsigned long long)pss, (unsigned long long)f->parent_buf.rss);
    cr_assert(le(u64, pss, f->parent_buf.rss + own + 2048), "Pss %llu B, Rss %llu B, own %llu B",
              (unsigned long long)pss, (unsigned long long)f->parent_buf.rss, (unsigned long long)own);
    /* once the child has written every page of the buffer, none of them is shared: Pss
     * is Rss in each, but for a neighbour's pages that neither process wrote */
    cr_assert(le(u64, w->parent_buf.rss - w->parent_buf.pss, SLACK_PAGES * page),
              "the parent's Pss %llu B, its Rss %llu B", (unsigned long long)w->parent_buf.pss,
              (unsigned long long)w->parent_buf.rss);
    cr_assert(le(u64, w->child_buf.rss - w->child_buf.pss, SLACK_PAGES * page),
              "the child's Pss %llu B, its Rss %llu B", (unsigned long long)w->child_buf.pss,
              (unsigned long long)w->child_buf.rss);
}

Test(cow_pages, small_mallocs_in_the_child_copy_a_few_pages, .init = setup, .fini = teardown,
     COW_NATIVE)
{
    const struct cow_sample *w = &r.at[COW_WRITE], *s = &r.at[COW_SMALL];
    uint64_t copied;

    measure();
    SKIP_IN_SANITIZER_BUILD("ASan's allocator keeps its own bookkeeping");
    copied = s->child.private_dirty - w->child.private_dirty;
    /* the child's first mallocs: the heap page its chunks come from at least; at most
     * that and glibc's arena state, the tcache and the counting allocator's counters,
     * a page or two each */
    cr_assert(ge(u64, copied, page), "the heap page its chunks are carved from is copied");
    cr_assert(le(u64, copied, 8 * page), "%llu bytes copied for %d mallocs of %d B",
              (unsigned long long)copied, COW_SMALL_ALLOCS, COW_SMALL_SIZE);
}

/* The same steps on a buffer the kernel may map with huge pages: madvise(MADV_HUGEPAGE)
 * on whole huge pages, before the first write. With THP "never" it gets 4 KiB pages and
 * the bounds hold as above; where it gets huge pages, they hold too. */
#define HUGE_LEN (4 * HUGE_PAGE)
static unsigned char *huge_raw;

static void setup_huge(void)
{
    uintptr_t at;

    page = (size_t)sysconf(_SC_PAGESIZE);
    huge_raw = malloc(HUGE_LEN + HUGE_PAGE);
    cr_assert(not(eq(ptr, huge_raw, NULL)));
    at = ((uintptr_t)huge_raw + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    b = (struct cow_buf){(unsigned char *)at, HUGE_LEN}; /* a view: huge_raw owns it */
    madvise(b.p, b.len, MADV_HUGEPAGE); /* a hint: a kernel without THP says EINVAL */
    for (size_t i = 0; i < b.len; i++)
        b.p[i] = cow_fill_byte(i);
}

static void teardown_huge(void)
{
    free(huge_raw);
}

Test(cow_pages, the_bounds_hold_where_the_kernel_may_map_huge_pages,
     .init = setup_huge, .fini = teardown_huge, COW_NATIVE)
{
    const struct cow_sample *f = &r.at[COW_FORKED], *a = &r.at[COW_READ], *w = &r.at[COW_WRITE];
    uint64_t copied;

    measure();
    cr_assert(le(u64, a->child_buf.private_dirty - f->child_buf.private_dirty, SLACK_PAGES * page),
              "reading copies none of the buffer");
    copied = w->child_buf.private_dirty - a->child_buf.private_dirty;
    cr_assert(ge(u64, copied, r.pages * page), "every page written is copied, saw %llu bytes",
              (unsigned long long)copied);
    cr_assert(le(u64, copied, HUGE_LEN + SLACK_PAGES * page), "no more than the buffer");
    cr_assert(le(u64, w->minflt - a->minflt, r.pages + SLACK_PAGES));
    cr_assert(r.parent_intact);
    cr_assert(eq(u64, w->parent_buf.rss, a->parent_buf.rss));
}

/* ---- out of memory ---- */

static int sweep_buf(void *ctx)
{
    struct cow_buf c;

    (void)ctx;
    if (cow_buf_new(&c, 1024) != 0)
        return -1;
    cow_buf_free(&c);
    return 0;
}

static int sweep_small(void *ctx)
{
    (void)ctx;
    return cow_small_allocs();
}

Test(cow_oom, the_buffer_and_the_small_step_report_every_failed_allocation_and_leak_nothing)
{
    ASSERT_SWEEP_CLEAN(sweep_buf, NULL);
    ASSERT_SWEEP_CLEAN(sweep_small, NULL);
}

Test(cow_oom, a_child_that_runs_out_is_reported_and_the_parent_is_left_as_it_was,
     .init = setup, .fini = teardown)
{
    struct countalloc_stats d;
    int rc = 0, err;

    SKIP_WITHOUT_INJECTION();
    countalloc_fail_at(1, false); /* the parent makes no allocation: the child's first fails */
    ALLOC_MEASURE(rc = cow_fork_measure(&b, &r), d);
    err = errno;
    cr_assert(eq(u64, countalloc_fail_off(), 0), "the failure happened in the child, not here");
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, err, ENOMEM), "the child's ENOMEM comes back, saw %s", strerror(err));
    cr_assert(eq(u64, d.mallocs, 0));
    cr_assert(cow_buf_intact(&b));
}

/* ---- the program ---- */

Test(cow_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "257", "1x", "--bogus", "99999999999999999999999", "1 2"};

    ASSERT_BAD_ARGUMENTS("demo/cow", "MIB", bad);
}
