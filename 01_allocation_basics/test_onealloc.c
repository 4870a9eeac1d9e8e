/* test_onealloc.c: lesson 01's record and its name in one allocation or two
 * (onealloc.h). Both ways make the same record; the flexible array member is one
 * allocation of offsetof(struct, name) + len + 1 bytes, the char * way two; glibc gives
 * each block a chunk of its own, so the second allocation also costs its chunk; every
 * allocation failed in turn leaks nothing and leaves the name as it was. glibc's figures
 * are asked of glibc in the test, not typed: they hold on 2.36 and 2.41 alike. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli.h"
#include "cli_assert.h"
#include "onealloc.h"
#include "platform.h"

#define HEAD offsetof(struct onealloc_one, name)

static const char *const names[] = {"", "a", "alice", "a name of exactly 24 byt",
                                    "a longer name, past the smallest chunk glibc has: 100 bytes, "
                                    "give or take the few that pad it out to..."};

Test(onealloc, both_ways_make_the_same_record)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len = strlen(names[i]);
        struct onealloc_two *a = onealloc_two_new((uint32_t)i, names[i], len);
        struct onealloc_one *b = onealloc_one_new((uint32_t)i, names[i], len);

        cr_assert(a != NULL && b != NULL);
        cr_assert(onealloc_same(a, b), "name %zu: the two records differ", i);
        cr_assert(eq(str, b->name, (char *)names[i]));
        cr_assert(eq(sz, b->len, len));
        cr_assert(eq(u32, b->id, (uint32_t)i));
        onealloc_two_free(a);
        onealloc_one_free(b);
    }
}

Test(onealloc, the_flexible_array_member_way_is_one_allocation_of_offsetof_plus_len_plus_1)
{
    struct onealloc_one *r = NULL;

    ASSERT_ALLOCS(r = onealloc_one_new(7, "alice", 5), 1, HEAD + 5 + 1);
    cr_assert(r != NULL);
    cr_assert(eq(ptr, r->name, (char *)r + HEAD), "the name is inside the one block");
    ASSERT_ALLOCS(onealloc_one_free(r), 0, 0);
}

Test(onealloc, the_char_pointer_way_is_two_allocations_the_struct_and_the_name)
{
    struct onealloc_two *r = NULL;

    ASSERT_ALLOCS(r = onealloc_two_new(7, "alice", 5), 2, sizeof(struct onealloc_two) + 5 + 1);
    cr_assert(r != NULL);
    onealloc_two_free(r);
}

Test(onealloc, freeing_gives_back_one_block_or_two)
{
    struct onealloc_one *one = onealloc_one_new(1, "alice", 5);
    struct onealloc_two *two = onealloc_two_new(1, "alice", 5);
    struct countalloc_stats d1, d2;

    cr_assert(one != NULL && two != NULL);
    ALLOC_MEASURE(onealloc_one_free(one), d1);
    ALLOC_MEASURE(onealloc_two_free(two), d2);
    cr_assert(eq(u64, d1.frees, 1));
    cr_assert(eq(u64, d2.frees, 2));
    cr_assert(eq(i64, d1.heap_objects, -1));
    cr_assert(eq(i64, d2.heap_objects, -2));
    ASSERT_NO_ALLOCS(onealloc_one_free(NULL));
    ASSERT_NO_ALLOCS(onealloc_two_free(NULL));
}

Test(onealloc, sizeof_counts_the_trailing_padding_that_the_name_overlaps)
{
    /* name[] starts where the members end, before the struct's trailing padding */
    cr_assert(eq(sz, HEAD, offsetof(struct onealloc_one, id) + sizeof(uint32_t)));
    cr_assert(gt(sz, sizeof(struct onealloc_one), HEAD),
              "sizeof (%zu) rounds up to size_t's alignment past name[]'s offset (%zu)",
              sizeof(struct onealloc_one), HEAD);
    cr_assert(eq(sz, onealloc_one_size(5), HEAD + 5 + 1), "exact: offsetof + len + 1");
    cr_assert(eq(sz, sizeof(struct onealloc_one) + 5 + 1 - onealloc_one_size(5),
                 sizeof(struct onealloc_one) - HEAD),
              "sizeof + len + 1 asks for the padding a second time");
    cr_assert(lt(sz, onealloc_one_size(0), sizeof(struct onealloc_one)),
              "an empty name's block is smaller than sizeof: never copy the struct whole");
}

Test(onealloc, a_size_that_would_overflow_is_refused_without_allocating)
{
    struct onealloc_one *one = NULL;
    struct onealloc_two *two = NULL;

    cr_assert(eq(sz, onealloc_one_size(SIZE_MAX - HEAD - 1), SIZE_MAX), "the largest that fits");
    cr_assert(eq(sz, onealloc_one_size(SIZE_MAX - HEAD), 0), "one more wraps: refused");
    errno = 0;
    ASSERT_NO_ALLOCS(one = onealloc_one_new(1, "x", SIZE_MAX - 4));
    cr_assert(eq(ptr, one, NULL));
    cr_assert(eq(int, errno, ENOMEM));
    errno = 0;
    ASSERT_NO_ALLOCS(two = onealloc_two_new(1, "x", SIZE_MAX));
    cr_assert(eq(ptr, two, NULL));
    cr_assert(eq(int, errno, ENOMEM));
    /* len + 1 fits but no heap holds it: the struct came first and goes back */
    ASSERT_NO_LEAK(two = onealloc_two_new(1, "x", SIZE_MAX - 1));
    cr_assert(eq(ptr, two, NULL));
}

Test(onealloc, when_the_names_malloc_fails_the_two_way_frees_its_struct)
{
    struct onealloc_two *r = NULL;
    struct countalloc_stats d;

    SKIP_WITHOUT_INJECTION();
    countalloc_fail_at(2, false);
    ALLOC_MEASURE(r = onealloc_two_new(1, "alice", 5), d);
    countalloc_fail_off();
    cr_assert(eq(ptr, r, NULL));
    cr_assert(eq(u64, d.mallocs, 1), "the struct was allocated");
    cr_assert(eq(u64, d.frees, 1), "and freed when the name's block was refused");
    cr_assert(eq(i64, d.heap_objects, 0));
}

/* Both ways of one name; the name checked intact whatever failed. */
static int job_both(void *ctx)
{
    char name[] = "alice", copy[sizeof name];
    struct onealloc_two *a;
    struct onealloc_one *b;
    int rc = -1;

    (void)ctx;
    memcpy(copy, name, sizeof name);
    a = onealloc_two_new(3, name, strlen(name));
    b = onealloc_one_new(3, name, strlen(name));
    if (a != NULL && b != NULL && onealloc_same(a, b))
        rc = 0;
    cr_assert(eq(str, name, copy), "the name changed");
    onealloc_two_free(a);
    onealloc_one_free(b);
    return rc;
}

Test(onealloc, every_failed_allocation_is_reported_and_frees_what_it_took)
{
    ASSERT_SWEEP_CLEAN(job_both, NULL);
}

/* glibc's own malloc_usable_size: a second way to ask glibc than onealloc_chunk's size
 * field. */
Test(onealloc, glibcs_chunk_is_its_malloc_usable_size_plus_the_size_field, GLIBC_MALLOC_ONLY)
{
    for (size_t n = 0; n <= 300; n++) {
        size_t c = onealloc_chunk(n);
        void *p = __libc_malloc(n);

        cr_assert(p != NULL);
        cr_assert(eq(sz, c, platform_glibc_usable_size(p) + sizeof(size_t)), "malloc(%zu): chunk", n);
        __libc_free(p);
        cr_assert(ge(sz, c, n + sizeof(size_t)), "malloc(%zu): room for the bytes and the size field", n);
        cr_assert(eq(sz, c % 16, 0), "malloc(%zu): chunks are multiples of 16", n);
    }
}

Test(onealloc, a_5_byte_name_costs_a_whole_chunk_of_glibcs_smallest_size, GLIBC_MALLOC_ONLY)
{
    size_t smallest = onealloc_chunk(0);

    cr_assert(eq(sz, onealloc_chunk(5 + 1), smallest), "6 bytes: glibc's smallest chunk (32 bytes on x86-64)");
    cr_assert(eq(sz, onealloc_chunk(sizeof(struct onealloc_two)), smallest), "the struct too");
    cr_assert(eq(sz, onealloc_chunk(onealloc_one_size(5)), smallest), "and the struct with the name");
}

Test(onealloc, the_two_way_costs_both_chunks_and_one_allocation_saves_the_names,
     GLIBC_MALLOC_ONLY)
{
    struct onealloc_tally two, one;
    const size_t n = 100, len = 5;

    cr_assert(eq(int, onealloc_tally(false, "alice", len, n, &two), 0));
    cr_assert(eq(int, onealloc_tally(true, "alice", len, n, &one), 0));
    cr_assert(eq(u64, two.chunks, n * (onealloc_chunk(sizeof(struct onealloc_two)) + onealloc_chunk(len + 1))));
    cr_assert(eq(u64, one.chunks, n * onealloc_chunk(onealloc_one_size(len))));
    cr_assert(eq(u64, two.chunks - one.chunks, n * onealloc_chunk(len + 1)),
              "a 5-byte name fits in the struct's chunk: one allocation saves the name's whole chunk");
    cr_assert(lt(u64, two.chunks - two.bytes, (two.chunks - one.chunks) + (one.chunks - one.bytes)),
              "glibc's overhead (chunks - bytes asked) is larger for two blocks a record");
}

Test(onealloc, the_tally_counts_n_records_exactly)
{
    struct onealloc_tally two, one;
    const size_t n = 100, len = 5;

    cr_assert(eq(int, onealloc_tally(false, "alice", len, n, &two), 0));
    cr_assert(eq(int, onealloc_tally(true, "alice", len, n, &one), 0));
    cr_assert(eq(u64, two.mallocs, 2 * n));
    cr_assert(eq(u64, two.frees, 2 * n));
    cr_assert(eq(u64, two.bytes, n * (sizeof(struct onealloc_two) + len + 1)));
    cr_assert(eq(u64, one.mallocs, n));
    cr_assert(eq(u64, one.frees, n));
    cr_assert(eq(u64, one.bytes, n * (HEAD + len + 1)));
}

static int job_tally(void *ctx)
{
    struct onealloc_tally t;

    (void)ctx;
    if (onealloc_tally(false, "alice", 5, 3, &t) != 0 || onealloc_tally(true, "alice", 5, 3, &t) != 0)
        return -1;
    return 0;
}

Test(onealloc, the_tally_frees_what_it_took_whichever_allocation_fails)
{
    ASSERT_NO_LEAK(job_tally(NULL));
    ASSERT_SWEEP_CLEAN(job_tally, NULL);
}

Test(onealloc, the_demo_program_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/onealloc", "20");
}
