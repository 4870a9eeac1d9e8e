/* test_record.c: lesson 02's "what one record costs". Every size comes from the
 * compiler (sizeof, offsetof, _Alignof in the test), never typed: the tight order is
 * smaller, its size is the fields' sum rounded up to the largest alignment, and each hole
 * is the gap between one field's end and the next one's offset. On the heap, exact
 * counts: one array is one allocation, one malloc each is n + 1; glibc's chunks are
 * derived here from malloc_usable_size (a chunk is the usable size plus its 8-byte size
 * field), the same on glibc 2.36 and 2.41. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <malloc.h>
#include <stddef.h>

#include "alloc_assert.h"
#include "inside.h"
#include "platform.h"
#include "record.h"

#define N 1000 /* records: the array of pointers (8,000 B) stays under the mmap threshold */

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ROUND_UP(n, a) (((n) + (a) - 1) / (a) * (a))
#define MEMBER_SIZE(type, m) sizeof(((type *)0)->m)
#define MEMBER_ALIGN(type, m) _Alignof(__typeof__(((type *)0)->m))
#define END(type, m) (offsetof(type, m) + MEMBER_SIZE(type, m))

/* ---- the layout ---- */

Test(record_layout, the_tight_order_is_smaller_than_the_loose_one)
{
    cr_assert(lt(sz, sizeof(struct rec_tight), sizeof(struct rec_loose)),
              "largest first should need less padding: tight %zu B, loose %zu B",
              sizeof(struct rec_tight), sizeof(struct rec_loose));
    cr_assert(eq(sz, record_loose.size, sizeof(struct rec_loose)));
    cr_assert(eq(sz, record_tight.size, sizeof(struct rec_tight)));
}

Test(record_layout, the_tight_size_is_the_fields_sum_rounded_up_to_the_largest_alignment)
{
    size_t sum = MEMBER_SIZE(struct rec_tight, id) + MEMBER_SIZE(struct rec_tight, score) +
                 MEMBER_SIZE(struct rec_tight, count) + MEMBER_SIZE(struct rec_tight, flag) +
                 MEMBER_SIZE(struct rec_tight, kind) + MEMBER_SIZE(struct rec_tight, tag);
    size_t align = MAX(MAX(MEMBER_ALIGN(struct rec_tight, id), MEMBER_ALIGN(struct rec_tight, score)),
                       MEMBER_ALIGN(struct rec_tight, count));

    cr_assert(eq(sz, _Alignof(struct rec_tight), align), "a struct takes its largest member's alignment");
    cr_assert(eq(sz, sizeof(struct rec_tight), ROUND_UP(sum, align)),
              "%zu B of fields rounded up to %zu should be the size, not %zu", sum, align,
              sizeof(struct rec_tight));
    cr_assert(gt(sz, sizeof(struct rec_loose), ROUND_UP(sum, align)),
              "the loose order holds the same fields in more than that");
    cr_assert(eq(sz, record_field_bytes(&record_tight), sum));
    cr_assert(eq(sz, record_field_bytes(&record_loose), sum));
}

Test(record_layout, each_hole_is_the_gap_from_one_fields_end_to_the_next_fields_offset)
{
    size_t loose[RECORD_FIELDS] = {
        offsetof(struct rec_loose, id) - END(struct rec_loose, flag),
        offsetof(struct rec_loose, kind) - END(struct rec_loose, id),
        offsetof(struct rec_loose, count) - END(struct rec_loose, kind),
        offsetof(struct rec_loose, tag) - END(struct rec_loose, count),
        offsetof(struct rec_loose, score) - END(struct rec_loose, tag),
        sizeof(struct rec_loose) - END(struct rec_loose, score),
    };
    size_t tight[RECORD_FIELDS] = {
        offsetof(struct rec_tight, score) - END(struct rec_tight, id),
        offsetof(struct rec_tight, count) - END(struct rec_tight, score),
        offsetof(struct rec_tight, flag) - END(struct rec_tight, count),
        offsetof(struct rec_tight, kind) - END(struct rec_tight, flag),
        offsetof(struct rec_tight, tag) - END(struct rec_tight, kind),
        sizeof(struct rec_tight) - END(struct rec_tight, tag),
    };
    size_t loose_sum = 0, tight_sum = 0;

    for (size_t i = 0; i < RECORD_FIELDS; i++) {
        cr_assert(eq(sz, record_hole_after(&record_loose, i), loose[i]),
                  "loose, after %s: expected a hole of %zu B", record_loose.field[i].decl, loose[i]);
        cr_assert(eq(sz, record_hole_after(&record_tight, i), tight[i]),
                  "tight, after %s: expected a hole of %zu B", record_tight.field[i].decl, tight[i]);
        loose_sum += loose[i];
        tight_sum += tight[i];
    }
    cr_assert(eq(sz, record_padding(&record_loose), loose_sum));
    cr_assert(eq(sz, record_padding(&record_tight), tight_sum));
    cr_assert(eq(sz, record_field_bytes(&record_loose) + loose_sum, sizeof(struct rec_loose)),
              "fields and holes make up the whole struct");
    cr_assert(eq(sz, record_field_bytes(&record_tight) + tight_sum, sizeof(struct rec_tight)));
    cr_assert(lt(sz, tight_sum, MEMBER_ALIGN(struct rec_tight, id)),
              "largest first, only the tail is left: less than one alignment unit");
}

/* ---- the heap, counted ---- */

Test(record_heap, one_array_is_one_allocation_of_n_times_the_size)
{
    struct record_cost c;
    int rc = -1;

    ASSERT_ALLOCS(rc = record_array_cost(sizeof(struct rec_loose), N, &c), 1,
                  N * sizeof(struct rec_loose));
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(u64, c.allocs, 1));
    cr_assert(eq(u64, c.bytes, N * sizeof(struct rec_loose)),
              "what the function reports is what the test counted; glibc's own calls are not counted");
}

Test(record_heap, one_malloc_each_is_n_records_and_the_array_of_pointers)
{
    struct record_cost c;
    void **box = NULL;
    int rc = -1;

    ASSERT_ALLOCS(box = record_boxes_new(sizeof(struct rec_tight), N), N + 1,
                  N * sizeof(struct rec_tight) + N * sizeof(void *));
    cr_assert(not(eq(ptr, box, NULL)));
    record_boxes_free(box, N);
    ASSERT_ALLOCS(rc = record_each_cost(sizeof(struct rec_tight), N, &c), N + 1,
                  N * sizeof(struct rec_tight) + N * sizeof(void *));
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(u64, c.allocs, N + 1));
    cr_assert(eq(u64, c.bytes, N * sizeof(struct rec_tight) + N * sizeof(void *)));
}

Test(record_heap, reordering_saves_the_padding_on_every_record_asked_for)
{
    struct record_cost la, ta, le, te;
    uint64_t saved = N * (sizeof(struct rec_loose) - sizeof(struct rec_tight));

    cr_assert(eq(int, record_array_cost(sizeof(struct rec_loose), N, &la), 0));
    cr_assert(eq(int, record_array_cost(sizeof(struct rec_tight), N, &ta), 0));
    cr_assert(eq(int, record_each_cost(sizeof(struct rec_loose), N, &le), 0));
    cr_assert(eq(int, record_each_cost(sizeof(struct rec_tight), N, &te), 0));
    cr_assert(eq(u64, la.bytes - ta.bytes, saved));
    cr_assert(eq(u64, le.bytes - te.bytes, saved));
    cr_assert(eq(u64, le.allocs, te.allocs), "the same number of allocations either way");
}

/* ---- glibc's chunks ---- */

/* glibc's chunk for a request of n bytes, from glibc's own malloc_usable_size: the
 * usable bytes plus the 8-byte size field (a block under the mmap threshold). */
static size_t chunk_from_usable(size_t n)
{
    void *p = inside_glibc_malloc(n);
    size_t chunk;

    cr_assert(not(eq(ptr, p, NULL)));
    chunk = platform_glibc_usable_size(p) + sizeof(size_t);
    inside_glibc_free(p);
    return chunk;
}

Test(record_glibc, a_records_chunk_is_the_request_plus_8_rounded_up_to_16, GLIBC_MALLOC_ONLY)
{
    const struct record_type *t[] = {&record_loose, &record_tight};

    for (size_t k = 0; k < 2; k++) {
        size_t chunk, usable, want = platform_chunk_for(t[k]->size);

        cr_assert(eq(int, record_chunk(t[k]->size, &chunk, &usable), 0));
        cr_assert(eq(sz, chunk, usable + 8), "%s: the chunk is the usable bytes plus 8", t[k]->name);
        cr_assert(eq(sz, chunk, chunk_from_usable(t[k]->size)));
        cr_assert(eq(sz, chunk, want), "%s: malloc(%zu) should take a %zu-byte chunk, read %zu",
                  t[k]->name, t[k]->size, want, chunk);
    }
}

/* glibc hands out a free chunk up to 16 bytes larger than the one asked for whole: a
 * remainder under 32 bytes cannot be a chunk of its own. A block that follows the
 * counting allocator's (16 bytes more) of the same request can get its freed chunk, and
 * this test process has freed many: any block here, a record's or the pointers', may
 * come 16 bytes larger (glibc 2.41 hands out more such chunks here than 2.36). make
 * record-02, a fresh process, shows the exact figures. */
#define CHUNK_SLACK 16

Test(record_glibc, one_malloc_each_costs_a_chunk_per_record_and_one_for_the_pointers,
     GLIBC_MALLOC_ONLY)
{
    const struct record_type *t[] = {&record_loose, &record_tight};
    struct record_cost c[2];
    uint64_t records[2];
    size_t pointers = platform_chunk_for(N * sizeof(void *));

    for (size_t k = 0; k < 2; k++) {
        records[k] = N * chunk_from_usable(t[k]->size);
        cr_assert(eq(int, record_each_cost(t[k]->size, N, &c[k]), 0));
        cr_assert(c[k].glibc);
        cr_assert(ge(u64, c[k].chunk_bytes, records[k] + pointers),
                  "%s: %d chunks of malloc(%zu), and the pointers' chunk of %zu B at least",
                  t[k]->name, N, t[k]->size, pointers);
        cr_assert(le(u64, c[k].chunk_bytes, records[k] + (uint64_t)(N + 1) * CHUNK_SLACK + pointers),
                  "%s: %d chunks of malloc(%zu), each at most %d B larger, and the pointers' "
                  "chunk of %zu B at most", t[k]->name, N, t[k]->size, CHUNK_SLACK,
                  pointers + CHUNK_SLACK);
        cr_assert(gt(u64, c[k].chunk_bytes, c[k].bytes), "glibc's chunks cost more than the bytes asked for");
    }
    cr_assert(ge(u64, records[0] - records[1], N * (sizeof(struct rec_loose) - sizeof(struct rec_tight))),
              "reordering saves at least the padding on every record's chunk");
}

Test(record_glibc, one_array_is_one_chunk_the_request_plus_8_rounded_up, GLIBC_MALLOC_ONLY)
{
    struct record_cost c;
    size_t want = platform_chunk_for(N * sizeof(struct rec_loose));

    cr_assert(eq(int, record_array_cost(sizeof(struct rec_loose), N, &c), 0));
    cr_assert(ge(u64, c.chunk_bytes, want));
    cr_assert(le(u64, c.chunk_bytes, want + CHUNK_SLACK), "one header and one rounding for all of them");
}

/* ---- what the functions leave behind ---- */

Test(record_heap, the_cost_functions_free_what_they_took)
{
    struct record_cost c;

    ASSERT_NO_LEAK(record_array_cost(sizeof(struct rec_loose), N, &c));
    ASSERT_NO_LEAK(record_each_cost(sizeof(struct rec_loose), N, &c));
    ASSERT_NO_LEAK(record_boxes_free(record_boxes_new(sizeof(struct rec_tight), N), N));
}

Test(record_glibc, the_cost_functions_give_glibcs_own_blocks_back, GLIBC_MALLOC_ONLY)
{
    struct record_cost c;
    size_t chunk, usable, after_first;

    /* a first run fills glibc's tcache, which mallinfo2 counts as in use; a second
     * leaves the heap in use where the first left it, or it kept N blocks */
    cr_assert(eq(int, record_each_cost(sizeof(struct rec_loose), N, &c), 0));
    cr_assert(eq(int, record_array_cost(sizeof(struct rec_loose), N, &c), 0));
    cr_assert(eq(int, record_chunk(sizeof(struct rec_loose), &chunk, &usable), 0));
    after_first = mallinfo2().uordblks;
    cr_assert(eq(int, record_each_cost(sizeof(struct rec_loose), N, &c), 0));
    cr_assert(eq(int, record_array_cost(sizeof(struct rec_loose), N, &c), 0));
    cr_assert(eq(int, record_chunk(sizeof(struct rec_loose), &chunk, &usable), 0));
    cr_assert(eq(sz, mallinfo2().uordblks, after_first), "glibc's heap in use grew: a block was kept");
}

static int sweep_costs(void *ctx)
{
    struct record_cost c;

    (void)ctx;
    if (record_array_cost(sizeof(struct rec_loose), 5, &c) != 0 ||
        record_each_cost(sizeof(struct rec_loose), 5, &c) != 0)
        return -1;
    return record_each_cost(sizeof(struct rec_tight), 5, &c);
}

Test(record_heap, the_cost_functions_report_every_failed_allocation_and_leak_nothing)
{
    ASSERT_SWEEP_CLEAN(sweep_costs, NULL);
}
