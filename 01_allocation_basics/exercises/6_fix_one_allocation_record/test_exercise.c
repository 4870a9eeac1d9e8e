/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-01). The one block's size comes from
 * USER_FIELDS (exercise.h), laid out here as the record must end up: the fields, then
 * char name[]. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdint.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

/* The record once it is one block: its name a flexible array member after the fields. */
struct user_one_block {
    USER_FIELDS;
    char name[];
};

#define HEAD offsetof(struct user_one_block, name)
#define SIZEOF sizeof(struct user_one_block)

/* The second name is cut from a longer text (len bytes of it, no '\0' of its own); the
 * last is longer than glibc's smallest chunk. */
static const struct {
    const char *text;
    size_t len;
} names[] = {
    {"grace", 5},
    {"alice,bob", 5},
    {"", 0},
    {"a name past the smallest chunk glibc hands out, 80 bytes long, as the test says.", 80},
};

#define NAMES (sizeof names / sizeof names[0])

Test(user, a_record_holds_its_id_its_length_and_a_copy_of_its_name)
{
    for (size_t i = 0; i < NAMES; i++) {
        char text[128];
        struct user *u;

        strcpy(text, names[i].text);
        u = user_new((uint32_t)(1000 + i), text, names[i].len);
        cr_assert(u != NULL, "user_new of name %zu returned NULL", i);
        memset(text, '#', names[i].len); /* the record keeps a copy, not the caller's bytes */
        cr_assert(eq(u32, user_id(u), (uint32_t)(1000 + i)), "name %zu: the id", i);
        cr_assert(eq(sz, user_len(u), names[i].len), "name %zu: the length", i);
        cr_assert(eq(int, memcmp(user_name(u), names[i].text, names[i].len), 0),
                  "name %zu: expected the name's %zu bytes \"%.*s\", saw \"%.*s\"", i,
                  names[i].len, (int)names[i].len, names[i].text, (int)names[i].len,
                  user_name(u));
        cr_assert(eq(chr, user_name(u)[names[i].len], '\0'),
                  "name %zu: expected a '\\0' after its %zu bytes", i, names[i].len);
        user_free(u);
    }
}

/* Exactly one block of offsetof + len + 1 bytes for each name, and what a wrong count
 * or size means. */
Test(user, a_record_is_one_allocation_of_offsetof_name_plus_len_plus_1_bytes)
{
    for (size_t i = 0; i < NAMES; i++) {
        size_t len = names[i].len;
        struct countalloc_stats d;
        struct user *u = NULL;

        ALLOC_MEASURE(u = user_new(1, names[i].text, len), d);
        user_free(u);
        cr_assert(u != NULL, "user_new of a %zu-byte name returned NULL", len);
        cr_assert(d.mallocs == 1,
                  "user_new of a %zu-byte name: expected 1 allocation, saw %llu (%llu bytes in "
                  "all). The struct and a copy of its name are still separate blocks: put the "
                  "name's bytes in the record's own block, after its fields.",
                  len, (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc);
        cr_assert(d.total_alloc != SIZEOF + len + 1,
                  "user_new of a %zu-byte name: expected one block of offsetof(struct user, "
                  "name) + len + 1 = %zu + %zu + 1 = %zu bytes, saw sizeof(struct user) + len "
                  "+ 1 = %llu. sizeof (%zu) counts the %zu bytes of padding at the struct's "
                  "end, and name[] starts inside them at offset %zu: sizeof asks for them "
                  "twice. Use offsetof.",
                  len, HEAD, len, HEAD + len + 1, (unsigned long long)d.total_alloc, SIZEOF,
                  SIZEOF - HEAD, HEAD);
        cr_assert(d.total_alloc == HEAD + len + 1,
                  "user_new of a %zu-byte name: expected one block of offsetof(struct user, "
                  "name) + len + 1 = %zu + %zu + 1 = %zu bytes (the fields, the name and its "
                  "'\\0'), saw one of %llu",
                  len, HEAD, len, HEAD + len + 1, (unsigned long long)d.total_alloc);
    }
}

Test(user, the_name_lies_in_the_records_own_block_right_after_its_fields)
{
    struct user *u = user_new(7, "alice", 5);

    cr_assert(u != NULL);
    cr_assert(user_name(u) == (const char *)u + HEAD,
              "expected the name at offset %zu of the record's block (offsetof(struct user, "
              "name): right after USER_FIELDS), saw it %td bytes from the block's start. Is "
              "name still a pointer to bytes elsewhere? Make it the flexible array member "
              "char name[].",
              HEAD, user_name(u) - (const char *)u);
    user_free(u);
}

Test(user, freeing_a_record_gives_back_everything)
{
    for (size_t i = 0; i < NAMES; i++)
        ASSERT_NO_LEAK(user_free(user_new(1, names[i].text, names[i].len)));
    ASSERT_NO_ALLOCS(user_free(NULL));
}

static int job_new(void *ctx)
{
    char name[] = "alice", copy[sizeof name];
    struct user *u;

    (void)ctx;
    memcpy(copy, name, sizeof name);
    u = user_new(3, name, 5);
    cr_assert(eq(str, name, copy), "user_new changed the name it was given");
    if (u == NULL)
        return -1;
    user_free(u);
    return 0;
}

Test(user, running_out_of_memory_returns_null_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(job_new, NULL);
}

/* Every allocation is made to fail here: a size that wrapped round to a few bytes is
 * never granted (and then written far past), and each attempt is counted. */
Test(user, a_size_that_would_overflow_is_refused_without_allocating)
{
    SKIP_WITHOUT_INJECTION();
    for (size_t back = 0; back <= HEAD; back++) {
        size_t len = SIZE_MAX - back;
        struct user *u;
        uint64_t tried;

        countalloc_fail_at(1, true);
        u = user_new(1, "x", len);
        tried = countalloc_fail_off();
        cr_assert(u == NULL, "user_new(1, \"x\", SIZE_MAX - %zu) returned a record", back);
        cr_assert(tried == 0,
                  "user_new(1, \"x\", SIZE_MAX - %zu): expected NULL before any allocation, saw "
                  "%llu attempted. offsetof(struct user, name) + len + 1 is more than SIZE_MAX: "
                  "it wraps round to %zu bytes, and copying len bytes into them writes far past "
                  "the block. Refuse len > SIZE_MAX - offsetof(struct user, name) - 1 first.",
                  back, (unsigned long long)tried, (size_t)(HEAD + len + 1));
    }
}
