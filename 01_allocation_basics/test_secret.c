/* test_secret.c: lesson 01's "Erasing a secret" (secret.h). The instrument first, both
 * ways: it finds a planted copy, each one once (one across every page boundary of a
 * mapping, so across the boundaries of its reads too), the halves alone, and 0 when there
 * is none; it allocates nothing. Then what each way of letting a secret go leaves, counted
 * (NATIVE_ONLY: under Valgrind the search reads nothing), and exactly where glibc's malloc
 * decides it (GLIBC_MALLOC_ONLY); the allocations of each case, exact; a failed allocation
 * that leaves no copy and no block; the OOM sweeps; demo/secret's arguments.
 *
 * glibc 2.36 (Debian 12) and 2.41 (Debian 13) alike: free puts a small block in the
 * thread's cache (the tcache), writing its link and key over the block's first 16 bytes.
 * gcc 12 and gcc 14 alike: at -O2, with free known as the builtin, the memset before it is
 * deleted. In the ASan build ASan's allocator serves the blocks: its free writes over the
 * start of a block too, and its realloc always moves; the counts of "any copy" hold there. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "beside.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "secret.h"

#define SCAN_NATIVE NATIVE_ONLY("the search reads nothing under Valgrind, whose maps are its own")

static struct secret_scan *scan;

static void setup(void)
{
    scan = secret_scan_new();
    cr_assert(scan != NULL, "secret_scan_new: %s", strerror(errno));
}

static void teardown(void)
{
    secret_scan_free(scan);
}

/* Every copy, whole or in part. */
static unsigned copies_of(const struct secret_copies *c)
{
    return c->whole + c->head + c->tail;
}

static struct secret_copies count(void)
{
    struct secret_copies c;

    cr_assert(eq(int, secret_count(scan, &c), 0), "secret_count: %s", strerror(errno));
    return c;
}

/* The copies found are w whole, h first halves alone and t last halves alone. */
static void assert_copies(struct secret_copies c, unsigned w, unsigned h, unsigned t, const char *what)
{
    cr_assert(c.whole == w && c.head == h && c.tail == t,
              "%s: expected %u whole, %u first half alone, %u last half alone; saw %u, %u, %u",
              what, w, h, t, c.whole, c.head, c.tail);
}
#define ASSERT_COPIES(c, w, h, t, what) assert_copies((c), (w), (h), (t), (what))

/* ---- the instrument ---- */

TestSuite(secret_scan, .init = setup, .fini = teardown);

Test(secret_scan, finds_no_copy_before_one_is_put_and_each_one_put_once, SCAN_NATIVE)
{
    unsigned char *heap = malloc(64), *stack_like;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    struct secret_copies c;

    cr_assert(heap != NULL);
    stack_like = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(stack_like != MAP_FAILED);
    c = count();
    ASSERT_COPIES(c, 0, 0, 0, "before any copy is put: the instrument keeps the secret masked");
    cr_assert(c.maps > 0 && c.bytes > 0, "the search read %u mappings, %zu bytes", c.maps, c.bytes);
    secret_put(scan, heap + 8);
    ASSERT_COPIES(count(), 1, 0, 0, "one copy in a malloc'd block");
    secret_put(scan, stack_like + page - SECRET_LEN);
    ASSERT_COPIES(count(), 2, 0, 0, "and one at the end of an anonymous mapping");
    explicit_bzero(heap, 64);
    explicit_bzero(stack_like, page);
    ASSERT_COPIES(count(), 0, 0, 0, "both wiped");
    free(heap);
    munmap(stack_like, page);
}

/* The search reads a mapping a chunk at a time, each chunk a whole number of pages from
 * the mapping's start: a copy across every page boundary of 32 pages crosses those. */
Test(secret_scan, finds_a_copy_across_every_page_boundary_once, SCAN_NATIVE)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), pages = 32;
    unsigned char *m = mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char what[64];

    cr_assert(m != MAP_FAILED);
    for (size_t k = 1; k < pages; k++)
        secret_put(scan, m + k * page - SECRET_HALF - (k % SECRET_HALF));
    snprintf(what, sizeof what, "a copy across each of %zu page boundaries", pages - 1);
    ASSERT_COPIES(count(), pages - 1, 0, 0, what);
    munmap(m, pages * page);
}

Test(secret_scan, counts_a_half_left_alone_as_that_half, SCAN_NATIVE)
{
    unsigned char *p = malloc(2 * SECRET_LEN);

    cr_assert(p != NULL);
    memset(p, '.', 2 * SECRET_LEN);
    secret_put(scan, p);
    memset(p + SECRET_HALF, 0, SECRET_HALF);
    ASSERT_COPIES(count(), 0, 1, 0, "the last half wiped");
    secret_put(scan, p);
    memset(p, 0, SECRET_HALF);
    ASSERT_COPIES(count(), 0, 0, 1, "the first half wiped");
    secret_put(scan, p + SECRET_LEN); /* and a whole one after it: its head follows the tail */
    ASSERT_COPIES(count(), 1, 0, 1, "a whole copy right after a last half");
    explicit_bzero(p, 2 * SECRET_LEN);
    free(p);
}

Test(secret_scan, secret_is_tells_the_secret_from_a_byte_changed)
{
    unsigned char b[SECRET_LEN];

    secret_put(scan, b);
    cr_assert(secret_is(scan, b, SECRET_LEN));
    cr_assert(secret_is(scan, b, SECRET_LEN - 1) == false, "a length other than SECRET_LEN is not it");
    for (size_t i = 0; i < SECRET_LEN; i++) {
        b[i] ^= 1;
        cr_assert(secret_is(scan, b, SECRET_LEN) == false, "byte %zu changed", i);
        b[i] ^= 1;
    }
    explicit_bzero(b, sizeof b);
}

Test(secret_scan, the_search_allocates_nothing)
{
    struct secret_copies c;
    int rc = -1;

    ASSERT_NO_ALLOCS(rc = secret_count(scan, &c));
    cr_assert(eq(int, rc, 0));
}

/* ---- free, and the wipes ---- */

TestSuite(secret_free, .init = setup, .fini = teardown);

/* The counting allocator puts 16 bytes of its own in front of every block: glibc's tcache
 * link and key land there, and the caller's bytes stay whole. */
Test(secret_free, a_freed_counted_block_keeps_the_whole_secret, GLIBC_MALLOC_ONLY)
{
    struct secret_case c;

    cr_assert(eq(int, secret_free_plain(scan, SECRET_COUNTED, 64, &c), 0));
    ASSERT_COPIES(c.live, 1, 0, 0, "the block live");
    ASSERT_COPIES(c.after, 1, 0, 0, "freed: glibc's links land on the counting allocator's header");
}

/* glibc's own block: the tcache's link (8 bytes, mangled) and key (8 bytes) over its first
 * 16 bytes; the last 16 of the secret survive. glibc 2.36 and 2.41 alike. */
Test(secret_free, glibc_s_free_writes_over_the_first_16_bytes_and_leaves_the_last_16, GLIBC_MALLOC_ONLY)
{
    struct secret_case c;

    cr_assert(eq(int, secret_free_plain(scan, SECRET_GLIBC, 64, &c), 0));
    ASSERT_COPIES(c.live, 1, 0, 0, "the block live");
    ASSERT_COPIES(c.after, 0, 0, 1, "freed by glibc's own free");
}

/* ASan's free writes over the start of the block too (its free stack's id): the last half
 * survives, in quarantine. */
Test(secret_free, in_the_asan_build_a_freed_block_keeps_the_last_half, SANITIZER_ONLY)
{
    struct secret_case c;

    cr_assert(eq(int, secret_free_plain(scan, SECRET_COUNTED, 64, &c), 0));
    ASSERT_COPIES(c.after, 0, 0, 1, "freed by ASan's free");
}

Test(secret_free, each_case_is_one_allocation_of_the_block_and_one_free)
{
    static const size_t sizes[] = {SECRET_LEN, 64, 1000};
    void (*const wipes[])(void *, size_t) = {secret_memset_free_o2, secret_memset_free_kept,
                                             secret_bzero_free, secret_volatile_free};
    struct secret_case c;

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        cr_assert(eq(int, secret_free_plain(scan, SECRET_COUNTED, sizes[i], &c), 0));
        cr_assert(c.d.mallocs == 1 && c.d.frees == 1 && c.d.total_alloc == sizes[i] && c.d.heap_alloc == 0,
                  "free of %zu bytes: expected 1 allocation of %zu bytes and 1 free, saw %llu of "
                  "%llu and %llu", sizes[i], sizes[i], (unsigned long long)c.d.mallocs,
                  (unsigned long long)c.d.total_alloc, (unsigned long long)c.d.frees);
        for (size_t w = 0; w < sizeof wipes / sizeof wipes[0]; w++) {
            cr_assert(eq(int, secret_wipe_free(scan, wipes[w], sizes[i], &c), 0));
            cr_assert(c.d.mallocs == 1 && c.d.frees == 1 && c.d.total_alloc == sizes[i] && c.d.heap_alloc == 0,
                      "wipe %zu of %zu bytes: expected 1 allocation of %zu bytes and 1 free", w,
                      sizes[i], sizes[i]);
        }
    }
    cr_assert(eq(int, secret_free_plain(scan, SECRET_GLIBC, 64, &c), 0));
    cr_assert(c.d.mallocs == 0 && c.d.frees == 0, "glibc's own malloc is not counted");
}

/* demo/wipefree.c built by gcc -O2 alone: free is the builtin, the memset before it a dead
 * store, deleted (gcc 12 and 14). The copy survives as free left it. */
Test(secret_free, memset_then_free_built_by_gcc_O2_alone_leaves_the_copy, SCAN_NATIVE)
{
    struct secret_case c;

    cr_assert(eq(int, secret_wipe_free(scan, secret_memset_free_o2, 64, &c), 0));
    cr_assert(eq(u32, copies_of(&c.after), 1), "memset + free, gcc -O2 with its builtins: expected the "
              "copy free leaves (gcc deletes the memset), saw %u", copies_of(&c.after));
}

Test(secret_free, memset_kept_by_the_makefile_s_flags_explicit_bzero_and_a_volatile_memset_leave_none,
     SCAN_NATIVE)
{
    static const struct {
        const char *what;
        void (*fn)(void *, size_t);
    } ways[] = {
        {"memset + free with -fno-builtin-free", secret_memset_free_kept},
        {"explicit_bzero + free", secret_bzero_free},
        {"memset through a volatile pointer + free", secret_volatile_free},
    };
    struct secret_case c;

    for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++) {
        cr_assert(eq(int, secret_wipe_free(scan, ways[i].fn, 64, &c), 0));
        ASSERT_COPIES(c.live, 1, 0, 0, ways[i].what);
        ASSERT_COPIES(c.after, 0, 0, 0, ways[i].what);
    }
}

/* ---- growth ---- */

TestSuite(secret_grow, .init = setup, .fini = teardown);

/* realloc moves the block (a live one after it) and frees the old one as it is: with the
 * counting allocator's header the whole old copy stays, beside the new one; the new one
 * wiped, the old one is still there. */
Test(secret_grow, realloc_leaves_the_whole_old_copy_and_wiping_the_new_block_does_not_reach_it,
     GLIBC_MALLOC_ONLY)
{
    struct secret_case c;

    cr_assert(eq(int, secret_grow(scan, SECRET_REALLOC, 64, 128, &c), 0));
    cr_assert(c.moved, "a live block after it: realloc must move the block");
    ASSERT_COPIES(c.live, 2, 0, 0, "after the growth: the new block and the old one freed");
    ASSERT_COPIES(c.after, 1, 0, 0, "the new block wiped and freed");
}

Test(secret_grow, realloc_leaves_a_copy_once_the_grown_block_is_wiped, SCAN_NATIVE)
{
    struct secret_case c;

    cr_assert(eq(int, secret_grow(scan, SECRET_REALLOC, 64, 128, &c), 0));
    cr_assert(eq(u32, copies_of(&c.after), 1), "realloc, the grown block wiped: expected the old "
              "block's copy, saw %u", copies_of(&c.after));
}

Test(secret_grow, growing_by_hand_leaves_none_once_the_grown_block_is_wiped, SCAN_NATIVE)
{
    struct secret_case c;

    cr_assert(eq(int, secret_grow(scan, SECRET_BY_HAND, 64, 128, &c), 0));
    ASSERT_COPIES(c.live, 1, 0, 0, "by hand, after the growth: the new block alone");
    ASSERT_COPIES(c.after, 0, 0, 0, "by hand, the grown block wiped and freed");
}

/* realloc(p, n) counts as one allocation of n bytes and one free (countalloc.h); by hand
 * is one malloc(n) and one free: the same. */
Test(secret_grow, both_ways_are_one_allocation_of_the_new_size_and_one_free)
{
    static const size_t cases[][2] = {{SECRET_LEN, 100}, {64, 128}, {500, 1000}};
    struct secret_case c;

    for (int way = SECRET_REALLOC; way <= SECRET_BY_HAND; way++)
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            size_t from = cases[i][0], to = cases[i][1];

            cr_assert(eq(int, secret_grow(scan, (enum secret_grow_way)way, from, to, &c), 0));
            cr_assert(c.d.mallocs == 1 && c.d.frees == 1 && c.d.total_alloc == to &&
                          c.d.heap_alloc == (int64_t)(to - from),
                      "%s from %zu to %zu: expected 1 allocation of %zu bytes, 1 free, the heap "
                      "%zu bytes higher; saw %llu of %llu, %llu, %lld",
                      way == SECRET_REALLOC ? "realloc" : "by hand", from, to, to, to - from,
                      (unsigned long long)c.d.mallocs, (unsigned long long)c.d.total_alloc,
                      (unsigned long long)c.d.frees, (long long)c.d.heap_alloc);
        }
}

Test(secret_grow, a_failed_growth_by_hand_returns_enomem_and_leaves_the_block_as_it_was)
{
    unsigned char *p;
    void *q;
    struct countalloc_stats d;
    int rc = 0;

    SKIP_WITHOUT_INJECTION();
    p = malloc(64);
    cr_assert(p != NULL);
    secret_put(scan, p);
    q = p;
    countalloc_fail_at(1, false);
    errno = 0;
    ALLOC_MEASURE(rc = secret_grow_by_hand(&q, 64, 128), d);
    cr_assert(eq(u64, countalloc_fail_off(), 1));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(q == p && secret_is(scan, p, SECRET_LEN), "a failed growth must leave the block and "
              "its bytes as they were");
    cr_assert(d.mallocs == 0 && d.frees == 0, "a failed growth: nothing allocated or freed");
    explicit_bzero(p, 64);
    free(p);
}

/* Each allocation of secret_grow made to fail in turn: -1, ENOMEM, nothing left allocated,
 * and no copy of the secret in the process. */
Test(secret_grow, a_failed_allocation_leaves_no_block_and_no_copy, SCAN_NATIVE)
{
    SKIP_WITHOUT_INJECTION();
    for (int way = SECRET_REALLOC; way <= SECRET_BY_HAND; way++)
        for (uint64_t k = 1; k <= 3; k++) {
            struct countalloc_stats start;
            struct secret_case c;
            int rc;

            countalloc_measure_begin(&start);
            countalloc_fail_at(k, false);
            errno = 0;
            rc = secret_grow(scan, (enum secret_grow_way)way, 64, 128, &c);
            cr_assert(eq(u64, countalloc_fail_off(), 1), "allocation %llu must fail", (unsigned long long)k);
            cr_assert(rc == -1 && errno == ENOMEM, "allocation %llu failed: expected -1, ENOMEM",
                      (unsigned long long)k);
            ASSERT_ALL_FREED_SINCE(&start, "a failed growth");
            ASSERT_COPIES(count(), 0, 0, 0, "after a failed growth");
        }
}

static int job_grow(void *ctx)
{
    struct secret_case c;

    return secret_grow(scan, *(enum secret_grow_way *)ctx, 64, 128, &c);
}

static int job_free(void *ctx)
{
    struct secret_case c;

    (void)ctx;
    if (secret_free_plain(scan, SECRET_COUNTED, 64, &c) != 0)
        return -1;
    return secret_wipe_free(scan, secret_bzero_free, 64, &c);
}

Test(secret_grow, every_failed_allocation_is_reported_and_leaks_nothing)
{
    enum secret_grow_way realloc_way = SECRET_REALLOC, by_hand = SECRET_BY_HAND;

    ASSERT_SWEEP_CLEAN(job_grow, &realloc_way);
    ASSERT_SWEEP_CLEAN(job_grow, &by_hand);
    ASSERT_SWEEP_CLEAN(job_free, NULL);
}

/* ---- stdio ---- */

static char path[64];

static void setup_file(void)
{
    int fd;

    setup();
    snprintf(path, sizeof path, "/tmp/test_secret-XXXXXX");
    fd = mkstemp(path);
    cr_assert(fd >= 0 && close(fd) == 0, "mkstemp: %s", strerror(errno));
    cr_assert(eq(int, secret_write_file(scan, path), 0), "writing %s: %s", path, strerror(errno));
}

static void teardown_file(void)
{
    unlink(path);
    teardown();
}

TestSuite(secret_read, .init = setup_file, .fini = teardown_file);

/* One way in a test process of its own: a later way would find what an earlier one left. */
static void read_way(enum secret_read_way way, const char *name, unsigned live, unsigned after)
{
    struct secret_case c;
    char what[64];

    cr_assert(eq(int, secret_read(scan, way, path, &c), 0), "%s: %s", name, strerror(errno));
    snprintf(what, sizeof what, "%s, the file open", name);
    ASSERT_COPIES(c.live, live, 0, 0, what);
    snprintf(what, sizeof what, "%s, the file closed", name);
    ASSERT_COPIES(c.after, after, 0, 0, what);
}

/* stdio's buffer (a block of its own, the file's st_blksize) holds the file until fclose,
 * and its freed block after: the secret is SECRET_FILE_AT bytes in, past the 32 bytes a
 * free chunk's links take in any of glibc's bins. */
Test(secret_read, fgets_leaves_a_copy_in_stdio_s_buffer_before_fclose_and_after, SCAN_NATIVE)
{
    cr_assert(32 <= SECRET_FILE_AT, "the secret must start past the 32 bytes a large bin's links take");
    read_way(SECRET_FGETS, "fgets", 1, 1);
}

/* Unbuffered, stdio reads a byte at a time into the FILE itself. */
Test(secret_read, fgets_on_an_unbuffered_stream_leaves_none, SCAN_NATIVE)
{
    read_way(SECRET_FGETS_IONBF, "fgets, _IONBF", 0, 0);
}

/* read(2) copies into the caller's buffer alone. */
Test(secret_read, read_2_leaves_none, SCAN_NATIVE)
{
    read_way(SECRET_READ, "read(2)", 0, 0);
}

/* The caller's buffer (128 bytes); fopen's FILE, measured here by an fopen and fclose of
 * the file; and for a buffered read stdio's buffer, st_blksize bytes. */
Test(secret_read, fgets_allocates_the_file_and_its_buffer_ionbf_the_file_and_read_nothing_of_libc_s)
{
    struct countalloc_stats d;
    struct secret_case c;
    struct stat st;
    uint64_t file, line = 128;
    FILE *f = NULL;

    cr_assert(eq(int, stat(path, &st), 0));
    ALLOC_MEASURE(f = fopen(path, "r"), d);
    cr_assert(f != NULL && d.mallocs == 1);
    file = d.total_alloc;
    fclose(f);

    cr_assert(eq(int, secret_read(scan, SECRET_FGETS, path, &c), 0));
    cr_assert(c.d.mallocs == 3 && c.d.frees == 3 && c.d.total_alloc == line + file + (uint64_t)st.st_blksize,
              "fgets: expected 3 allocations (the buffer, the FILE, stdio's %lld-byte buffer) of %llu "
              "bytes and 3 frees; saw %llu of %llu, %llu", (long long)st.st_blksize,
              (unsigned long long)(line + file + (uint64_t)st.st_blksize), (unsigned long long)c.d.mallocs,
              (unsigned long long)c.d.total_alloc, (unsigned long long)c.d.frees);
    cr_assert(eq(int, secret_read(scan, SECRET_FGETS_IONBF, path, &c), 0));
    cr_assert(c.d.mallocs == 2 && c.d.frees == 2 && c.d.total_alloc == line + file,
              "fgets, _IONBF: expected 2 allocations (the buffer, the FILE) of %llu bytes; saw %llu of %llu",
              (unsigned long long)(line + file), (unsigned long long)c.d.mallocs,
              (unsigned long long)c.d.total_alloc);
    cr_assert(eq(int, secret_read(scan, SECRET_READ, path, &c), 0));
    cr_assert(c.d.mallocs == 1 && c.d.frees == 1 && c.d.total_alloc == line,
              "read(2): expected the buffer alone, 1 allocation of %llu bytes; saw %llu of %llu",
              (unsigned long long)line, (unsigned long long)c.d.mallocs, (unsigned long long)c.d.total_alloc);
}

Test(secret_read, a_file_without_the_secret_is_einval_and_leaks_nothing)
{
    struct countalloc_stats start;
    struct secret_case c;
    FILE *f = fopen(path, "w");

    cr_assert(f != NULL);
    fputs("password=not-it\n", f);
    fclose(f);
    countalloc_measure_begin(&start);
    for (int way = SECRET_FGETS; way <= SECRET_READ; way++) {
        errno = 0;
        cr_assert(eq(int, secret_read(scan, (enum secret_read_way)way, path, &c), -1));
        cr_assert(eq(int, errno, EINVAL));
    }
    ASSERT_ALL_FREED_SINCE(&start, "secret_read of a file without the secret");
}

static int job_read(void *ctx)
{
    struct secret_case c;

    return secret_read(scan, *(enum secret_read_way *)ctx, path, &c);
}

/* fopen's FILE failing is reported (fopen returns NULL); stdio's buffer failing is
 * absorbed: glibc reads unbuffered, and the secret is found all the same. */
Test(secret_read, every_failed_allocation_is_reported_or_absorbed_and_leaks_nothing)
{
    enum secret_read_way fgets_way = SECRET_FGETS, ionbf = SECRET_FGETS_IONBF, read_way = SECRET_READ;

    ASSERT_SWEEP_ABSORBS(job_read, &fgets_way);
    ASSERT_SWEEP_CLEAN(job_read, &ionbf);
    ASSERT_SWEEP_CLEAN(job_read, &read_way);
}

/* ---- demo/secret ---- */

Test(secret_demo, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "31", "0", "-1", "513", "1x", "--bogus", "99999999999999999999999"};
    static const char *const extra[] = {"64 2"};

    ASSERT_BAD_ARGUMENTS("demo/secret", "BYTES must be a whole number from 32 to 512", bad);
    ASSERT_BAD_ARGUMENTS("demo/secret", "too many arguments", extra);
}

Test(secret_demo, the_demo_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/secret", "32");
}
