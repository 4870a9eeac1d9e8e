/* test_mapfile.c: lesson 02's "reading a whole file". Counts exact, worked out from the
 * file's length: reading it whole is one allocation of its size, mapping it none, a buffer
 * at a time one of the buffer's size and len / size + 1 reads (+1 for a piece left over);
 * the three agree with the digest of the bytes written. Errors leave nothing held, not a
 * block, not a descriptor. Pages within bounds, since the kernel decides them: the block
 * costs its size in RssAnon and a fault a page, the mapping its size in RssFile, the
 * buffer its size; what glibc does with the block once freed (its mmap threshold moves
 * up to 32 MiB, on 2.36 as on 2.41); and what MADV_PAGEOUT takes back. The pages are
 * skipped under Valgrind and in sanitizer builds, whose allocators serve every block. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "cli.h"
#include "cli_assert.h"
#include "hash.h"
#include "mapfile.h"
#include "procfs.h"

#define LEN (4u << 20)     /* 4 MiB: past glibc's first mmap threshold (128 KiB) */
#define BIG (40u << 20)    /* 40 MiB: past the 32 MiB the threshold can rise to */
#define HUGE_PAGE (2u << 20)
/* Pages the bounds allow beside what they count: the sampling's own stack and code, a
 * neighbour's pages where the kernel merged two mappings. */
#define SLACK (16u * 4096u)

static char path[4096];

static void make(uint64_t len)
{
    cr_assert(eq(int, mapfile_make(mapfile_dir(), len, path, sizeof path), 0),
              "making a file of %llu bytes in %s: %s", (unsigned long long)len, mapfile_dir(),
              strerror(errno));
}

static void unmake(void)
{
    if (path[0] != '\0')
        unlink(path);
    path[0] = '\0';
}

/* A file holding exactly text. */
static void make_text(const char *text)
{
    int fd;

    snprintf(path, sizeof path, "%s/mapfile-test-XXXXXX", mapfile_dir());
    fd = mkstemp(path);
    cr_assert(fd >= 0, "mkstemp in %s: %s", mapfile_dir(), strerror(errno));
    cr_assert(eq(sz, (size_t)write(fd, text, strlen(text)), strlen(text)));
    close(fd);
}

/* The lowest free descriptor: a call that leaks one moves it. */
static int next_fd(void)
{
    int fd = open("/dev/null", O_RDONLY);

    close(fd);
    return fd;
}

static uint64_t reads_for(uint64_t len, uint64_t size)
{
    return len / size + (len % size != 0) + 1; /* the full pieces, a partial one, the 0 */
}

/* ---- the counts ---- */

Test(mapfile_counts, reading_whole_is_one_allocation_of_the_files_size_and_one_read,
     .fini = unmake)
{
    static const uint64_t len[] = {1, 4095, 4096, 100000, LEN};

    for (size_t i = 0; i < sizeof len / sizeof len[0]; i++) {
        struct mapfile_whole w;
        struct countalloc_stats d;
        int rc = -1;

        make(len[i]);
        ASSERT_ALLOCS(rc = mapfile_whole_read(path, &w), 1, len[i]);
        cr_assert(eq(int, rc, 0));
        cr_assert(eq(sz, w.len, len[i]));
        cr_assert(eq(u32, w.reads, 1), "a regular file gives what is asked in one read(2) "
                  "(Linux: up to 2 GiB - 4 KiB), saw %u reads", w.reads);
        ALLOC_MEASURE(mapfile_whole_free(&w), d);
        cr_assert(eq(u64, d.frees, 1));
        cr_assert(eq(i64, d.heap_alloc, -(int64_t)len[i]));
        unmake();
    }
}

Test(mapfile_counts, mapping_allocates_nothing_whatever_the_size, .fini = unmake)
{
    static const uint64_t len[] = {1, 4096, LEN};

    for (size_t i = 0; i < sizeof len / sizeof len[0]; i++) {
        struct mapfile_map m;
        struct mapfile_sum s;
        int rc = -1;

        make(len[i]);
        ASSERT_NO_ALLOCS(rc = mapfile_map_open(path, &m));
        cr_assert(eq(int, rc, 0));
        cr_assert(eq(sz, m.len, len[i]));
        mapfile_sum_init(&s);
        ASSERT_NO_ALLOCS(mapfile_fold(&s, m.p, m.len));
        ASSERT_NO_ALLOCS(mapfile_map_close(&m));
        unmake();
    }
}

Test(mapfile_counts, a_buffer_at_a_time_is_one_allocation_of_the_buffer_and_a_read_a_piece,
     .fini = unmake)
{
    static const size_t size[] = {1000, 4096, MAPFILE_BUF};

    make(LEN);
    for (size_t i = 0; i < sizeof size / sizeof size[0]; i++) {
        struct mapfile_reader r;
        struct mapfile_sum s;
        const unsigned char *p;
        struct countalloc_stats d;
        ssize_t n = 0;
        int rc = -1;

        ASSERT_ALLOCS(rc = mapfile_reader_open(path, size[i], &r), 1, size[i]);
        cr_assert(eq(int, rc, 0));
        mapfile_sum_init(&s);
        ALLOC_MEASURE(while ((n = mapfile_reader_next(&r, &p)) > 0) mapfile_fold(&s, p, (size_t)n), d);
        cr_assert(eq(u64, d.mallocs, 0), "reading reuses the one buffer");
        cr_assert(eq(sz, (size_t)n, 0));
        cr_assert(eq(u64, s.bytes, LEN));
        cr_assert(eq(u32, r.reads, reads_for(LEN, size[i])), "buffer %zu: %u reads", size[i], r.reads);
        ALLOC_MEASURE(mapfile_reader_close(&r), d);
        cr_assert(eq(u64, d.frees, 1));
        cr_assert(eq(i64, d.heap_alloc, -(int64_t)size[i]));
    }
}

Test(mapfile_counts, an_empty_file_is_read_whole_and_mapped_with_nothing_taken, .fini = unmake)
{
    struct mapfile_whole w;
    struct mapfile_map m;
    struct mapfile_sum s;
    int rc = -1;

    make(0);
    ASSERT_NO_ALLOCS(rc = mapfile_whole_read(path, &w));
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(ptr, w.p, NULL));
    cr_assert(eq(u32, w.reads, 0));
    ASSERT_NO_ALLOCS(rc = mapfile_map_open(path, &m));
    cr_assert(eq(int, rc, 0), "mmap refuses a length of 0: an empty file maps nothing");
    cr_assert(eq(ptr, (void *)m.p, NULL));
    mapfile_map_close(&m);
    for (int way = 0; way < MAPFILE_WAYS; way++) {
        cr_assert(eq(int, mapfile_sum_file((enum mapfile_way)way, path, MAPFILE_BUF, &s), 0));
        cr_assert(eq(u64, s.bytes, 0));
        cr_assert(eq(u64, s.digest, HASH_FNV_START));
    }
}

/* ---- the same result ---- */

Test(mapfile_sum, the_three_ways_agree_with_the_digest_of_the_bytes_written, .fini = unmake)
{
    static const char text[] = "one\ntwo\n\nfour, with no newline at the end";
    struct mapfile_sum s;

    make_text(text);
    for (int way = 0; way < MAPFILE_WAYS; way++)
        for (size_t size = 1; size <= 64; size *= 4) { /* pieces that split lines */
            cr_assert(eq(int, mapfile_sum_file((enum mapfile_way)way, path, size, &s), 0));
            cr_assert(eq(u64, s.bytes, strlen(text)), "%s", mapfile_way_name((enum mapfile_way)way));
            cr_assert(eq(u64, s.lines, 3), "%s: three '\\n'", mapfile_way_name((enum mapfile_way)way));
            cr_assert(eq(u64, s.digest, hash_fnv(HASH_FNV_START, text, strlen(text))),
                      "%s, buffer %zu", mapfile_way_name((enum mapfile_way)way), size);
        }
}

Test(mapfile_sum, the_three_ways_agree_on_a_big_file_and_count_its_lines, .fini = unmake)
{
    struct mapfile_sum s[MAPFILE_WAYS];
    struct mapfile_whole w;
    uint64_t lines = 0;

    make(LEN);
    cr_assert(eq(int, mapfile_whole_read(path, &w), 0));
    for (size_t i = 0; i < w.len; i++)
        lines += w.p[i] == '\n';
    mapfile_whole_free(&w);
    for (int way = 0; way < MAPFILE_WAYS; way++) {
        cr_assert(eq(int, mapfile_sum_file((enum mapfile_way)way, path, MAPFILE_BUF, &s[way]), 0));
        cr_assert(eq(u64, s[way].lines, lines));
        cr_assert(eq(u64, s[way].digest, s[0].digest));
    }
    cr_assert(gt(u64, lines, LEN / 80), "lines of 12 to 72 bytes");
}

/* ---- errors: nothing held ---- */

Test(mapfile_errors, a_missing_file_is_enoent_each_way_with_nothing_taken)
{
    struct mapfile_sum s;
    int fd = next_fd(), rc = 0;

    for (int way = 0; way < MAPFILE_WAYS; way++) {
        errno = 0;
        ASSERT_NO_ALLOCS(rc = mapfile_sum_file((enum mapfile_way)way, "/nonexistent/file",
                                               MAPFILE_BUF, &s));
        cr_assert(eq(int, rc, -1));
        cr_assert(eq(int, errno, ENOENT), "%s: %s", mapfile_way_name((enum mapfile_way)way),
                  strerror(errno));
    }
    cr_assert(eq(int, next_fd(), fd), "no descriptor left open");
}

Test(mapfile_errors, a_directory_fails_to_read_or_map_and_leaves_nothing_held)
{
    static const int want[MAPFILE_WAYS] = {[MAPFILE_WHOLE] = EISDIR, [MAPFILE_MAP] = ENODEV,
                                           [MAPFILE_STREAM] = EISDIR};
    struct mapfile_sum s;
    struct stat st;
    int fd = next_fd(), rc = 0;

    cr_assert(eq(int, stat(".", &st), 0));
    cr_assert(gt(i64, (int64_t)st.st_size, 0), "a directory's size is not 0 on this file system");
    for (int way = 0; way < MAPFILE_WAYS; way++) {
        errno = 0;
        ASSERT_NO_LEAK(rc = mapfile_sum_file((enum mapfile_way)way, ".", MAPFILE_BUF, &s));
        cr_assert(eq(int, rc, -1));
        cr_assert(eq(int, errno, want[way]), "%s: expected %s, saw %s",
                  mapfile_way_name((enum mapfile_way)way), strerror(want[way]), strerror(errno));
    }
    cr_assert(eq(int, next_fd(), fd), "no descriptor left open");
}

Test(mapfile_errors, a_buffer_of_0_bytes_is_einval_with_nothing_taken)
{
    struct mapfile_reader r;
    int fd = next_fd(), rc = 0;

    errno = 0;
    ASSERT_NO_ALLOCS(rc = mapfile_reader_open(".", 0, &r));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(int, next_fd(), fd));
}

Test(mapfile_errors, a_file_in_a_missing_directory_is_not_made)
{
    char p[64];

    errno = 0;
    cr_assert(eq(int, mapfile_make("/nonexistent", 10, p, sizeof p), -1));
    cr_assert(eq(int, errno, ENOENT));
    cr_assert(eq(int, mapfile_make("/nonexistent", 10, p, 8), -1));
    cr_assert(eq(int, errno, ENAMETOOLONG));
}

/* ---- out of memory ---- */

static int sweep_whole(void *ctx)
{
    struct mapfile_whole w;

    if (mapfile_whole_read(ctx, &w) != 0)
        return -1;
    mapfile_whole_free(&w);
    return 0;
}

static int sweep_reader(void *ctx)
{
    struct mapfile_reader r;

    if (mapfile_reader_open(ctx, MAPFILE_BUF, &r) != 0)
        return -1;
    mapfile_reader_close(&r);
    return 0;
}

static int sweep_ways(void *ctx)
{
    struct mapfile_sum s;

    for (int way = 0; way < MAPFILE_WAYS; way++)
        if (mapfile_sum_file((enum mapfile_way)way, ctx, MAPFILE_BUF, &s) != 0)
            return -1;
    return 0;
}

static int sweep_measure(void *ctx)
{
    struct mapfile_cost c;

    for (int way = 0; way < MAPFILE_WAYS; way++)
        if (mapfile_measure((enum mapfile_way)way, ctx, MAPFILE_BUF, way == MAPFILE_MAP, &c) != 0)
            return -1;
    return 0;
}

Test(mapfile_oom, every_way_reports_each_failed_allocation_closes_the_file_and_leaks_nothing,
     .fini = unmake)
{
    int fd = next_fd();

    make(100000);
    ASSERT_SWEEP_CLEAN(sweep_whole, path);
    ASSERT_SWEEP_CLEAN(sweep_reader, path);
    ASSERT_SWEEP_CLEAN(sweep_ways, path);
    ASSERT_SWEEP_CLEAN(sweep_measure, path);
    cr_assert(eq(int, next_fd(), fd), "no descriptor left open");
}

Test(mapfile_oom, a_failed_block_is_enomem_and_the_file_is_closed, .fini = unmake)
{
    struct mapfile_whole w;
    int fd = next_fd(), rc = 0;

    SKIP_WITHOUT_INJECTION();
    make(100000);
    countalloc_fail_at(1, false);
    errno = 0;
    ASSERT_NO_ALLOCS(rc = mapfile_whole_read(path, &w));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(eq(int, next_fd(), fd));
}

/* ---- the pages: bounds, since the kernel decides them ---- */

static struct mapfile_cost measure(enum mapfile_way way, bool pageout)
{
    struct mapfile_cost c;

    cr_assert(eq(int, mapfile_measure(way, path, MAPFILE_BUF, pageout, &c), 0), "%s: %s",
              mapfile_way_name(way), strerror(errno));
    return c;
}

static int64_t grew(uint64_t to, uint64_t from)
{
    return (int64_t)(to - from);
}

static uint64_t pages(uint64_t len)
{
    return len / (uint64_t)sysconf(_SC_PAGESIZE);
}

Test(mapfile_pages, the_whole_block_costs_its_size_in_rssanon_and_a_fault_a_page_then_goes_back,
     .fini = unmake, GLIBC_MALLOC_ONLY)
{
    struct mapfile_cost c;

    make(LEN);
    c = measure(MAPFILE_WHOLE, false);
    cr_assert(ge(i64, grew(c.held.anon, c.start.anon), LEN), "read(2) writes every page of the block");
    cr_assert(le(i64, grew(c.held.anon, c.start.anon), LEN + HUGE_PAGE + SLACK));
    cr_assert(le(i64, grew(c.held.file, c.start.file), SLACK), "read maps no file page");
    cr_assert(ge(u64, c.held.minflt - c.start.minflt, LEN / HUGE_PAGE),
              "at least a fault a huge page");
    cr_assert(le(u64, c.held.minflt - c.start.minflt, pages(LEN) + pages(SLACK)),
              "at most a fault a page");
    cr_assert(le(i64, grew(c.left.anon, c.start.anon), SLACK),
              "the process's first block past the threshold is its own mmap: free unmaps it");
}

Test(mapfile_pages, a_second_block_of_the_same_size_comes_from_the_heap_and_stays, .fini = unmake,
     GLIBC_MALLOC_ONLY)
{
    struct mapfile_cost c;

    make(LEN);
    measure(MAPFILE_WHOLE, false); /* freed: glibc raises its threshold to the block's size */
    c = measure(MAPFILE_WHOLE, false);
    cr_assert(eq(u64, c.heap.mallocs, 1));
    cr_assert(eq(u64, c.heap.frees, 1));
    cr_assert(ge(i64, grew(c.left.anon, c.start.anon), LEN - 2 * SLACK),
              "glibc 2.36 and 2.41: the block came from the heap, whose top is kept after free "
              "(below twice the new threshold), saw %lld B left",
              (long long)grew(c.left.anon, c.start.anon));
}

Test(mapfile_pages, past_32_mib_the_block_is_its_own_mmap_every_time, .fini = unmake,
     GLIBC_MALLOC_ONLY)
{
    struct mapfile_cost c;

    make(BIG);
    measure(MAPFILE_WHOLE, false);
    c = measure(MAPFILE_WHOLE, false);
    cr_assert(le(i64, grew(c.left.anon, c.start.anon), SLACK),
              "glibc 2.36 and 2.41 raise the threshold only up to 32 MiB (64-bit), saw %lld B left",
              (long long)grew(c.left.anon, c.start.anon));
}

Test(mapfile_pages, the_mapping_costs_its_size_in_rssfile_none_in_rssanon_and_goes_with_munmap,
     .fini = unmake, GLIBC_MALLOC_ONLY)
{
    struct mapfile_cost c;

    make(LEN);
    c = measure(MAPFILE_MAP, false);
    cr_assert(eq(u64, c.heap.mallocs, 0));
    cr_assert(ge(i64, grew(c.held.file, c.start.file), LEN), "every page read is mapped");
    cr_assert(le(i64, grew(c.held.file, c.start.file), LEN + SLACK));
    cr_assert(le(i64, grew(c.held.anon, c.start.anon), SLACK), "no anonymous copy");
    cr_assert(le(u64, c.held.minflt - c.start.minflt, pages(LEN) + pages(SLACK)),
              "at most a fault a page (fewer where the kernel maps the neighbours too)");
    cr_assert(le(i64, grew(c.left.file, c.start.file), SLACK));
    cr_assert(eq(u32, c.reads, 0));
}

Test(mapfile_pages, a_buffer_at_a_time_costs_the_buffer_whatever_the_file, .fini = unmake,
     GLIBC_MALLOC_ONLY)
{
    struct mapfile_cost c;

    make(LEN);
    c = measure(MAPFILE_STREAM, false);
    cr_assert(eq(u64, c.heap.mallocs, 1));
    cr_assert(eq(u64, c.heap.total_alloc, MAPFILE_BUF));
    cr_assert(le(i64, grew(c.held.anon, c.start.anon), MAPFILE_BUF + SLACK));
    cr_assert(le(i64, grew(c.held.file, c.start.file), SLACK));
    cr_assert(le(u64, c.held.minflt - c.start.minflt, pages(MAPFILE_BUF) + pages(SLACK)));
    cr_assert(eq(u32, c.reads, reads_for(LEN, MAPFILE_BUF)));
}

Test(mapfile_pages, pageout_takes_the_mapped_file_pages_back_and_without_swap_not_the_copy,
     .fini = unmake, GLIBC_MALLOC_ONLY)
{
    struct mapfile_cost c;
    char text[4096];

    make(LEN);
    c = measure(MAPFILE_MAP, true);
    cr_assert(ge(i64, grew(c.held.file, c.paged.file), LEN / 2),
              "clean file pages mapped by this process alone: the kernel drops them, saw %lld B",
              (long long)grew(c.held.file, c.paged.file));
    c = measure(MAPFILE_MAP, false);
    cr_assert(ge(u64, c.held.majflt - c.start.majflt, 1), "read back from the disk");
    cr_assert(eq(int, procfs_read("/proc/meminfo", text, sizeof text), 0));
    if (procfs_kib(text, "SwapTotal:") != 0)
        cr_skip_test("this machine has swap: the anonymous copy may be written out");
    c = measure(MAPFILE_WHOLE, true);
    cr_assert(le(i64, grew(c.held.anon, c.paged.anon), SLACK),
              "without swap an anonymous page has nowhere to go, saw %lld B taken",
              (long long)grew(c.held.anon, c.paged.anon));
}

/* ---- the program ---- */

Test(mapfile_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "262145", "1x", "--bogus",
                                      "99999999999999999999999", "1 2"};

    ASSERT_BAD_ARGUMENTS("demo/mapfile", "KIB", bad);
}

Test(mapfile_program, a_file_it_cannot_make_is_one_line_and_exit_status_1,
     NATIVE_ONLY("Valgrind makes its own temporary files in $TMPDIR, and says so"))
{
    static char out[16 * 1024];
    const char *line;
    int rc;

    rc = cli_run_beside("TMPDIR=/nonexistent", "demo/mapfile", "4", out, sizeof out);

    cr_assert(eq(int, rc, 1));
    cr_assert(eq(int, cli_own_lines(out, &line), 1));
    cr_assert(strstr(line, "/nonexistent") != NULL && strstr(line, strerror(ENOENT)) != NULL,
              "the line names the directory and the reason: %s", line);
}
