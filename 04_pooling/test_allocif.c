/* test_allocif.c: the allocator as a parameter (allocif.h). Each allocator's calls as the
 * heap sees them, the counting decorator against the counting allocator, and one parser
 * given the heap, an arena and a fixed buffer: the allocations, frees and bytes worked out
 * from its lines and each allocator's rules, the second run that allocates nothing, every
 * buffer too small refused cleanly, every allocation failed in turn, and the demo's bad
 * arguments. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "allocif.h"
#include "arena.h"
#include "cli_assert.h"
#include "countalloc.h"

#define REC sizeof(struct kv)
#define MAX_TEXT (1 << 20)

/* ---- what a parse must ask for, worked out from the text ---- */

/* The sizes kv_parse asks for, in order: the records block, then per line the key's
 * bytes and the value's (each with its '\0'). Scans the text its own way: a line ends at
 * '\n' or at the end, its key at the first '='. Returns how many sizes. */
static size_t job_sizes(const char *text, size_t len, size_t *sizes, size_t max)
{
    size_t k = 1, lines = 0, start = 0;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        if (i == len && start == len)
            break; /* no line after the last '\n' */
        size_t eq = start;
        while (text[eq] != '=')
            eq++;
        cr_assert(k + 2 <= max, "too many lines for the test's table");
        sizes[k++] = eq - start + 1;
        sizes[k++] = i - eq;
        lines++;
        start = i + 1;
    }
    if (lines == 0)
        return 0;
    sizes[0] = lines * REC;
    return k;
}

static uint64_t sum(const size_t *sizes, size_t k)
{
    uint64_t s = 0;

    for (size_t i = 0; i < k; i++)
        s += sizes[i];
    return s;
}

/* The bytes a fixed buffer uses at its highest: each block rounded up to ALLOCIF_ALIGN. */
static size_t buf_need(const size_t *sizes, size_t k)
{
    size_t s = 0;

    for (size_t i = 0; i < k; i++)
        s += (sizes[i] + ALLOCIF_ALIGN - 1) / ALLOCIF_ALIGN * ALLOCIF_ALIGN;
    return s;
}

/* What an arena of ARENA_CHUNK chunks takes from the heap for these blocks, by arena.h's
 * rules: a bump in the current chunk while it fits; a block over a quarter of a chunk's
 * space, a chunk of its own; otherwise a new standard chunk. A chunk's header is its two
 * words, padded to ARENA_ALIGN. `standard` and `own` count the two kinds; `own_bytes` is
 * what the chunks of their own take, which a reset frees and the next run mallocs again. */
#define CHUNK_HDR ARENA_ALIGN
struct arena_cost {
    uint64_t standard, own, own_bytes;
};

static struct arena_cost arena_cost(const size_t *sizes, size_t k)
{
    struct arena_cost c = {0, 0, 0};
    size_t space = ARENA_CHUNK - CHUNK_HDR, left = 0;

    for (size_t i = 0; i < k; i++) {
        size_t need = (sizes[i] + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;

        if (need <= left) {
            left -= need;
        } else if (need > space / 4) {
            c.own++;
            c.own_bytes += CHUNK_HDR + need;
        } else {
            c.standard++;
            left = space - need;
        }
    }
    return c;
}

/* The demo's text for n lines, in a static buffer. */
static const char *sample(uint64_t n, size_t *len)
{
    static char text[MAX_TEXT];

    *len = kv_sample(n, text, sizeof text);
    cr_assert(len[0] > 0, "kv_sample(%llu) did not fit the test's buffer", (unsigned long long)n);
    return text;
}

static const uint64_t lines[] = {1, 2, 10, 100, 1000, 1023, 1024, 5000};
#define NLINES (sizeof lines / sizeof lines[0])
static size_t sizes[2 * 5000 + 1];

/* ---- the allocators, one call at a time ---- */

Test(allocif_heap, an_allocation_is_one_malloc_a_resize_one_realloc_a_free_one_free)
{
    struct allocif h = allocif_heap();
    struct countalloc_stats d;
    char *p;

    ASSERT_ALLOCS(p = allocif_alloc(&h, 100), 1, 100);
    cr_assert_not_null(p);
    ALLOC_MEASURE(p = allocif_realloc(&h, p, 100, 300), d);
    cr_assert(d.mallocs == 1 && d.frees == 1 && d.total_alloc == 300 && d.heap_alloc == 200,
              "a resize to 300 B: expected 1 allocation of 300 B and 1 free, saw %llu of "
              "%llu B and %llu", (unsigned long long)d.mallocs,
              (unsigned long long)d.total_alloc, (unsigned long long)d.frees);
    ALLOC_MEASURE(allocif_free(&h, p, 300), d);
    cr_assert(d.frees == 1 && d.heap_alloc == -300, "a free is one free");
    ASSERT_NO_ALLOCS(allocif_free(&h, NULL, 0));
}

Test(allocif_arena, allocations_are_bumps_frees_do_nothing_and_a_growth_copies)
{
    struct arena ar;
    struct allocif a;
    char *p, *q;

    arena_init(&ar, 0);
    a = allocif_arena(&ar);
    ASSERT_ALLOCS(p = allocif_alloc(&a, 100), 1, ARENA_CHUNK);
    memcpy(p, "arena", 6);
    ASSERT_NO_ALLOCS(q = allocif_realloc(&a, p, 100, 50));
    cr_assert(q == p, "a shrink keeps the block");
    ASSERT_NO_ALLOCS(q = allocif_realloc(&a, p, 100, 200));
    cr_assert(q != p && strcmp(q, "arena") == 0, "a growth takes a new block and copies");
    ASSERT_NO_ALLOCS(allocif_free(&a, q, 200));
    ASSERT_NO_ALLOCS(allocif_free(&a, p, 100));
    cr_assert(eq(str, q, "arena"), "a free does nothing: the block is still there");
    ASSERT_NO_ALLOCS(arena_reset(&ar));
    arena_destroy(&ar);
}

Test(allocif_buf, blocks_are_bumps_in_the_callers_bytes_and_past_the_end_enomem)
{
    _Alignas(max_align_t) char mem[64];
    struct allocif_buf b;
    struct allocif a;
    char *p, *q, *r;

    ASSERT_NO_ALLOCS(a = allocif_buf(&b, mem, sizeof mem));
    ASSERT_NO_ALLOCS(p = allocif_alloc(&a, 1));
    ASSERT_NO_ALLOCS(q = allocif_alloc(&a, 17));
    cr_assert(p == mem && q == mem + ALLOCIF_ALIGN, "blocks rounded to %zu B",
              (size_t)ALLOCIF_ALIGN);
    cr_assert(eq(sz, b.used, 3 * ALLOCIF_ALIGN));
    errno = 0;
    ASSERT_NO_ALLOCS(r = allocif_alloc(&a, 17));
    cr_assert(r == NULL && errno == ENOMEM, "32 B do not fit in the 16 B left");
    cr_assert(eq(sz, b.used, 3 * ALLOCIF_ALIGN), "a refusal changes nothing");
    ASSERT_NO_ALLOCS(r = allocif_alloc(&a, 16));
    cr_assert(r == mem + 3 * ALLOCIF_ALIGN, "16 B fit exactly");
    allocif_buf_reset(&b);
    cr_assert(eq(sz, b.used, 0));
    cr_assert(eq(sz, b.high, sizeof mem), "the high-water mark stays");
}

Test(allocif_buf, freeing_the_last_block_gives_its_bytes_back_and_other_frees_do_nothing)
{
    _Alignas(max_align_t) char mem[128];
    struct allocif_buf b;
    struct allocif a = allocif_buf(&b, mem, sizeof mem);
    char *p = allocif_alloc(&a, 20), *q = allocif_alloc(&a, 20);

    allocif_free(&a, p, 20);
    cr_assert(eq(sz, b.used, 4 * ALLOCIF_ALIGN), "p is not the last block: nothing back");
    allocif_free(&a, q, 20);
    cr_assert(eq(sz, b.used, 2 * ALLOCIF_ALIGN), "q was the last block: its bytes back");
    allocif_free(&a, p, 20);
    cr_assert(eq(sz, b.used, 0), "now p is the last: the buffer is empty");
}

Test(allocif_buf, the_last_block_is_resized_in_place_and_another_moves)
{
    _Alignas(max_align_t) char mem[128];
    struct allocif_buf b;
    struct allocif a = allocif_buf(&b, mem, sizeof mem);
    char *p = allocif_alloc(&a, 10), *q = allocif_alloc(&a, 10), *r;

    memcpy(p, "first", 6);
    memcpy(q, "second", 7);
    r = allocif_realloc(&a, q, 10, 40);
    cr_assert(r == q && b.used == ALLOCIF_ALIGN + 48, "the last block grows in place");
    r = allocif_realloc(&a, q, 40, 20);
    cr_assert(r == q && b.used == 3 * ALLOCIF_ALIGN, "and shrinks in place");
    r = allocif_realloc(&a, p, 10, 20);
    cr_assert(r == mem + 3 * ALLOCIF_ALIGN && strcmp(r, "first") == 0, "p moves past q, copied");
    errno = 0;
    cr_assert_null(allocif_realloc(&a, r, 20, 200));
    cr_assert(strcmp(r, "first") == 0 && strcmp(q, "second") == 0 && errno == ENOMEM,
              "a refused growth leaves the block as it was");
}

Test(allocif_buf, a_misaligned_buffer_starts_at_its_first_aligned_byte)
{
    _Alignas(max_align_t) char mem[64];
    struct allocif_buf b;
    struct allocif a = allocif_buf(&b, mem + 1, sizeof mem - 1);

    cr_assert(b.base == mem + ALLOCIF_ALIGN && b.size == sizeof mem - ALLOCIF_ALIGN);
    cr_assert(allocif_alloc(&a, 1) == mem + ALLOCIF_ALIGN);
    a = allocif_buf(&b, mem + 1, 3);
    cr_assert(b.size == 0 && allocif_alloc(&a, 1) == NULL, "no aligned byte: no room");
}

/* ---- the counting decorator ---- */

Test(allocif_count, its_counts_equal_the_counting_allocators_for_the_heap)
{
    for (size_t i = 0; i < NLINES; i++) {
        struct allocif_count c;
        struct allocif a = allocif_count(&c, allocif_heap());
        struct kvtab t = KVTAB_INIT;
        struct countalloc_stats d;
        size_t len;
        const char *text = sample(lines[i], &len);
        int rc;

        ALLOC_MEASURE(rc = kv_parse(&a, text, len, &t), d);
        cr_assert(eq(int, rc, 0));
        cr_assert(c.allocs == d.mallocs && c.frees == d.frees && c.bytes == d.total_alloc &&
                      d.heap_alloc == (int64_t)(c.bytes - c.freed),
                  "%llu lines, the parse: the decorator counted %llu allocs, %llu frees, "
                  "%llu B; the counting allocator %llu, %llu, %llu B",
                  (unsigned long long)lines[i], (unsigned long long)c.allocs,
                  (unsigned long long)c.frees, (unsigned long long)c.bytes,
                  (unsigned long long)d.mallocs, (unsigned long long)d.frees,
                  (unsigned long long)d.total_alloc);
        ALLOC_MEASURE(kv_free(&a, &t), d);
        cr_assert(c.frees == d.frees && c.freed == c.bytes && d.heap_alloc == -(int64_t)c.bytes,
                  "%llu lines, the free: the decorator counted %llu frees of %llu B; the "
                  "counting allocator %llu frees, heap %+lld B",
                  (unsigned long long)lines[i], (unsigned long long)c.frees,
                  (unsigned long long)c.freed, (unsigned long long)d.frees,
                  (long long)d.heap_alloc);
    }
}

Test(allocif_count, a_resize_counts_an_allocation_and_a_free_as_the_counting_allocator_does)
{
    struct allocif_count c;
    struct allocif a = allocif_count(&c, allocif_heap());
    struct countalloc_stats d;
    char *p;

    ALLOC_MEASURE(p = allocif_alloc(&a, 10); p = allocif_realloc(&a, p, 10, 1000);
                  p = allocif_realloc(&a, p, 1000, 5); allocif_free(&a, p, 5), d);
    cr_assert(c.allocs == 3 && c.frees == 3 && c.bytes == 1015 && c.freed == 1015);
    cr_assert(c.allocs == d.mallocs && c.frees == d.frees && c.bytes == d.total_alloc,
              "the counting allocator saw %llu allocs, %llu frees, %llu B",
              (unsigned long long)d.mallocs, (unsigned long long)d.frees,
              (unsigned long long)d.total_alloc);
}

Test(allocif_count, each_instance_counts_its_own_calls_whoever_else_allocates)
{
    struct allocif_count c1, c2;
    struct allocif a1 = allocif_count(&c1, allocif_heap()), a2 = allocif_count(&c2, allocif_heap());
    void *p1 = allocif_alloc(&a1, 10), *other = malloc(1000), *p2 = allocif_alloc(&a2, 20),
         *q1 = allocif_alloc(&a1, 30);

    allocif_free(&a2, p2, 20);
    cr_assert(c1.allocs == 2 && c1.bytes == 40 && c1.frees == 0, "the first instance's own");
    cr_assert(c2.allocs == 1 && c2.bytes == 20 && c2.frees == 1, "the second instance's own");
    allocif_free(&a1, q1, 30);
    allocif_free(&a1, p1, 10);
    free(other);
}

Test(allocif_count, a_refused_call_counts_nothing)
{
    struct allocif_buf b;
    struct allocif_count c;
    char mem[1];
    struct allocif a = allocif_count(&c, allocif_buf(&b, mem, 0));

    cr_assert_null(allocif_alloc(&a, 1));
    cr_assert(c.allocs == 0 && c.bytes == 0 && c.frees == 0);
}

/* ---- the job: one parser, three allocators ---- */

Test(kv, lines_become_records_with_their_own_strings)
{
    static const char text[] = "a=1\nname=\n=empty key\nx=y=z";
    struct allocif h = allocif_heap();
    struct kvtab t = KVTAB_INIT;

    cr_assert(eq(int, kv_parse(&h, text, strlen(text), &t), 0));
    cr_assert(eq(sz, t.n, 4));
    cr_assert(eq(str, t.recs[0].key, "a"));
    cr_assert(eq(str, t.recs[0].value, "1"));
    cr_assert(eq(str, t.recs[1].key, "name"));
    cr_assert(eq(str, t.recs[1].value, ""));
    cr_assert(eq(str, t.recs[2].key, ""));
    cr_assert(eq(str, t.recs[2].value, "empty key"));
    cr_assert(eq(str, t.recs[3].key, "x"), "the key ends at the first '='");
    cr_assert(eq(str, t.recs[3].value, "y=z"), "the last line has no '\\n'");
    kv_free(&h, &t);
    cr_assert(t.recs == NULL && t.n == 0);
    kv_free(&h, NULL);
    int rc;

    ASSERT_NO_ALLOCS(rc = kv_parse(&h, "", 0, &t));
    cr_assert(eq(int, rc, 0));
    cr_assert(t.recs == NULL && t.n == 0, "no lines, no records, no allocation");
}

Test(kv, a_line_with_no_equals_sign_is_einval_and_leaves_nothing_behind)
{
    static const char text[] = "a=1\nb=2\nno sign here\nc=3\n";
    char copy[sizeof text];
    struct kvtab t = {(struct kv *)copy, 42};
    struct allocif h = allocif_heap();
    int rc;

    memcpy(copy, text, sizeof text);
    ASSERT_NO_LEAK(rc = kv_parse(&h, text, strlen(text), &t));
    cr_assert(rc == -1 && errno == EINVAL);
    cr_assert(t.recs == (struct kv *)copy && t.n == 42, "*out changed");
    cr_assert(memcmp(copy, text, sizeof text) == 0, "the text changed");
}

Test(kv, on_the_heap_n_lines_are_one_plus_2n_mallocs_and_frees_of_the_records_and_strings)
{
    struct allocif h = allocif_heap();

    for (size_t i = 0; i < NLINES; i++) {
        struct kvtab t = KVTAB_INIT;
        struct countalloc_stats d;
        size_t len;
        const char *text = sample(lines[i], &len);
        size_t k = job_sizes(text, len, sizes, sizeof sizes / sizeof sizes[0]);
        int rc;

        cr_assert(eq(sz, k, 1 + 2 * lines[i]));
        /* the strings take the text's bytes: '=' and '\n' become the two '\0' */
        cr_assert(eq(u64, sum(sizes, k), lines[i] * REC + len));
        ASSERT_ALLOCS(rc = kv_parse(&h, text, len, &t), k, sum(sizes, k));
        cr_assert(eq(int, rc, 0));
        ALLOC_MEASURE(kv_free(&h, &t), d);
        cr_assert(d.frees == k && d.heap_alloc == -(int64_t)sum(sizes, k),
                  "%llu lines: expected %zu frees, saw %llu", (unsigned long long)lines[i], k,
                  (unsigned long long)d.frees);
    }
}

Test(kv, in_an_arena_the_heap_sees_chunks_no_frees_and_after_a_reset_only_the_oversized_ones)
{
    for (size_t i = 0; i < NLINES; i++) {
        struct arena ar;
        struct allocif a;
        struct kvtab t = KVTAB_INIT;
        struct countalloc_stats d;
        size_t len;
        const char *text = sample(lines[i], &len);
        size_t k = job_sizes(text, len, sizes, sizeof sizes / sizeof sizes[0]);
        struct arena_cost want = arena_cost(sizes, k);
        int rc;

        arena_init(&ar, 0);
        a = allocif_arena(&ar);
        for (int run = 0; run < 3; run++) {
            uint64_t mallocs = run == 0 ? want.standard + want.own : want.own;
            uint64_t bytes = (run == 0 ? want.standard * ARENA_CHUNK : 0) + want.own_bytes;

            ALLOC_MEASURE(rc = kv_parse(&a, text, len, &t); kv_free(&a, &t), d);
            cr_assert(eq(int, rc, 0));
            cr_assert(d.mallocs == mallocs && d.total_alloc == bytes && d.frees == 0,
                      "%llu lines, run %d: expected %llu chunks of %llu B and no free; saw "
                      "%llu of %llu B, %llu frees", (unsigned long long)lines[i], run + 1,
                      (unsigned long long)mallocs, (unsigned long long)bytes,
                      (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
                      (unsigned long long)d.frees);
            ALLOC_MEASURE(arena_reset(&ar), d);
            cr_assert(d.frees == want.own && d.heap_alloc == -(int64_t)want.own_bytes,
                      "%llu lines: the reset frees the %llu chunks of their own alone",
                      (unsigned long long)lines[i], (unsigned long long)want.own);
        }
        arena_destroy(&ar);
    }
}

Test(kv, in_a_fixed_buffer_the_heap_sees_nothing_and_the_frees_empty_the_buffer)
{
    char *mem = malloc(5000 * 3 * 32);

    cr_assert_not_null(mem);
    for (size_t i = 0; i < NLINES; i++) {
        struct allocif_buf b;
        struct allocif a = allocif_buf(&b, mem, 5000 * 3 * 32);
        struct kvtab t = KVTAB_INIT;
        size_t len;
        const char *text = sample(lines[i], &len);
        size_t k = job_sizes(text, len, sizes, sizeof sizes / sizeof sizes[0]);
        int rc;

        for (int run = 0; run < 2; run++) {
            ASSERT_NO_ALLOCS(rc = kv_parse(&a, text, len, &t); kv_free(&a, &t));
            cr_assert(eq(int, rc, 0));
            cr_assert(eq(sz, b.high, buf_need(sizes, k)), "%llu lines: the buffer's highest",
                      (unsigned long long)lines[i]);
            cr_assert(eq(sz, b.used, 0), "%llu lines: freed in reverse, the buffer is empty",
                      (unsigned long long)lines[i]);
        }
    }
    free(mem);
}

Test(kv, every_buffer_smaller_than_the_need_is_refused_with_enomem_and_nothing_taken)
{
    static const char text[] = "alpha=1\nbeta=22\ngamma=333\ndelta=a rather longer value\n"
                               "epsilon=5\nzeta=\n=7\n";
    char copy[sizeof text];
    size_t k = job_sizes(text, strlen(text), sizes, sizeof sizes / sizeof sizes[0]);
    size_t need = buf_need(sizes, k);
    _Alignas(max_align_t) char mem[1024];
    struct kv sentinel[1];
    struct allocif_buf b;
    struct allocif a;
    struct kvtab t;
    int rc;

    cr_assert(need <= sizeof mem);
    memcpy(copy, text, sizeof text);
    for (size_t size = 0; size < need; size++) {
        t = (struct kvtab){sentinel, 99};
        a = allocif_buf(&b, mem, size);
        errno = 0;
        ASSERT_NO_ALLOCS(rc = kv_parse(&a, text, strlen(text), &t));
        cr_assert(rc == -1 && errno == ENOMEM, "a buffer of %zu B (need %zu): rc %d, errno %d",
                  size, need, rc, errno);
        cr_assert(eq(sz, b.used, 0), "a buffer of %zu B: %zu B left taken", size, b.used);
        cr_assert(t.recs == sentinel && t.n == 99, "a buffer of %zu B: *out changed", size);
    }
    cr_assert(memcmp(copy, text, sizeof text) == 0, "the text changed");
    a = allocif_buf(&b, mem, need);
    cr_assert(eq(int, kv_parse(&a, text, strlen(text), &t), 0), "%zu B hold it", need);
    cr_assert(eq(sz, t.n, 7));
    cr_assert(eq(sz, b.used, need));
}

/* One parse and its free through the heap, or an arena made and destroyed around it. */
struct sweep_job {
    bool arena;
    uint64_t lines;
};

static int sweep_parse(void *ctx)
{
    const struct sweep_job *j = ctx;
    struct kvtab t = KVTAB_INIT;
    struct arena ar;
    struct allocif a = allocif_heap();
    size_t len;
    const char *text = sample(j->lines, &len);
    int rc;

    arena_init(&ar, 0);
    if (j->arena)
        a = allocif_arena(&ar);
    rc = kv_parse(&a, text, len, &t);
    if (rc == 0 && t.n != j->lines)
        rc = -1;
    kv_free(&a, &t);
    arena_destroy(&ar);
    return rc;
}

Test(kv, every_allocation_failed_in_turn_is_reported_and_leaks_nothing)
{
    /* heap: 1 + 2 * 50 allocations; arena: its 3 chunks for 2,000 lines (one of their own) */
    struct sweep_job heap = {false, 50}, arena = {true, 2000};

    ASSERT_SWEEP_CLEAN(sweep_parse, &heap);
    ASSERT_SWEEP_CLEAN(sweep_parse, &arena);
}

/* ---- the program ---- */

Test(allocif_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad_n[] = {"abc", "0", "-5", "10000001", "1x", "--bogus",
                                        "99999999999999999999999"};
    static const char *const extra[] = {"1 2"};

    ASSERT_BAD_ARGUMENTS("demo/allocif", "N", bad_n);
    ASSERT_BAD_ARGUMENTS("demo/allocif", "allocif", extra);
}
