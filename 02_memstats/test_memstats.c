/* test_memstats.c: lesson 02. heavy and light keep the same records; exact allocation
 * counts for each step; what each of the three views must show; the site report names
 * a planted hot site's file:line; what massif --pages-as-heap shows of main; OOM sweeps. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "cli.h"
#include "countalloc.h"
#include "memstats.h"
#include "profrun.h"
#include "sites.h"

#define N 1000

/* glibc's chunk for a request made through countalloc: the request, countalloc's
 * 16-byte header and glibc's 8-byte size field, rounded up to 16 (at least 32). */
static size_t glibc_chunk(size_t request)
{
    size_t c = (request + 16 + 8 + 15) & ~(size_t)15;

    return c < 32 ? 32 : c;
}

/* ---- same results ---- */

Test(same_results, heavy_and_light_keep_the_same_records_byte_for_byte)
{
    struct heavy_store h = {0};
    struct light_store l = {0};

    cr_assert(eq(int, heavy_build(&h, N), 0));
    cr_assert(eq(int, light_build(&l, N), 0));
    cr_assert(eq(int, heavy_drop(&h), 0));
    cr_assert(eq(int, light_drop(&l), 0));
    cr_assert(eq(u64, h.n, memstats_kept(N)));
    cr_assert(eq(u64, l.n, memstats_kept(N)));
    for (uint64_t i = 0; i < h.n; i++) {
        cr_assert(eq(u32, h.rec[i]->id, (uint32_t)(i * KEEP_EVERY)));
        cr_assert(memcmp(h.rec[i], &l.rec[i], sizeof l.rec[i]) == 0,
                  "kept record %llu differs between heavy and light", (unsigned long long)i);
    }
    heavy_free(&h);
    light_free(&l);
}

Test(same_results, a_drop_keeps_one_record_in_keep_every_rounding_up)
{
    cr_assert(eq(u64, memstats_kept(1), 1));
    cr_assert(eq(u64, memstats_kept(KEEP_EVERY), 1));
    cr_assert(eq(u64, memstats_kept(KEEP_EVERY + 1), 2));
}

/* ---- exact counts ---- */

Test(counts, heavy_build_makes_one_allocation_per_record_plus_the_array)
{
    struct heavy_store h = {0};

    ASSERT_ALLOCS(heavy_build(&h, N), N + 1, N * sizeof(struct record) + N * sizeof(void *));
    heavy_free(&h);
}

Test(counts, light_build_makes_one_allocation_for_all_records)
{
    struct light_store l = {0};

    ASSERT_ALLOCS(light_build(&l, N), 1, N * sizeof(struct record));
    light_free(&l);
}

Test(counts, heavy_drop_allocates_nothing_and_frees_every_dropped_record)
{
    struct heavy_store h = {0};
    struct countalloc_stats d;

    cr_assert(eq(int, heavy_build(&h, N), 0));
    ALLOC_MEASURE(heavy_drop(&h), d);
    cr_assert(eq(u64, d.mallocs, 0), "heavy_drop allocated");
    cr_assert(eq(u64, d.frees, N - memstats_kept(N)));
    heavy_free(&h);
}

Test(counts, light_drop_makes_one_allocation_and_one_free)
{
    struct light_store l = {0};
    struct countalloc_stats d;
    int rc;

    cr_assert(eq(int, light_build(&l, N), 0));
    ALLOC_MEASURE(rc = light_drop(&l), d);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(u64, d.mallocs, 1));
    cr_assert(eq(u64, d.total_alloc, memstats_kept(N) * sizeof(struct record)));
    cr_assert(eq(u64, d.frees, 1));
    light_free(&l);
}

Test(counts, both_sides_leave_nothing_behind)
{
    ASSERT_NO_LEAK({
        struct heavy_store h = {0};
        heavy_build(&h, N);
        heavy_drop(&h);
        heavy_free(&h);
    });
    ASSERT_NO_LEAK({
        struct light_store l = {0};
        light_build(&l, N);
        light_drop(&l);
        light_free(&l);
    });
}

/* ---- the program's view: TotalAlloc only grows, HeapAlloc is what is live ---- */

Test(program_view, total_alloc_only_grows_while_heap_alloc_falls_with_the_drop)
{
    struct heavy_store h = {0};
    struct views start, built, dropped;

    views_read(&start);
    heavy_build(&h, N);
    views_read(&built);
    heavy_drop(&h);
    views_read(&dropped);
    cr_assert(eq(u64, dropped.program.total_alloc, built.program.total_alloc),
              "freeing must not lower TotalAlloc: it counts every byte ever allocated");
    cr_assert(eq(i64, dropped.program.heap_alloc - start.program.heap_alloc,
                 (int64_t)(memstats_kept(N) * sizeof(struct record) + N * sizeof(void *))),
              "HeapAlloc after the drop is the kept records and the array, no more");
    cr_assert(eq(i64, dropped.program.heap_objects - start.program.heap_objects,
                 (int64_t)memstats_kept(N) + 1));
    heavy_free(&h);
}

Test(program_view, reading_the_three_views_allocates_nothing)
{
    struct views v;
    int rc = -1;

    ASSERT_NO_ALLOCS(rc = views_read(&v));
    cr_assert(eq(int, rc, 0));
    cr_assert(v.os.rss > 0 && v.os.hwm >= v.os.rss, "VmRSS %llu, VmHWM %llu",
              (unsigned long long)v.os.rss, (unsigned long long)v.os.hwm);
}

/* ---- the allocator's view ---- */

Test(allocator_view, each_record_costs_glibc_one_chunk_of_request_plus_headers,
     GLIBC_MALLOC_ONLY)
{
    struct heavy_store warm = {0}, h = {0};
    struct views b, a;
    size_t want = N * glibc_chunk(sizeof(struct record)) + glibc_chunk(N * sizeof(void *));

    /* glibc's tcache keeps up to 7 freed chunks per size, which mallinfo2 counts as in
     * use: a first build empties it, so the second one is all new chunks. */
    heavy_build(&warm, N);
    views_read(&b);
    heavy_build(&h, N);
    views_read(&a);
    cr_assert(eq(u64, a.allocator.in_use - b.allocator.in_use, want),
              "mallinfo2's uordblks should grow by %zu (records of %zu B in %zu-byte chunks)",
              want, sizeof(struct record), glibc_chunk(sizeof(struct record)));
    heavy_free(&h);
    heavy_free(&warm);
}

/* ---- the operating system's view ---- */

#define BIG 100000 /* records: 10 MB, enough for the page counts to speak */

Test(os_view, heavy_keeps_its_pages_after_the_drop_until_malloc_trim, GLIBC_MALLOC_ONLY)
{
    struct heavy_store h = {0};
    struct views start, built, dropped, trimmed;
    int64_t grown, rss_built, rss_dropped, rss_trimmed;

    views_read(&start);
    cr_assert(eq(int, heavy_build(&h, BIG), 0));
    views_read(&built);
    heavy_drop(&h);
    views_read(&dropped);
    malloc_trim(0);
    views_read(&trimmed);
    grown = (int64_t)built.os.rss - (int64_t)start.os.rss;
    rss_built = (int64_t)built.os.rss;
    rss_dropped = (int64_t)dropped.os.rss;
    rss_trimmed = (int64_t)trimmed.os.rss;
    cr_assert(dropped.program.heap_alloc - start.program.heap_alloc <
                  (built.program.heap_alloc - start.program.heap_alloc) / 5,
              "the drop frees most of the heap");
    cr_assert(rss_dropped > rss_built - grown / 10,
              "RSS should stay up after freeing 63 records in 64 (fragmentation): "
              "built %llu, dropped %llu", (unsigned long long)built.os.rss,
              (unsigned long long)dropped.os.rss);
    cr_assert(rss_trimmed < rss_dropped - grown / 4,
              "malloc_trim(0) should give back the whole free pages between survivors: "
              "dropped %llu, trimmed %llu", (unsigned long long)dropped.os.rss,
              (unsigned long long)trimmed.os.rss);
    heavy_free(&h);
}

Test(os_view, light_gives_its_pages_back_with_the_one_free, GLIBC_MALLOC_ONLY)
{
    struct light_store l = {0};
    struct views start, built, dropped;
    int64_t grown, rss_start, rss_dropped;

    views_read(&start);
    cr_assert(eq(int, light_build(&l, BIG), 0));
    views_read(&built);
    light_drop(&l);
    views_read(&dropped);
    grown = (int64_t)built.os.rss - (int64_t)start.os.rss;
    rss_start = (int64_t)start.os.rss;
    rss_dropped = (int64_t)dropped.os.rss;
    cr_assert(built.allocator.mmapped >= BIG * sizeof(struct record),
              "a block this big is mmap'd on its own");
    cr_assert(rss_dropped < rss_start + grown / 10,
              "RSS should fall back at once: start %llu, built %llu, dropped %llu",
              (unsigned long long)start.os.rss, (unsigned long long)built.os.rss,
              (unsigned long long)dropped.os.rss);
    light_free(&l);
}

/* ---- the site report ---- */

static unsigned planted_line;
static void *volatile planted_last;

/* The planted hot site: many small blocks from one line. */
static __attribute__((noinline)) void *planted_alloc(size_t n)
{
    void *p;

    planted_line = __LINE__ + 1;
    p = malloc(n);
    planted_last = p; /* work after the call: no tail call, so this frame is on the stack */
    return p;
}

/* A cold site with more bytes but few calls. */
static __attribute__((noinline)) void *cold_alloc(size_t n)
{
    void *p = malloc(n);

    planted_last = p;
    return p;
}

Test(sites, the_report_names_the_planted_hot_site_by_file_and_line)
{
    enum { HOT = 1000, COLD = 10 };
    void *hot[HOT], *cold[COLD];
    struct sites_snapshot *snap = NULL;
    struct sites_stat *s;

    cr_assert(eq(int, sites_start(), 0));
    for (int i = 0; i < HOT; i++)
        hot[i] = planted_alloc(64);
    for (int i = 0; i < COLD; i++)
        cold[i] = cold_alloc(8192);
    cr_assert(eq(int, sites_snapshot_take(&snap), 0));
    sites_stop();
    sites_snapshot_sort(snap, SITES_BY_CALLS);
    s = &snap->stat[0];
    cr_assert(eq(str, s->file, "test_memstats.c"));
    cr_assert(eq(u32, s->line, planted_line), "the hot site is line %u, the report says %u",
              planted_line, s->line);
    cr_assert(eq(str, s->func, "planted_alloc"));
    cr_assert(eq(u64, s->calls, HOT));
    cr_assert(eq(i64, s->bytes, HOT * 64));
    sites_snapshot_sort(snap, SITES_BY_BYTES);
    cr_assert(eq(str, snap->stat[0].func, "cold_alloc"), "by bytes the cold site leads");
    sites_snapshot_free(snap);
    for (int i = 0; i < HOT; i++)
        free(hot[i]);
    for (int i = 0; i < COLD; i++)
        free(cold[i]);
}

Test(sites, a_snapshot_attributes_heavys_records_to_one_line_of_heavy_c)
{
    struct heavy_store h = {0};
    struct sites_snapshot *snap = NULL;

    cr_assert(eq(int, sites_start(), 0));
    heavy_build(&h, N);
    cr_assert(eq(int, sites_snapshot_take(&snap), 0));
    sites_stop();
    cr_assert(eq(str, snap->stat[0].file, "heavy.c"));
    cr_assert(eq(str, snap->stat[0].func, "heavy_build"));
    cr_assert(eq(i64, snap->stat[0].blocks, N));
    cr_assert(eq(i64, snap->stat[0].bytes, N * sizeof(struct record)));
    sites_snapshot_free(snap);
    heavy_free(&h);
}

/* ---- massif --pages-as-heap on main ----
 *
 * The README's two --pages-as-heap blocks are refreshed by make docs, not checked: their
 * figures move a page whenever main's binary grows one. What the README reads from them
 * is checked here, on main itself: heavy's mapped pages hardly come down (its last
 * snapshot is its largest on glibc 2.36, one page below it on 2.41: less than a tenth
 * comes down either way), and light's do (its last is under half its peak). */
static struct profrun_massif pages;

static void pages_of(const char *side)
{
    static const char *const opts[] = {"--pages-as-heap=yes", NULL};
    const char *args[] = {side, NULL};
    char dir[PATH_MAX], prog[PATH_MAX + 8], err[160];

    cr_assert(eq(int, cli_exe_dir(dir, sizeof dir), 0), "cannot find the test binary's directory");
    snprintf(prog, sizeof prog, "%s/main", dir); /* build/02_memstats/main */
    cr_assert(eq(int, profrun_massif(opts, prog, args, NULL, &pages, err, sizeof err), 0),
              "massif --pages-as-heap=yes on main %s: %s", side, err);
    cr_assert(pages.nsnap > 2, "main %s: %u snapshots", side, pages.nsnap);
}

static uint64_t largest(const struct profrun_massif *m)
{
    uint64_t top = 0;

    for (unsigned i = 0; i < m->nsnap; i++)
        if (m->snap[i].heap > top)
            top = m->snap[i].heap;
    return top;
}

static void need_massif(void)
{
    char why[256];

    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
    if (profrun_available(why, sizeof why) != 0)
        cr_skip_test("%s", why);
}

Test(massif_pages, heavys_mapped_pages_hardly_come_down, RUNS_VALGRIND)
{
    need_massif();
    pages_of("--heavy");
    uint64_t last = pages.snap[pages.nsnap - 1].heap, top = largest(&pages);
    cr_assert(lt(u64, 10 * (top - last), top),
              "heavy's last snapshot (%llu bytes mapped) is within a tenth of its peak (%llu)",
              (unsigned long long)last, (unsigned long long)top);
}

Test(massif_pages, lights_big_block_is_unmapped_when_freed, RUNS_VALGRIND)
{
    need_massif();
    pages_of("--light");
    uint64_t last = pages.snap[pages.nsnap - 1].heap, top = largest(&pages);
    cr_assert(lt(u64, 2 * last, top), "light's last snapshot (%llu bytes) is under half its peak (%llu)",
              (unsigned long long)last, (unsigned long long)top);
}

/* ---- out of memory ---- */

static int heavy_job(void *ctx)
{
    struct heavy_store h = {0};

    (void)ctx;
    if (heavy_build(&h, 100) != 0)
        return -1;
    heavy_drop(&h);
    heavy_free(&h);
    return 0;
}

static int light_job(void *ctx)
{
    struct light_store l = {0};

    (void)ctx;
    if (light_build(&l, 100) != 0)
        return -1;
    if (light_drop(&l) != 0) {
        light_free(&l);
        return -1;
    }
    light_free(&l);
    return 0;
}

Test(oom, heavy_reports_every_failed_allocation_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(heavy_job, NULL);
}

Test(oom, light_reports_every_failed_allocation_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(light_job, NULL);
}

Test(oom, a_failed_light_drop_leaves_the_store_as_it_was)
{
    struct light_store l = {0};
    struct record *before;

    SKIP_WITHOUT_INJECTION();
    light_build(&l, N);
    before = l.rec;
    countalloc_fail_at(1, false);
    cr_assert(eq(int, light_drop(&l), -1));
    countalloc_fail_off();
    cr_assert(eq(ptr, l.rec, before));
    cr_assert(eq(u64, l.n, N));
    cr_assert(eq(u32, l.rec[N - 1].id, N - 1));
    light_free(&l);
}
