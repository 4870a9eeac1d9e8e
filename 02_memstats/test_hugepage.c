/* test_hugepage.c: lesson 02's transparent huge pages. The mode is parsed from the text of
 * the sysfs file, a missing file read as a kernel without THP, and each mode's promise
 * checked: the most huge pages a region may get for its advice. On this kernel, for each
 * advice, a region of SPANS spans written one byte a span takes exactly SPANS faults, one
 * a span huge or not, and its Rss is exactly H x the huge page + (SPANS - H) x a page,
 * H being its AnonHugePages in huge pages; written one byte a page, H faults for the huge
 * spans and a page's each for the others, and all of it resident. H itself is the kernel's
 * to choose, up to what the mode allows: 0 with MADV_NOHUGEPAGE in every mode, 0 for all
 * three in never (or with no THP at all), 0 without advice in madvise; with MADV_HUGEPAGE
 * in madvise or always, and without advice in always, up to SPANS, as many as it found
 * free 2 MiB blocks for. A malloc'd block starts a few bytes into a page: its first span's
 * byte shares the page malloc wrote its header in, so SPANS - 1 faults, and H at most
 * SPANS - 1, with or without glibc.malloc.hugetlb=1.
 *
 * Under Valgrind the faults are Valgrind's too, and its malloc serves the block: the page
 * figures run natively; the counts and the parsing run everywhere. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "child.h"
#include "cli_assert.h"
#include "hugepage.h"
#include "platform.h"
#include "procfs.h"
#include "shuffle.h"

#define SPANS 8 /* 16 MiB of 2 MiB spans: enough to see, quick to write a page at a time */

static size_t page, span;
static enum hugepage_mode mode;
static unsigned small_folios;

static void setup(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    span = hugepage_size_read(HUGEPAGE_PMD_SIZE);
    mode = hugepage_mode_read(HUGEPAGE_ENABLED, NULL, 0);
    small_folios = hugepage_small_folios(span);
}

/* ---- the mode, from sysfs ---- */

Test(hugepage_mode, the_bracketed_word_is_the_mode)
{
    static const struct {
        const char *text;
        enum hugepage_mode mode;
    } ok[] = {
        {"always [madvise] never\n", HUGEPAGE_MADVISE},
        {"[always] madvise never\n", HUGEPAGE_ALWAYS},
        {"always madvise [never]\n", HUGEPAGE_NEVER},
        {"[never]", HUGEPAGE_NEVER},
    };
    static const char *const bad[] = {"always madvise never\n", "[sometimes] never", "[madvise", "", "[]"};
    enum hugepage_mode m;

    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        cr_assert(eq(int, hugepage_mode_parse(ok[i].text, &m), 0), "'%s'", ok[i].text);
        cr_assert(eq(int, (int)m, (int)ok[i].mode), "'%s': expected %s, saw %s", ok[i].text,
                  hugepage_mode_name(ok[i].mode), hugepage_mode_name(m));
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        m = HUGEPAGE_ALWAYS;
        errno = 0;
        cr_assert(eq(int, hugepage_mode_parse(bad[i], &m), -1), "'%s' names no mode", bad[i]);
        cr_assert(eq(int, errno, EINVAL));
        cr_assert(eq(int, (int)m, HUGEPAGE_ALWAYS), "'%s': the mode is left as it was", bad[i]);
    }
}

/* A file of text in $TMPDIR (/tmp without it), its path into path[size]. */
static void write_file(const char *text, char *path, size_t size)
{
    const char *dir = getenv("TMPDIR");
    int fd;

    snprintf(path, size, "%s/hugepage_test_XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    cr_assert(fd >= 0, "mkstemp %s: %s", path, strerror(errno));
    cr_assert(eq(sz, (size_t)write(fd, text, strlen(text)), strlen(text)));
    close(fd);
}

Test(hugepage_mode, a_file_is_read_without_allocating_and_a_missing_one_is_missing)
{
    char path[512], text[64];
    enum hugepage_mode m = HUGEPAGE_NEVER;
    size_t size = 0;

    write_file("always [madvise] never\n", path, sizeof path);
    ASSERT_NO_ALLOCS(m = hugepage_mode_read(path, text, sizeof text));
    cr_assert(eq(int, (int)m, HUGEPAGE_MADVISE));
    cr_assert(eq(str, text, "always [madvise] never"), "its text, the newline dropped");
    unlink(path);
    write_file("nonsense\n", path, sizeof path);
    cr_assert(eq(int, (int)hugepage_mode_read(path, text, sizeof text), HUGEPAGE_MISSING),
              "a text that names no mode reads as missing");
    unlink(path);
    ASSERT_NO_ALLOCS(m = hugepage_mode_read(path, text, sizeof text));
    cr_assert(eq(int, (int)m, HUGEPAGE_MISSING), "no file: a kernel without THP");
    cr_assert(eq(str, text, ""));

    write_file("1048576\n", path, sizeof path);
    ASSERT_NO_ALLOCS(size = hugepage_size_read(path));
    cr_assert(eq(sz, size, 1048576));
    unlink(path);
    cr_assert(eq(sz, hugepage_size_read(path), HUGEPAGE_DEFAULT_SIZE), "no file: 2 MiB");
    write_file("huge\n", path, sizeof path);
    cr_assert(eq(sz, hugepage_size_read(path), HUGEPAGE_DEFAULT_SIZE), "no number: 2 MiB");
    unlink(path);
}

Test(hugepage_mode, this_kernels_file_reads_as_a_mode_or_is_missing)
{
    char text[256];
    enum hugepage_mode m = hugepage_mode_read(HUGEPAGE_ENABLED, text, sizeof text);

    if (access(HUGEPAGE_ENABLED, R_OK) != 0) {
        cr_assert(eq(int, (int)m, HUGEPAGE_MISSING));
    } else {
        cr_assert(not(eq(int, (int)m, HUGEPAGE_MISSING)), "'%s' names a mode", text);
        cr_assert(not(eq(ptr, strstr(text, hugepage_mode_name(m)), NULL)));
    }
    span = hugepage_size_read(HUGEPAGE_PMD_SIZE);
    cr_assert(ge(sz, span, 2 * (size_t)sysconf(_SC_PAGESIZE)));
    cr_assert(eq(sz, span & (span - 1), 0), "a huge page is a power of two: %zu", span);
}

Test(hugepage_mode, each_mode_allows_huge_pages_only_where_it_says)
{
    for (int m = HUGEPAGE_MISSING; m <= HUGEPAGE_ALWAYS; m++) {
        enum hugepage_mode md = (enum hugepage_mode)m;

        /* MADV_NOHUGEPAGE: none, in every mode */
        cr_assert(eq(sz, hugepage_most(md, HUGEPAGE_NO, SPANS), 0), "%s", hugepage_mode_name(md));
        /* never, or no THP: none, whatever the advice */
        if (md == HUGEPAGE_NEVER || md == HUGEPAGE_MISSING) {
            cr_assert(eq(sz, hugepage_most(md, HUGEPAGE_NONE, SPANS), 0));
            cr_assert(eq(sz, hugepage_most(md, HUGEPAGE_YES, SPANS), 0));
        }
    }
    /* madvise: only where asked */
    cr_assert(eq(sz, hugepage_most(HUGEPAGE_MADVISE, HUGEPAGE_NONE, SPANS), 0));
    cr_assert(eq(sz, hugepage_most(HUGEPAGE_MADVISE, HUGEPAGE_YES, SPANS), SPANS));
    /* always: wherever not told otherwise */
    cr_assert(eq(sz, hugepage_most(HUGEPAGE_ALWAYS, HUGEPAGE_NONE, SPANS), SPANS));
    cr_assert(eq(sz, hugepage_most(HUGEPAGE_ALWAYS, HUGEPAGE_YES, SPANS), SPANS));
}

/* ---- the region ---- */

Test(hugepage_region, a_region_is_aligned_to_its_span_mapped_on_its_own_and_takes_no_heap,
     .init = setup)
{
    struct hugepage_region r;
    char text[4096];
    unsigned long lo = 0, hi = 0;
    int rc = -1;

    ASSERT_NO_ALLOCS(rc = hugepage_region_map(&r, SPANS, span, HUGEPAGE_NONE));
    cr_assert(eq(int, rc, 0), "hugepage_region_map: %s", strerror(errno));
    cr_assert(eq(sz, (uintptr_t)r.p % span, 0), "aligned to %zu", span);
    cr_assert(eq(sz, r.len, SPANS * span));
    cr_assert(ge(ptr, r.p, r.map + page), "a PROT_NONE page below it at least");
    cr_assert(le(ptr, r.p + r.len + page, r.map + r.map_len), "and one above it");
    cr_assert(eq(int, procfs_mapping("/proc/self/smaps", r.p, text, sizeof text), 0));
    cr_assert(eq(int, sscanf(text, "%lx-%lx", &lo, &hi), 2));
    cr_assert(eq(u64, lo, (uintptr_t)r.p), "the mapping is the region's alone: %.60s", text);
    cr_assert(eq(u64, hi, (uintptr_t)(r.p + r.len)));
    cr_assert(eq(sz, hugepage_touch(r.p, r.len, span), SPANS), "a byte a span");
    cr_assert(eq(sz, hugepage_touch(r.p, r.len - 1, span), SPANS));
    cr_assert(eq(sz, hugepage_touch(r.p, span + 1, span), 2));
    ASSERT_NO_ALLOCS(hugepage_region_unmap(&r));
    cr_assert(eq(ptr, r.map, NULL));
    hugepage_region_unmap(&r); /* an unmapped one: nothing */
}

Test(hugepage_region, a_bad_span_or_a_size_that_overflows_maps_nothing, .init = setup)
{
    struct hugepage_region r;
    uint64_t before = procfs_status_bytes("\nVmSize:");

    errno = 0;
    cr_assert(eq(int, hugepage_region_map(&r, 0, span, HUGEPAGE_YES), -1), "no spans");
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(int, hugepage_region_map(&r, 1, span + page, HUGEPAGE_YES), -1), "not a power of two");
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(int, hugepage_region_map(&r, 1, page / 2, HUGEPAGE_YES), -1), "below a page");
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(int, hugepage_region_map(&r, SIZE_MAX / span, span, HUGEPAGE_YES), -1));
    cr_assert(eq(int, errno, ENOMEM), "a size that overflows, saw %s", strerror(errno));
    cr_assert(eq(ptr, r.map, NULL));
    cr_assert(eq(u64, procfs_status_bytes("\nVmSize:"), before), "nothing mapped");
}

/* A region of one span each way, in a child with a span of address space left: less than
 * the region maps to align it. */
static int measured(void *ctx)
{
    struct hugepage_figures f;

    (void)ctx;
    return hugepage_measure(1, span, HUGEPAGE_YES, &f, NULL);
}

static int timed(void *ctx)
{
    struct hugepage_timing t;

    (void)ctx;
    return hugepage_time_reads(1, span, HUGEPAGE_YES, 1, &t);
}

Test(hugepage_region, no_address_space_for_a_region_is_enomem_and_nothing_is_mapped,
     .init = setup, NATIVE_ONLY("Valgrind maps the address space itself"))
{
    static const struct {
        const char *name;
        int (*attempt)(void *ctx);
    } way[] = {{"hugepage_measure", measured}, {"hugepage_time_reads", timed}};

    SKIP_IN_SANITIZER_BUILD("ASan reserves its shadow memory past any RLIMIT_AS");
    for (size_t i = 0; i < sizeof way / sizeof way[0]; i++) {
        struct child_capped c;

        cr_assert(eq(int, child_run_capped(span, way[i].attempt, NULL, 0, &c), 0),
                  "%s: the child failed: %s", way[i].name, strerror(errno));
        cr_assert(eq(int, c.err, ENOMEM), "%s: mmap refuses with %s, saw %s", way[i].name,
                  strerror(ENOMEM), strerror(c.err));
        cr_assert(eq(u64, c.size_after, c.size_before), "%s: nothing left mapped", way[i].name);
    }
}

/* ---- the pages: the exact relation, for each advice ---- */

#define PAGES_NATIVE NATIVE_ONLY("Valgrind's own faults count, and it maps pages of its own")

/* A region with advice, a byte a span then a byte a page: the figures, with H checked
 * against what the mode allows and the relations checked exactly. Returns H. */
static uint64_t measure_region(enum hugepage_advice advice)
{
    struct hugepage_figures f, all;
    uint64_t h, pages_a_span = span / page, most = hugepage_most(mode, advice, SPANS);

    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
    cr_assert(eq(int, hugepage_measure(SPANS, span, advice, &f, &all), 0), "%s: %s",
              hugepage_advice_name(advice), strerror(errno));
    h = f.anon_huge / span;
    cr_assert(eq(u64, f.anon_huge % span, 0), "AnonHugePages is whole huge pages");
    cr_assert(le(u64, h, most), "%s in mode %s: at most %llu huge pages, saw %llu",
              hugepage_advice_name(advice), hugepage_mode_name(mode), (unsigned long long)most,
              (unsigned long long)h);
    cr_assert(eq(u64, f.faults, SPANS), "%s: one fault a span, huge or not: expected %d, saw %llu",
              hugepage_advice_name(advice), SPANS, (unsigned long long)f.faults);
    cr_assert(eq(u64, all.rss, SPANS * span), "a byte a page: the whole region resident");
    if (small_folios == 0) {
        cr_assert(eq(u64, f.rss, h * span + (SPANS - h) * page),
                  "%s: Rss = H x %zu + (%d - H) x %zu with H = %llu: expected %llu, saw %llu",
                  hugepage_advice_name(advice), span, SPANS, page, (unsigned long long)h,
                  (unsigned long long)(h * span + (SPANS - h) * page), (unsigned long long)f.rss);
        cr_assert(eq(u64, all.faults, h + (SPANS - h) * pages_a_span),
                  "%s: a byte a page: a fault a huge page and one a page elsewhere: "
                  "expected %llu, saw %llu", hugepage_advice_name(advice),
                  (unsigned long long)(h + (SPANS - h) * pages_a_span), (unsigned long long)all.faults);
    } else {
        /* multi-size THP on: a fault outside the huge pages maps a folio of a few pages */
        cr_assert(ge(u64, f.rss, h * span + (SPANS - h) * page));
        cr_assert(le(u64, f.rss, SPANS * span));
        cr_assert(le(u64, all.faults, h + (SPANS - h) * pages_a_span));
    }
    return h;
}

Test(hugepage_pages, with_madv_nohugepage_no_span_is_huge_in_any_mode, .init = setup, PAGES_NATIVE)
{
    cr_assert(eq(u64, measure_region(HUGEPAGE_NO), 0));
}

Test(hugepage_pages, without_advice_the_relation_holds_and_the_mode_bounds_h, .init = setup,
     PAGES_NATIVE)
{
    uint64_t h = measure_region(HUGEPAGE_NONE);

    if (mode != HUGEPAGE_ALWAYS) /* madvise, never, missing: only where asked, or never */
        cr_assert(eq(u64, h, 0), "mode %s: no huge page without advice", hugepage_mode_name(mode));
}

Test(hugepage_pages, with_madv_hugepage_the_relation_holds_and_the_mode_bounds_h, .init = setup,
     PAGES_NATIVE)
{
    uint64_t h = measure_region(HUGEPAGE_YES);

    if (mode == HUGEPAGE_NEVER || mode == HUGEPAGE_MISSING)
        cr_assert(eq(u64, h, 0), "mode %s: no huge page, advice or not", hugepage_mode_name(mode));
    /* madvise or always: up to SPANS, as many as the kernel found free blocks for */
}

/* ---- the time of random reads ---- */

#define READS 10000 /* a few hundred microseconds of reads: the tests time nothing */

/* The sum of the chain hugepage_time_reads follows (hugepage.h), worked out here over
 * spans x span bytes whose pages each hold 1 in their first byte and 0 elsewhere. */
static uint64_t chain_sum(size_t spans, uint64_t reads)
{
    uint64_t state = HUGEPAGE_SEED, v = 0, sum = 0, n = spans * span / sizeof(uint64_t);

    for (uint64_t i = 0; i < reads; i++) {
        uint64_t y = shuffle_rand(&state) + v * HUGEPAGE_SEED,
                 word = (uint64_t)(((unsigned __int128)y * n) >> 64);

        v = word % (page / sizeof(uint64_t)) == 0; /* a page's first word: the byte 1 */
        sum += v;
    }
    return sum;
}

Test(hugepage_time, every_page_is_written_then_exactly_r_reads_follow_the_chain_and_nothing_is_left,
     .init = setup)
{
    struct hugepage_timing t;
    uint64_t before = procfs_status_bytes("\nVmSize:"), want = chain_sum(2, READS);
    int rc = -1;

    ASSERT_NO_ALLOCS(rc = hugepage_time_reads(2, span, HUGEPAGE_NONE, READS, &t));
    cr_assert(eq(int, rc, 0), "hugepage_time_reads: %s", strerror(errno));
    cr_assert(eq(u64, t.pages, 2 * span / page), "a byte written in every page first: expected "
              "%zu pages, saw %llu", 2 * span / page, (unsigned long long)t.pages);
    cr_assert(eq(u64, t.reads, READS), "expected %d reads, saw %llu", READS, (unsigned long long)t.reads);
    cr_assert(eq(u64, t.sum, want), "the reads follow the chain from HUGEPAGE_SEED: expected a "
              "sum of %llu (the pages' first words read), saw %llu", (unsigned long long)want,
              (unsigned long long)t.sum);
    cr_assert(not(eq(u64, want, 0)), "the chain reads some written word, so the sum tells");
    cr_assert(eq(u64, procfs_status_bytes("\nVmSize:"), before), "the region unmapped after");
}

Test(hugepage_time, no_reads_a_bad_span_or_no_spans_map_nothing, .init = setup)
{
    struct hugepage_timing t;
    uint64_t before = procfs_status_bytes("\nVmSize:");

    errno = 0;
    cr_assert(eq(int, hugepage_time_reads(1, span, HUGEPAGE_YES, 0, &t), -1), "no reads");
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    cr_assert(eq(int, hugepage_time_reads(0, span, HUGEPAGE_YES, READS, &t), -1), "no spans");
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    cr_assert(eq(int, hugepage_time_reads(1, span + page, HUGEPAGE_YES, READS, &t), -1),
              "a span that is not a power of two");
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    cr_assert(eq(int, hugepage_time_reads(SIZE_MAX / span, span, HUGEPAGE_YES, READS, &t), -1));
    cr_assert(eq(int, errno, ENOMEM), "a size that overflows, saw %s", strerror(errno));
    cr_assert(eq(u64, t.reads, 0), "nothing read");
    cr_assert(eq(u64, procfs_status_bytes("\nVmSize:"), before), "nothing mapped");
}

/* For each advice: no fault while the reads ran, every page being resident, and H within
 * what the mode allows. */
Test(hugepage_time, the_reads_fault_nothing_and_h_obeys_the_mode, .init = setup,
     NATIVE_ONLY("Valgrind's own faults count, and its reads of the region are its own"))
{
    for (int adv = 0; adv < HUGEPAGE_ADVICES; adv++) {
        enum hugepage_advice advice = (enum hugepage_advice)adv;
        uint64_t most = hugepage_most(mode, advice, SPANS);
        struct hugepage_timing t;

        cr_assert(eq(int, hugepage_time_reads(SPANS, span, advice, READS, &t), 0), "%s: %s",
                  hugepage_advice_name(advice), strerror(errno));
        cr_assert(eq(u64, t.faults, 0), "%s: every page written before the reads: expected no "
                  "fault while they ran, saw %llu", hugepage_advice_name(advice),
                  (unsigned long long)t.faults);
        cr_assert(eq(u64, t.anon_huge % span, 0), "AnonHugePages is whole huge pages");
        cr_assert(le(u64, t.anon_huge / span, most), "%s in mode %s: at most %llu huge pages, saw %llu",
                  hugepage_advice_name(advice), hugepage_mode_name(mode), (unsigned long long)most,
                  (unsigned long long)(t.anon_huge / span));
    }
}

/* ---- a malloc'd block ---- */

Test(hugepage_malloc, the_block_is_one_allocation_of_its_spans_freed_before_it_returns,
     .init = setup)
{
    struct hugepage_figures f;
    int rc = -1;

    ASSERT_ALLOCS(rc = hugepage_malloc_measure(2, span, &f), 1, 2 * span);
    cr_assert(eq(int, rc, 0), "%s", strerror(errno));
    ASSERT_NO_LEAK(hugepage_malloc_measure(2, span, &f));
    errno = 0;
    cr_assert(eq(int, hugepage_malloc_measure(0, span, &f), -1));
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(int, hugepage_malloc_measure(SIZE_MAX / span + 1, span, &f), -1));
    cr_assert(eq(int, errno, ENOMEM), "a size that overflows");
}

/* The figures of a block, checked: its first span shares the page of the header malloc
 * wrote, so SPANS - 1 faults and at most SPANS - 1 huge pages; the relation on the others. */
static void check_block(const char *what, const struct hugepage_figures *f, uint64_t most)
{
    uint64_t h = f->anon_huge / span;

    cr_assert(not(eq(u64, f->offset, 0)), "%s: the block starts past its chunk's header", what);
    cr_assert(lt(u64, f->offset, page));
    cr_assert(eq(u64, f->faults, SPANS - 1), "%s: the first span's page holds the header malloc "
              "wrote: expected %d faults, saw %llu", what, SPANS - 1, (unsigned long long)f->faults);
    cr_assert(le(u64, h, most), "%s in mode %s: at most %llu huge pages, saw %llu", what,
              hugepage_mode_name(mode), (unsigned long long)most, (unsigned long long)h);
    if (small_folios == 0)
        cr_assert(eq(u64, f->rss, h * span + (SPANS - 1 - h) * page),
                  "%s: Rss = H x %zu + (%d - H) x %zu, H = %llu: saw %llu", what, span, SPANS - 1,
                  page, (unsigned long long)h, (unsigned long long)f->rss);
}

Test(hugepage_malloc, a_malloced_block_faults_a_span_but_the_first_and_its_rss_follows_h,
     .init = setup, GLIBC_MALLOC_ONLY)
{
    struct hugepage_figures f;
    uint64_t most = hugepage_most(mode, HUGEPAGE_NONE, SPANS - 1);

    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER);
    cr_assert(eq(int, hugepage_malloc_measure(SPANS, span, &f), 0), "%s", strerror(errno));
    /* this process started without GLIBC_TUNABLES (make test): no advice on the block */
    if (getenv("GLIBC_TUNABLES") == NULL)
        check_block("malloc", &f, most);
}

/* The demo's --malloc in a child with GLIBC_TUNABLES set: glibc 2.35 and later madvise
 * their mmap'd blocks MADV_HUGEPAGE with glibc.malloc.hugetlb=1 (measured on 2.36 and
 * 2.41); an older glibc ignores the name, and the block is as without it. */
Test(hugepage_malloc, glibc_malloc_hugetlb_1_gives_the_block_madv_hugepage_from_glibc_2_35,
     .init = setup, GLIBC_MALLOC_ONLY)
{
    struct hugepage_figures plain, tuned;
    char err[4096];
    bool advises = platform_glibc_at_least(2, 35);

    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER);
    cr_assert(eq(int, hugepage_malloc_child("demo/hugepage", "", SPANS, &plain, err, sizeof err), 0),
              "demo/hugepage --malloc %d: %s", SPANS, err);
    cr_assert(eq(int, hugepage_malloc_child("demo/hugepage", "glibc.malloc.hugetlb=1", SPANS, &tuned,
                                            err, sizeof err), 0),
              "GLIBC_TUNABLES=glibc.malloc.hugetlb=1 demo/hugepage --malloc %d: %s", SPANS, err);
    check_block("malloc", &plain, hugepage_most(mode, HUGEPAGE_NONE, SPANS - 1));
    check_block("malloc with glibc.malloc.hugetlb=1", &tuned,
                hugepage_most(mode, advises ? HUGEPAGE_YES : HUGEPAGE_NONE, SPANS - 1));
    if (mode == HUGEPAGE_MADVISE)
        cr_assert(eq(u64, plain.anon_huge, 0), "madvise mode: no huge page without advice");
}

Test(hugepage_malloc, the_figures_line_reads_back_as_written)
{
    struct hugepage_figures f = {.faults = 31, .rss = 65011712, .anon_huge = 62914560, .offset = 32,
                                 .advice_err = EINVAL},
                            g;
    char line[256], tiny[8];

    cr_assert(eq(int, hugepage_figures_format(&f, line, sizeof line), 0));
    cr_assert(eq(int, hugepage_figures_parse(line, &g), 0), "%s", line);
    cr_assert(eq(u64, g.faults, f.faults));
    cr_assert(eq(u64, g.rss, f.rss));
    cr_assert(eq(u64, g.anon_huge, f.anon_huge));
    cr_assert(eq(u64, g.offset, f.offset));
    cr_assert(eq(int, g.advice_err, f.advice_err));
    errno = 0;
    cr_assert(eq(int, hugepage_figures_format(&f, tiny, sizeof tiny), -1));
    cr_assert(eq(int, errno, ERANGE));
    cr_assert(eq(int, hugepage_figures_parse("faults=1 rss=2", &g), -1), "a field missing");
    cr_assert(eq(int, errno, EINVAL));
}

/* ---- out of memory ---- */

static int sweep_malloc(void *ctx)
{
    struct hugepage_figures f;

    (void)ctx;
    return hugepage_malloc_measure(1, span, &f);
}

Test(hugepage_oom, a_failed_malloc_of_the_block_is_reported_and_leaks_nothing, .init = setup)
{
    struct hugepage_figures f;
    int rc = 0, err;

    ASSERT_SWEEP_CLEAN(sweep_malloc, NULL);
    countalloc_fail_at(1, false);
    rc = hugepage_malloc_measure(1, span, &f);
    err = errno;
    countalloc_fail_off();
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, err, ENOMEM), "saw %s", strerror(err));
}

/* ---- the program ---- */

Test(hugepage_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "513", "1x", "--bogus", "99999999999999999999999",
                                      "1 2", "--malloc", "--malloc 0", "--malloc 513", "--malloc 1 2",
                                      "--time 0", "--time 513", "--time abc", "--time 1 2"};

    ASSERT_BAD_ARGUMENTS("demo/hugepage", "SPANS", bad);
}

Test(hugepage_program, a_child_whose_malloc_fails_is_reported_with_its_line,
     NATIVE_ONLY("it starts the demo twice; its fault injection is the demo's own"))
{
    char out[4096];
    const char *line;
    int rc;

    SKIP_WITHOUT_INJECTION();
    rc = cli_run_beside("COUNTALLOC_FAIL_AT=1", "demo/hugepage", "--malloc 1", out, sizeof out);
    cr_assert(eq(int, rc, 1), "out of memory: exit status 1, saw %d: %s", rc, out);
    cr_assert(eq(int, cli_own_lines(out, &line), 1), "one line: %s", out);
    cr_assert(not(eq(ptr, strstr(line, "out of memory"), NULL)), "%s", line);
}
