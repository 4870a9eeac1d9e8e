/* test_intern.c: the intern table (intern.h): one copy per distinct string, the same
 * pointer for equal bytes, the allocations worked out from the growth rule, failures
 * that leave the table as it was, and the demo's records both ways. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "hash.h"
#include "intern.h"

/* Allocations and bytes of the slot arrays a table holding n strings has made: every
 * capacity from INTERN_MIN_SLOTS up to intern_slots_for(n), each a calloc once. */
static void slots_cost(size_t n, uint64_t *allocs, uint64_t *bytes)
{
    *allocs = *bytes = 0;
    for (size_t cap = INTERN_MIN_SLOTS; n > 0 && cap <= intern_slots_for(n); cap *= 2) {
        *allocs += 1;
        *bytes += cap * sizeof(struct intern_entry *);
    }
}

Test(intern_table, equal_bytes_give_the_same_pointer_and_the_second_allocates_nothing)
{
    struct intern t = INTERN_INIT;
    char a[] = "Oslo", b[] = "Oslo";
    const char *p, *q;
    struct countalloc_stats start;

    countalloc_measure_begin(&start);

    ASSERT_ALLOCS(p = intern(&t, a, 4), 2, intern_entry_size(4) + INTERN_MIN_SLOTS * sizeof(void *));
    ASSERT_NO_ALLOCS(q = intern(&t, b, 4));
    cr_assert(eq(ptr, (void *)p, (void *)q), "two equal strings must come back as one pointer");
    cr_assert(not(eq(ptr, (void *)p, (void *)a)), "the table keeps its own copy");
    cr_assert(eq(str, (char *)p, "Oslo"));
    cr_assert(eq(sz, t.count, 1));
    intern_free(&t);
    intern_free(&t); /* twice: the second finds INTERN_INIT and does nothing */
    ASSERT_ALL_FREED_SINCE(&start, "intern_free");
}

Test(intern_table, different_strings_give_different_pointers_even_past_an_embedded_nul)
{
    struct intern t = INTERN_INIT;
    const char *ab = intern(&t, "ab", 2);
    const char *ab0 = intern(&t, "ab\0", 3);
    const char *ab0c = intern(&t, "ab\0c", 4);
    const char *ab0d = intern(&t, "ab\0d", 4);
    const char *empty = intern(&t, "", 0);

    cr_assert(ab && ab0 && ab0c && ab0d && empty);
    cr_assert(ab != ab0 && ab0 != ab0c && ab0c != ab0d && ab != ab0c && empty != ab,
              "strings that differ in length or after a NUL must be different entries");
    cr_assert(eq(sz, t.count, 5));
    cr_assert(eq(ptr, (void *)intern(&t, "ab\0d", 4), (void *)ab0d));
    cr_assert(eq(int, memcmp(ab0d, "ab\0d", 5), 0), "the copy holds every byte and a terminator");
    intern_free(&t);
}

Test(intern_table, strings_that_share_a_slot_stay_apart_and_are_found)
{
    struct intern t = INTERN_INIT;
    char s[2][16];
    int found = 0;
    uint64_t h0;

    /* two strings whose hashes pick the same first slot of INTERN_MIN_SLOTS */
    snprintf(s[0], sizeof s[0], "name0");
    h0 = hash_fnv(HASH_FNV_START, s[0], strlen(s[0])) & (INTERN_MIN_SLOTS - 1);
    for (int i = 1; i < 1000 && !found; i++) {
        snprintf(s[1], sizeof s[1], "name%d", i);
        found = (hash_fnv(HASH_FNV_START, s[1], strlen(s[1])) & (INTERN_MIN_SLOTS - 1)) == h0;
    }
    cr_assert(found, "some name below name1000 shares name0's slot");
    const char *p = intern(&t, s[0], strlen(s[0]));
    const char *q = intern(&t, s[1], strlen(s[1]));
    cr_assert(p != NULL && q != NULL && p != q, "%s and %s share a slot but are two entries", s[0], s[1]);
    cr_assert(eq(ptr, (void *)intern_find(&t, s[0], strlen(s[0])), (void *)p));
    cr_assert(eq(ptr, (void *)intern_find(&t, s[1], strlen(s[1])), (void *)q));
    cr_assert(eq(ptr, (void *)intern_find(&t, "absent", 6), NULL));
    intern_free(&t);
}

Test(intern_growth, the_slots_double_when_the_next_entry_would_pass_three_quarters)
{
    struct intern t = INTERN_INIT;
    char buf[32];
    struct countalloc_stats start;

    countalloc_measure_begin(&start);
    for (size_t i = 0; i < 1000; i++) {
        size_t len = (size_t)snprintf(buf, sizeof buf, "s%zu", i);
        size_t before = t.cap;
        uint64_t allocs = intern_slots_for(i + 1) != before ? 2 : 1;
        uint64_t bytes = intern_entry_size(len) +
                         (allocs == 2 ? intern_slots_for(i + 1) * sizeof(void *) : 0);

        ASSERT_ALLOCS(intern(&t, buf, len), allocs, bytes);
        cr_assert(t.count * 4 <= t.cap * 3, "%zu strings in %zu slots: past 3/4", t.count, t.cap);
        cr_assert(t.cap == before || t.cap == (before ? 2 * before : INTERN_MIN_SLOTS));
    }
    for (size_t i = 0; i < 1000; i++) { /* every one still found after the moves */
        size_t len = (size_t)snprintf(buf, sizeof buf, "s%zu", i);

        const char *p;

        ASSERT_NO_ALLOCS(p = intern_find(&t, buf, len));
        cr_assert(p != NULL, "%s lost after the slots moved", buf);
    }
    intern_free(&t);
    ASSERT_ALL_FREED_SINCE(&start, "intern_free of 1,000 strings");
    cr_assert(eq(sz, t.cap, 0));
}

/* ---- failure ---- */

Test(intern_failure, a_failed_entry_or_slots_leave_the_table_as_it_was)
{
    SKIP_WITHOUT_INJECTION();
    struct intern t = INTERN_INIT;
    char buf[32];

    for (size_t i = 0; i < 12; i++) { /* 12 of 16 slots: the 13th entry needs 32 */
        size_t len = (size_t)snprintf(buf, sizeof buf, "s%zu", i);
        cr_assert(intern(&t, buf, len) != NULL);
    }
    for (unsigned at = 1; at <= 2; at++) { /* the entry fails, then the slots */
        struct intern_entry **slots = t.slots;
        struct countalloc_stats d;
        const char *p;

        countalloc_fail_at(at, false);
        ALLOC_MEASURE(p = intern(&t, "new", 3), d);
        countalloc_fail_at(0, false);
        cr_assert(eq(ptr, (void *)p, NULL), "failing allocation %u: intern returns NULL", at);
        cr_assert(eq(int, errno, ENOMEM));
        cr_assert(d.heap_alloc == 0 && d.heap_objects == 0, "failing allocation %u leaked", at);
        cr_assert(t.slots == slots && t.cap == 16 && t.count == 12, "the table changed");
        cr_assert(eq(ptr, (void *)intern_find(&t, "new", 3), NULL));
    }
    cr_assert(intern(&t, "new", 3) != NULL && t.cap == 32);
    intern_free(&t);
}

static int sweep_intern(void *ctx)
{
    struct intern t = INTERN_INIT;
    char buf[32];
    int rc = 0;

    for (size_t i = 0; i < *(size_t *)ctx && rc == 0; i++) {
        size_t len = (size_t)snprintf(buf, sizeof buf, "s%zu", i % 50);
        rc = intern(&t, buf, len) == NULL ? -1 : 0;
    }
    intern_free(&t);
    return rc;
}

Test(intern_failure, every_allocation_of_interning_failed_in_turn_is_reported_and_leaks_nothing)
{
    size_t n = 200; /* 50 distinct, each 4 times: 50 entries and 3 slot arrays */

    ASSERT_SWEEP_CLEAN(sweep_intern, &n);
}

/* ---- the records, both ways ---- */

static uint64_t names_bytes(size_t n, size_t k, enum records_way way)
{
    char buf[64];
    uint64_t b = 0;
    size_t distinct = n < k ? n : k;

    if (way == RECORDS_DUP)
        for (size_t i = 0; i < n; i++)
            b += records_name(i % k, buf, sizeof buf) + 1;
    else
        for (size_t i = 0; i < distinct; i++)
            b += intern_entry_size(records_name(i, buf, sizeof buf));
    return b;
}

static void check_records(size_t n, size_t k)
{
    struct records dup, in;
    uint64_t sa, sb;
    size_t distinct = n < k ? n : k;
    int r1, r2;
    struct countalloc_stats start;

    countalloc_measure_begin(&start);
    slots_cost(distinct, &sa, &sb);
    ASSERT_ALLOCS(r1 = records_build(&dup, n, k, RECORDS_DUP), 1 + n,
                  n * sizeof(struct record) + names_bytes(n, k, RECORDS_DUP));
    ASSERT_ALLOCS(r2 = records_build(&in, n, k, RECORDS_INTERNED), 1 + distinct + sa,
                  n * sizeof(struct record) + names_bytes(n, k, RECORDS_INTERNED) + sb);
    cr_assert(r1 == 0 && r2 == 0);
    cr_assert(eq(sz, in.names.count, distinct));
    for (size_t i = 0; i < n; i++) {
        cr_assert(eq(str, (char *)dup.r[i].name, (char *)in.r[i].name), "record %zu's name", i);
        cr_assert(eq(ptr, (void *)in.r[i].name, (void *)in.r[i % k].name),
                  "records %zu and %zu share a name, so one pointer", i, i % k);
    }
    records_free(&dup);
    records_free(&in);
    ASSERT_ALL_FREED_SINCE(&start, "records_free, both ways");
}

Test(records, n_records_with_k_names_cost_n_strdups_or_k_entries_and_the_slots)
{
    check_records(1000, 16);
    check_records(1000, 13);
    check_records(1000, 700);
    check_records(1000, 1000);
    check_records(10, 5000);
}

Test(records, counting_a_name_reads_bytes_with_strcmp_and_none_with_pointers)
{
    struct records d, in;
    size_t rd, ri, n = 1000, k = 16;
    char q[64];

    records_name(3, q, sizeof q);
    cr_assert(records_build(&d, n, k, RECORDS_DUP) == 0);
    cr_assert(records_build(&in, n, k, RECORDS_INTERNED) == 0);
    size_t hd = records_count_named(&d, q, &rd);
    size_t hi;
    ASSERT_NO_ALLOCS(hi = records_count_named(&in, q, &ri));
    cr_assert(eq(sz, hd, (n - 3 + k - 1) / k), "records i with i %% %zu == 3", k);
    cr_assert(eq(sz, hi, hd));
    cr_assert(eq(sz, ri, 0), "pointer compares read no bytes");
    cr_assert(rd >= n, "strcmp reads at least one byte per record, read %zu", rd);
    records_free(&d);
    records_free(&in);
}

static int sweep_records(void *ctx)
{
    struct records rs;

    if (records_build(&rs, 300, 40, *(enum records_way *)ctx) != 0)
        return -1;
    records_free(&rs);
    return 0;
}

Test(records, every_allocation_of_either_build_failed_in_turn_is_reported_and_leaks_nothing)
{
    enum records_way dup = RECORDS_DUP, in = RECORDS_INTERNED;

    ASSERT_SWEEP_CLEAN(sweep_records, &dup);
    ASSERT_SWEEP_CLEAN(sweep_records, &in);
}

/* ---- the program ---- */

Test(intern_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "1000001", "1x", "--bogus",
                                      "99999999999999999999999", "1 2"};

    ASSERT_BAD_ARGUMENTS("demo/intern", "N", bad);
}
