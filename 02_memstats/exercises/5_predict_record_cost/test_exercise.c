/* test_exercise.c: each answer in exercise.c against the truth, worked out here at test
 * time: sizes and holes from sizeof and offsetof, chunks from glibc's own malloc (its
 * malloc_usable_size, plus the 8-byte size field in front of the block), the snippets
 * measured with the counting allocator. glibc's chunks are the same on 2.36 and 2.41;
 * under Valgrind or ASan another allocator serves every block, and those tests skip. */
#include <criterion/criterion.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "platform.h"
#include "predict.h"

/* ---- the layout, from the compiler ---- */

struct field {
    const char *decl;
    size_t offset, size;
};

#define FIELD(type, decl, m) {decl, offsetof(type, m), sizeof(((type *)0)->m)}

static const struct field loose_fields[] = {
    FIELD(struct loose, "char kind", kind), FIELD(struct loose, "double score", score),
    FIELD(struct loose, "char flag", flag), FIELD(struct loose, "int64_t id", id)};
static const struct field tight_fields[] = {
    FIELD(struct tight, "double score", score), FIELD(struct tight, "int64_t id", id),
    FIELD(struct tight, "char kind", kind), FIELD(struct tight, "char flag", flag)};
static const struct field tiny_fields[] = {FIELD(struct tiny, "int32_t count", count),
                                           FIELD(struct tiny, "char on", on)};

/* "char kind at 0, a hole of 7, double score at 8, ...": each field where the compiler
 * put it, the gaps between them, and the padding at the end. */
static const char *layout(char *buf, size_t cap, const struct field *f, size_t n, size_t size)
{
    size_t at = 0, end;

    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        end = i + 1 < n ? f[i + 1].offset : size;
        at += (size_t)snprintf(buf + at, cap - at, "%s%s at %zu", i ? ", " : "", f[i].decl,
                               f[i].offset);
        if (end > f[i].offset + f[i].size && at < cap)
            at += (size_t)snprintf(buf + at, cap - at, i + 1 < n ? ", a hole of %zu" :
                                   ", then %zu bytes of padding at the end",
                                   end - f[i].offset - f[i].size);
        if (at >= cap)
            break;
    }
    return buf;
}

static void check_size(const char *type, long long said, size_t size, const struct field *f,
                       size_t n, const char *meaning)
{
    char buf[300];

    cr_assert(said >= 0, "sizeof(%s): no answer yet. Write it into exercise.c; the truth is "
              "shown once you have.", type);
    cr_assert((unsigned long long)said == size, "sizeof(%s): you wrote %lld, it is %zu: %s. %s",
              type, said, size, layout(buf, sizeof buf, f, n, size), meaning);
}

#define CHECK_SIZE(type, said, fields, meaning) \
    check_size(#type, said, sizeof(type), fields, sizeof fields / sizeof fields[0], meaning)

Test(layout, a_small_field_before_a_large_one_leaves_a_hole)
{
    CHECK_SIZE(struct loose, loose_size, loose_fields,
               "Each field starts at a multiple of its own alignment, so a char before an "
               "8-byte field leaves a hole after it, and the holes add up.");
}

Test(layout, largest_first_leaves_padding_only_at_the_end)
{
    CHECK_SIZE(struct tight, tight_size, tight_fields,
               "Largest first, the small fields pack together; the struct still ends at a "
               "multiple of its largest alignment, so that the next record of an array "
               "starts aligned too.");
}

Test(layout, the_size_rounds_up_to_the_largest_alignment)
{
    CHECK_SIZE(struct tiny, tiny_size, tiny_fields,
               "A struct's size is a multiple of its largest member's alignment (int32_t's, "
               "here), so a char at the end brings padding along.");
}

/* ---- the chunk, from glibc ---- */

#define TRIES 8

/* The chunk glibc's own malloc takes for a request of n bytes: its usable size plus the
 * 8-byte size field in front. glibc may hand out a free chunk 16 bytes larger whole (the
 * rest could not be a chunk of its own), and this process has freed some: the smallest of
 * TRIES blocks held at once is the chunk the request itself needs. */
static size_t glibc_chunk(size_t n)
{
    void *p[TRIES];
    size_t chunk = SIZE_MAX;

    for (int i = 0; i < TRIES; i++) {
        size_t c;

        p[i] = __libc_malloc(n);
        cr_assert(p[i] != NULL, "glibc's malloc(%zu) failed", n);
        c = platform_glibc_usable_size(p[i]) + sizeof(size_t);
        chunk = c < chunk ? c : chunk;
    }
    for (int i = 0; i < TRIES; i++)
        __libc_free(p[i]);
    return chunk;
}

static void check_chunk(const char *type, long long said, size_t size, const char *meaning)
{
    size_t chunk, smallest, rounded = (size + sizeof(size_t) + 15) / 16 * 16;
    char why[200];

    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER);
    cr_assert(said >= 0, "the chunk for malloc(sizeof(%s)): no answer yet. Write it into "
              "exercise.c; the truth is shown once you have.", type);
    chunk = glibc_chunk(size);
    smallest = glibc_chunk(0);
    if (rounded < smallest)
        snprintf(why, sizeof why, "%zu bytes and glibc's 8-byte size field make %zu, rounded "
                 "up to 16 is %zu, but glibc's smallest chunk is %zu", size,
                 size + sizeof(size_t), rounded, smallest);
    else
        snprintf(why, sizeof why, "%zu bytes and glibc's 8-byte size field make %zu, rounded "
                 "up to a multiple of 16: %zu", size, size + sizeof(size_t), rounded);
    cr_assert((unsigned long long)said == chunk,
              "the chunk for malloc(sizeof(%s)) = malloc(%zu): you wrote %lld, glibc takes "
              "%zu (%s). %s", type, size, said, chunk, why, meaning);
}

Test(malloc_chunk, a_chunk_is_the_request_plus_8_rounded_up_to_16, GLIBC_MALLOC_ONLY)
{
    check_chunk("struct tight", tight_chunk, sizeof(struct tight),
                "malloc_usable_size says the same: the chunk less its size field.");
}

Test(malloc_chunk, a_request_just_past_a_multiple_of_16_takes_the_next_chunk_up,
     GLIBC_MALLOC_ONLY)
{
    char meaning[200];

    snprintf(meaning, sizeof meaning, "The same fields largest first (struct tight, %zu "
             "bytes) take a %zu-byte chunk: reordering saves %zu bytes of sizeof, and %zu of "
             "heap.", sizeof(struct tight), glibc_chunk(sizeof(struct tight)),
             sizeof(struct loose) - sizeof(struct tight),
             glibc_chunk(sizeof(struct loose)) - glibc_chunk(sizeof(struct tight)));
    check_chunk("struct loose", loose_chunk, sizeof(struct loose), meaning);
}

Test(malloc_chunk, no_chunk_is_smaller_than_glibcs_smallest, GLIBC_MALLOC_ONLY)
{
    check_chunk("struct tiny", tiny_chunk, sizeof(struct tiny),
                "A small record in a malloc of its own costs several times its size: many of "
                "them belong in one array.");
}

/* ---- N records, counted ---- */

#define CHECK(pred, call, what, meaning) \
    PREDICT_CHECK_RC(pred, call, what, "the snippet did not store its records", meaning)

Test(n_records, in_one_array_are_one_allocation_of_n_times_sizeof)
{
    CHECK(tight_array, snippet_tight_array(), "100 records of struct tight in one array",
          "one array is one allocation of n * sizeof: the padding is paid per record, "
          "glibc's size field and rounding once for them all.");
}

Test(n_records, one_malloc_each_also_asks_for_the_array_of_pointers)
{
    CHECK(tight_each, snippet_tight_each(), "100 records of struct tight, one malloc each",
          "one malloc each is n + 1 allocations: the records, and the array of n pointers "
          "that holds them (8 bytes more per record asked for), before glibc adds its size "
          "field and rounding to every one.");
}
