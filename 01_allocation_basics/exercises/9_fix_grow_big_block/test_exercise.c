/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-01). What tells realloc from malloc + memcpy +
 * free is the pages: natively, glibc's realloc moves a big block's pages and writes none
 * of them, which the page-fault test measures. Under Valgrind and in the ASan build
 * another allocator serves every block and its realloc copies too: the page-fault test
 * is skipped there, and the ASan build reads instead where ASan says the grown block was
 * allocated. The counts and the bytes are tested everywhere, and the failures wherever an
 * allocation can be made to fail (not in the ASan build), on small buffers, since make
 * check runs them under memcheck. glibc 2.36 and 2.41 alike: no page written by realloc,
 * a fault per page by the copy. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "memdebug.h" /* MEMDEBUG_ASAN, and ASan's interface in that build */
#include "procfs.h"
#include "regrow.h" /* REGROW_MMAP_ALWAYS: from 32 MiB glibc always mmaps a block */

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)
/* How many bytes of each end the tests check: the ends are where a copy of the wrong
 * length, or from the wrong place, shows. */
#define END 64

/* The byte the tests write at offset i: neighbours differ, and so do the two ends. */
static unsigned char byte_at(size_t i)
{
    return (unsigned char)(i * 31 + 17 + (i >> 12));
}

static void write_ends(unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len && i < END; i++)
        p[i] = byte_at(i);
    for (size_t i = len > END ? len - END : 0; i < len; i++)
        p[i] = byte_at(i);
}

/* The first offset of either end of p's len bytes that does not read byte_at, or len. */
static size_t first_wrong(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len && i < END; i++)
        if (p[i] != byte_at(i))
            return i;
    for (size_t i = len > END ? len - END : 0; i < len; i++)
        if (p[i] != byte_at(i))
            return i;
    return len;
}

/* A buffer of cap bytes (by bigbuf_reserve), its first len written at both ends. */
static struct bigbuf written(size_t len, size_t cap)
{
    struct bigbuf b = {NULL, 0, 0};

    cr_assert(eq(int, bigbuf_reserve(&b, cap), 0), "bigbuf_reserve of an empty buffer to %zu "
              "bytes failed: out of memory?", cap);
    cr_assert(b.data != NULL && b.cap == cap, "an empty buffer reserved to %zu bytes: expected "
              "data not NULL and cap %zu, saw data %p and cap %zu", cap, cap, (void *)b.data,
              b.cap);
    write_ends(b.data, len);
    b.len = len;
    return b;
}

/* ---- the pages (glibc's malloc only) ---- */

/* The buffer's old contents, every page written, grown to twice its size: the page faults
 * of bigbuf_reserve alone. One growth of an unwritten buffer first, not counted, as make
 * mremap-01 does: a first call may fault in a page of glibc's code (its mremap path) or
 * of the stack, which are not the buffer's. Then the same contents copied into a fresh
 * block here, malloc + memcpy + free, measured the same way: it must fault once for every
 * page it writes, or the faults are not counting base pages and the first figure says
 * nothing. The starter's growth is that copy. */
Test(bigbuf, growing_a_written_32_mib_buffer_to_64_mib_writes_no_page_of_it, GLIBC_MALLOC_ONLY)
{
    size_t bytes = REGROW_MMAP_ALWAYS, page = (size_t)sysconf(_SC_PAGESIZE);
    uint64_t pages = bytes / page, grow, copy;
    int was = procfs_thp_off();
    struct bigbuf warm = {NULL, 0, 0}, b;
    unsigned char *q;

    cr_assert(eq(int, bigbuf_reserve(&warm, bytes), 0));
    cr_assert(eq(int, bigbuf_reserve(&warm, 2 * bytes), 0));
    bigbuf_free(&warm);

    b = written(0, bytes);
    memset(b.data, 0x5a, bytes); /* every page of the old contents */
    write_ends(b.data, bytes);
    b.len = bytes;
    grow = procfs_minor_faults();
    cr_assert(eq(int, bigbuf_reserve(&b, 2 * bytes), 0), "growing %zu MiB to %zu MiB failed",
              bytes / MIB, 2 * bytes / MIB);
    grow = procfs_minor_faults() - grow;
    cr_assert(eq(sz, first_wrong(b.data, bytes), bytes), "the grown buffer's first %zu MiB: "
              "expected the old bytes at both ends", bytes / MIB);

    q = malloc(2 * bytes);
    cr_assert(q != NULL);
    copy = procfs_minor_faults();
    memcpy(q, b.data, bytes);
    copy = procfs_minor_faults() - copy;
    /* q is read, so that the compiler keeps the copy into it */
    cr_assert(eq(sz, first_wrong(q, bytes), bytes), "the copy's bytes");
    free(q);
    bigbuf_free(&b);
    procfs_thp_restore(was);

    cr_assert(ge(u64, copy, pages),
              "malloc + memcpy of the same %zu MiB: expected a fault for each of its %llu pages "
              "of %zu bytes, saw %llu: the faults here are not base pages, and the test cannot "
              "tell a copy from a move", bytes / MIB, (unsigned long long)pages, page,
              (unsigned long long)copy);
    cr_assert(eq(u64, grow, 0),
              "growing a written %zu MiB buffer to %zu MiB: expected 0 page faults, saw %llu. "
              "The old contents span %llu pages; a copy into fresh pages faults on each (%llu "
              "for malloc + memcpy here). glibc's realloc moves a block this big with mremap: "
              "the pages stay, and none is written.",
              bytes / MIB, 2 * bytes / MIB, (unsigned long long)grow, (unsigned long long)pages,
              (unsigned long long)copy);
}

/* ---- where ASan says the grown block was allocated (the ASan build only) ---- */

#ifdef MEMDEBUG_ASAN
/* The first frame of the stack ASan keeps for the block at p (what its reports print
 * under "previously allocated by"): a point inside the allocation function called, the
 * same for every call to it, whoever the caller is. */
static void *allocated_in(void *p)
{
    void *trace[4];
    int thread;

    return __asan_get_alloc_stack(p, trace, 4, &thread) > 0 ? trace[0] : NULL;
}
#endif

/* ASan's realloc copies every page as malloc + memcpy + free does, so the faults cannot
 * tell them apart here; where the grown block was allocated can. Compared with a block
 * grown by realloc here, and one from malloc. */
Test(bigbuf, in_the_asan_build_a_growth_is_allocated_by_realloc, SANITIZER_ONLY)
{
#ifdef MEMDEBUG_ASAN
    struct bigbuf b = written(100, 100);
    unsigned char *m = malloc(16), *r = malloc(16), *q;
    void *by_malloc, *by_realloc, *seen;

    cr_assert(m != NULL && r != NULL);
    q = realloc(r, 32);
    cr_assert(q != NULL);
    by_malloc = allocated_in(m);
    by_realloc = allocated_in(q);
    free(m);
    free(q);
    cr_assert(eq(int, bigbuf_reserve(&b, 1000), 0));
    seen = allocated_in(b.data);
    bigbuf_free(&b);
    cr_assert(by_realloc != NULL && by_realloc != by_malloc,
              "ASan keeps no allocation stacks here (malloc_context_size=0?)");
    cr_assert(seen == by_realloc,
              "growing 100 bytes to 1000: expected ASan's record of the grown block to start in "
              "realloc (%p), saw %p%s. malloc + memcpy + free writes every page of a big "
              "block again; glibc's realloc moves its pages instead.",
              by_realloc, seen, seen == by_malloc ? ", in malloc" : "");
#else
    cr_fail("built without ASan: the declaration's SANITIZER_ONLY should have skipped this");
#endif
}

/* ---- the bytes, the counts and the failures, everywhere ---- */

/* A buffer as full as it can be, one that is not, an empty one, and one past glibc's
 * first mmap threshold (128 KiB): small enough for memcheck. */
static const struct {
    size_t len, cap, grown;
} growths[] = {
    {1000, 1000, 3000}, {100, 4096, 8192}, {0, 0, 64}, {256 * KIB, 256 * KIB, 512 * KIB},
};
#define NGROWTHS (sizeof growths / sizeof growths[0])

Test(bigbuf, a_growth_keeps_the_first_len_bytes_and_sets_the_new_cap)
{
    for (size_t k = 0; k < NGROWTHS; k++) {
        size_t len = growths[k].len, cap = growths[k].cap, grown = growths[k].grown;
        struct bigbuf b = cap > 0 ? written(len, cap) : (struct bigbuf){NULL, 0, 0};
        size_t wrong;

        cr_assert(eq(int, bigbuf_reserve(&b, grown), 0), "growing %zu bytes to %zu failed", cap,
                  grown);
        cr_assert(b.data != NULL, "%zu bytes grown to %zu: data is NULL", cap, grown);
        cr_assert(eq(sz, b.cap, grown), "%zu bytes grown to %zu: expected cap %zu, saw %zu", cap,
                  grown, grown, b.cap);
        cr_assert(eq(sz, b.len, len), "%zu bytes grown to %zu: expected len %zu as it was, saw "
                  "%zu", cap, grown, len, b.len);
        wrong = first_wrong(b.data, len);
        cr_assert(eq(sz, wrong, len),
                  "%zu bytes grown to %zu: expected the first len = %zu bytes kept, but byte %zu "
                  "reads %d, was %d", cap, grown, len, wrong, wrong < len ? b.data[wrong] : 0,
                  byte_at(wrong));
        bigbuf_free(&b);
        cr_assert(b.data == NULL && b.len == 0 && b.cap == 0, "bigbuf_free: expected the "
                  "buffer left empty, {NULL, 0, 0}");
    }
}

/* The counting contract (common/countalloc.h), as memcheck counts: realloc(p, n) with p
 * not NULL is one allocation of n bytes and one free, whether or not the block moves, and
 * realloc(NULL, n) one allocation; malloc + free count the same, free(NULL) nothing. So
 * each growth is one allocation of the new cap and one free of the old block (none for an
 * empty buffer), the heap rising by new cap - old cap, and a reserve that does not grow
 * costs nothing. */
Test(bigbuf, each_growth_is_one_allocation_of_the_new_cap_and_one_free_of_the_old_block)
{
    static const size_t caps[] = {100, 1000, 1000, 10, 300 * KIB, 300 * KIB + 1};
    const size_t ncaps = sizeof caps / sizeof caps[0], last = caps[ncaps - 1];
    struct bigbuf b = {NULL, 0, 0};
    struct countalloc_stats d;

    for (size_t k = 0; k < ncaps; k++) {
        size_t old = b.cap, cap = caps[k];
        bool grows = cap > old;
        uint64_t allocs = grows, frees = grows && old > 0, bytes = grows ? cap : 0;
        int64_t rise = grows ? (int64_t)(cap - old) : 0;
        int rc = -1;

        ALLOC_MEASURE(rc = bigbuf_reserve(&b, cap), d);
        cr_assert(eq(int, rc, 0), "bigbuf_reserve from %zu to %zu failed", old, cap);
        cr_assert(d.mallocs == allocs && d.total_alloc == bytes,
                  "bigbuf_reserve from cap %zu to %zu: expected %llu allocation(s) of %llu bytes "
                  "in all, saw %llu of %llu%s", old, cap, (unsigned long long)allocs,
                  (unsigned long long)bytes, (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc,
                  grows ? ": a growth is one block of exactly the new cap"
                        : ": a cap the buffer already has needs no block");
        cr_assert(d.frees == frees,
                  "bigbuf_reserve from cap %zu to %zu: expected %llu free(s), saw %llu (one "
                  "for the old block when there is one, none when nothing grows)",
                  old, cap, (unsigned long long)frees, (unsigned long long)d.frees);
        cr_assert(d.heap_alloc == rise && d.heap_objects == (int64_t)(allocs - frees),
                  "bigbuf_reserve from cap %zu to %zu: expected the heap %lld bytes higher and "
                  "%lld block(s) more, saw %lld bytes and %lld", old, cap, (long long)rise,
                  (long long)(allocs - frees), (long long)d.heap_alloc,
                  (long long)d.heap_objects);
    }
    ALLOC_MEASURE(bigbuf_free(&b), d);
    cr_assert(d.frees == 1 && d.heap_objects == -1 && d.heap_alloc == -(int64_t)last,
              "bigbuf_free: expected one free of the %zu-byte block, saw %llu frees giving back "
              "%lld bytes", last, (unsigned long long)d.frees, (long long)-d.heap_alloc);
    ASSERT_NO_ALLOCS(bigbuf_free(&b)); /* an empty buffer: nothing to free */
}

/* The growth's one allocation made to fail: an empty buffer, and a written one whose len
 * is short of its cap. */
Test(bigbuf, a_failed_growth_returns_enomem_and_leaves_data_len_and_cap_as_they_were)
{
    static const size_t cases[][3] = {{0, 0, 16}, {60, 100, 1000}};

    SKIP_WITHOUT_INJECTION();
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t len = cases[k][0], cap = cases[k][1], grown = cases[k][2];
        struct bigbuf b = cap > 0 ? written(len, cap) : (struct bigbuf){NULL, 0, 0};
        unsigned char *data = b.data;
        struct countalloc_stats d;
        uint64_t failed;
        int rc = 0;

        countalloc_fail_at(1, false);
        errno = 0;
        ALLOC_MEASURE(rc = bigbuf_reserve(&b, grown), d);
        failed = countalloc_fail_off();
        cr_assert(eq(u64, failed, 1), "growing %zu bytes to %zu: expected its allocation to be "
                  "the one made to fail, saw %llu failed", cap, grown, (unsigned long long)failed);
        cr_assert(eq(int, rc, -1), "growing %zu bytes to %zu: its allocation failed, expected "
                  "-1, saw %d", cap, grown, rc);
        cr_assert(eq(int, errno, ENOMEM), "growing %zu bytes to %zu failed: expected errno "
                  "ENOMEM, saw %d", cap, grown, errno);
        cr_assert(b.data == data,
                  "a failed growth of %zu bytes to %zu: expected data as it was (%p), saw %p. "
                  "realloc returns NULL when it fails and keeps the old block: b->data = "
                  "realloc(b->data, cap) loses the only pointer to it", cap, grown, (void *)data,
                  (void *)b.data);
        cr_assert(b.len == len && b.cap == cap, "a failed growth of %zu bytes to %zu: expected "
                  "len %zu and cap %zu as they were, saw %zu and %zu", cap, grown, len, cap,
                  b.len, b.cap);
        cr_assert(eq(sz, first_wrong(b.data, len), len), "a failed growth of %zu bytes to %zu: "
                  "expected the buffer's bytes as they were", cap, grown);
        cr_assert(d.frees == 0 && d.heap_alloc == 0 && d.heap_objects == 0,
                  "a failed growth of %zu bytes to %zu: expected nothing freed and nothing "
                  "left allocated, saw %llu frees and %lld bytes in %lld blocks more", cap,
                  grown, (unsigned long long)d.frees, (long long)d.heap_alloc,
                  (long long)d.heap_objects);
        bigbuf_free(&b);
    }
}

/* A buffer made and grown twice, full each time, and freed: 0 when every growth kept the
 * bytes; -1 when one reported a failure (-1, errno ENOMEM) and left the buffer whole, for
 * bigbuf_free to give back. A failure that leaves it broken, or bytes lost, return 0 or
 * 1 and fail the sweep (the test above says which field went wrong). */
static int job_bigbuf(void *ctx)
{
    static const size_t caps[] = {16, 64, 4096};
    struct bigbuf b = {NULL, 0, 0};
    int rc = 0;

    (void)ctx;
    for (size_t k = 0; k < sizeof caps / sizeof caps[0] && rc == 0; k++) {
        size_t len = b.cap;
        unsigned char *data = b.data;

        if (bigbuf_reserve(&b, caps[k]) != 0) {
            bool whole = b.data == data && b.len == len && b.cap == len &&
                         first_wrong(b.data, len) == len;

            rc = errno == ENOMEM && whole ? -1 : 0;
            break;
        }
        if (first_wrong(b.data, len) != len)
            rc = 1;
        write_ends(b.data, caps[k]);
        b.len = caps[k];
    }
    bigbuf_free(&b);
    return rc;
}

Test(bigbuf, every_failed_allocation_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(job_bigbuf, NULL);
}
