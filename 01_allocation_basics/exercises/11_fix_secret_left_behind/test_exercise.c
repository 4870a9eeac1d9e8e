/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and against
 * solution/exercise.c (make test-01). What tells the two apart is what is left of a
 * password once the store is freed: the copies of it in the process's writable memory,
 * counted by the lesson's instrument (secret.h: /proc/self/mem, the password made at run
 * time and never whole in memory but where it is put). A store grown by realloc past a
 * block that follows it moves, and realloc frees the old block as it is: its password
 * stays, whole (the counting allocator's header takes glibc's links) or in part (ASan's
 * free writes over the first bytes; glibc's own would take the first 16), and any part
 * counts. Natively and in the ASan build; under Valgrind the search reads nothing, and the
 * tests of copies are skipped there (NATIVE_ONLY). With the Makefile's -fno-builtin-free a
 * memset before free is kept, so memset and explicit_bzero leave the same count here: the
 * lesson's make secret-01 shows the memset gcc -O2 deletes. The lines, the counts and the
 * failures are tested everywhere an allocation can be made to fail. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "secret.h" /* the lesson's instrument */

#define SCAN_NATIVE NATIVE_ONLY("the search reads nothing under Valgrind, whose maps are its own")
#define USER "alice:"
#define ALICE (sizeof USER - 1 + SECRET_LEN + 1) /* "alice:" + the password + "\n": 39 bytes */
#define BOB_LEN 45                               /* past 64 with alice's: the store grows */

static struct secret_scan *scan;

static void setup(void)
{
    scan = secret_scan_new();
    cr_assert(scan != NULL, "the instrument: %s", strerror(errno));
}

static void teardown(void)
{
    secret_scan_free(scan);
}

TestSuite(store, .init = setup, .fini = teardown);

/* alice's line, with the password, added; the caller's copy of the line wiped. */
static int add_alice(struct store *s)
{
    char *line = malloc(ALICE);
    int rc;

    cr_assert(line != NULL);
    memcpy(line, USER, sizeof USER - 1);
    secret_put(scan, (unsigned char *)line + sizeof USER - 1);
    line[ALICE - 1] = '\n';
    rc = store_add(s, line, ALICE);
    explicit_bzero(line, ALICE);
    free(line);
    return rc;
}

/* bob's line, no secret in it: "bob:", then letters, then "\n". */
static const char *bob(void)
{
    static char line[BOB_LEN + 1];

    memcpy(line, "bob:", 4);
    for (size_t i = 4; i < BOB_LEN - 1; i++)
        line[i] = (char)('a' + i % 26);
    line[BOB_LEN - 1] = '\n';
    return line;
}

static unsigned copies_of(const struct secret_copies *c)
{
    return c->whole + c->head + c->tail;
}

Test(store, the_lines_are_kept_in_order_and_the_cap_doubles_from_64)
{
    struct store s = {NULL, 0, 0};
    size_t caps[] = {STORE_FIRST_CAP, 2 * STORE_FIRST_CAP, 4 * STORE_FIRST_CAP};

    for (size_t k = 0; k < 3; k++) {
        size_t len = s.len;

        cr_assert(eq(int, store_add(&s, bob(), BOB_LEN), 0));
        cr_assert(eq(sz, s.len, len + BOB_LEN));
        cr_assert(eq(sz, s.cap, caps[k]), "after %zu lines of %d bytes: expected cap %zu, saw %zu",
                  k + 1, BOB_LEN, caps[k], s.cap);
        for (size_t i = 0; i <= k; i++)
            cr_assert(memcmp(s.data + i * BOB_LEN, bob(), BOB_LEN) == 0, "line %zu of %zu is not as added", i + 1, k + 1);
    }
    cr_assert(eq(int, add_alice(&s), 0));
    cr_assert(secret_is(scan, (unsigned char *)s.data + 3 * BOB_LEN + sizeof USER - 1, SECRET_LEN),
              "alice's password must follow the three lines, after \"alice:\"");
    store_free(&s);
    cr_assert(s.data == NULL && s.len == 0 && s.cap == 0, "store_free must leave {NULL, 0, 0}");
}

/* Each growth: one allocation of the new cap and one free of the old block (none for an
 * empty store), as realloc is counted (one allocation and one free) and as malloc + free
 * are; a line that fits allocates nothing. */
Test(store, each_growth_is_one_allocation_of_the_new_cap_and_one_free_of_the_old_block)
{
    struct store s = {NULL, 0, 0};
    struct countalloc_stats d;

    for (size_t k = 0; k < 6; k++) {
        size_t old = s.cap, need = s.len + BOB_LEN, cap = old == 0 ? STORE_FIRST_CAP : old;
        int rc = -1;

        while (cap < need)
            cap *= 2;
        bool grows = need > old;
        ALLOC_MEASURE(rc = store_add(&s, bob(), BOB_LEN), d);
        cr_assert(eq(int, rc, 0));
        cr_assert(d.mallocs == grows && d.total_alloc == (grows ? cap : 0) && d.frees == (grows && old > 0),
                  "line %zu (len %zu to %zu, cap %zu): expected %d allocation(s) of %zu bytes and %d "
                  "free(s), saw %llu of %llu and %llu", k + 1, need - BOB_LEN, need, old, grows,
                  grows ? cap : 0, grows && old > 0, (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc, (unsigned long long)d.frees);
    }
    ALLOC_MEASURE(store_free(&s), d);
    cr_assert(d.mallocs == 0 && d.frees == 1 && d.heap_objects == -1, "store_free: one free, nothing allocated");
}

/* The password added, a block malloc'd after the store (whatever follows it in a program),
 * bob's line making the store grow, then store_free: not one byte-run of the password may
 * be left. */
Test(store, once_the_store_is_freed_no_copy_of_the_password_is_left, SCAN_NATIVE)
{
    struct store s = {NULL, 0, 0};
    struct secret_copies before, after;
    void *next;

    cr_assert(eq(int, add_alice(&s), 0));
    next = malloc(16);
    cr_assert(next != NULL);
    cr_assert(eq(int, store_add(&s, bob(), BOB_LEN), 0));
    cr_assert(eq(int, secret_count(scan, &before), 0), "the search: %s", strerror(errno));
    cr_assert(before.whole >= 1, "the store holds the password: the search must find it (saw %u whole)",
              before.whole);
    store_free(&s);
    cr_assert(eq(int, secret_count(scan, &after), 0));
    free(next);
    cr_assert(copies_of(&after) == 0,
              "after store_free: expected no copy of the password in the process, saw %u whole, %u "
              "first halves and %u last halves alone (before store_free: %u whole). When the store "
              "grew, the old block was freed with the password in it: realloc frees a block it "
              "moves as it is, and no wipe of the new block reaches the old one.",
              copies_of(&after) - after.head - after.tail, after.head, after.tail, before.whole);
}

Test(store, a_failed_growth_returns_enomem_and_leaves_the_store_as_it_was)
{
    struct store s = {NULL, 0, 0};
    struct countalloc_stats d;
    char *data;
    int rc = 0;

    SKIP_WITHOUT_INJECTION();
    cr_assert(eq(int, add_alice(&s), 0));
    data = s.data;
    countalloc_fail_at(1, false);
    errno = 0;
    ALLOC_MEASURE(rc = store_add(&s, bob(), BOB_LEN), d);
    cr_assert(eq(u64, countalloc_fail_off(), 1), "the growth's allocation must be the one that failed");
    cr_assert(eq(int, rc, -1), "a failed growth: expected -1, saw %d", rc);
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(s.data == data && s.len == ALICE && s.cap == STORE_FIRST_CAP,
              "a failed growth must leave data, len and cap as they were");
    cr_assert(secret_is(scan, (unsigned char *)s.data + sizeof USER - 1, SECRET_LEN), "and the bytes");
    cr_assert(d.frees == 0 && d.heap_objects == 0, "a failed growth frees nothing and keeps nothing");
    store_free(&s);
}

Test(store, a_failed_growth_leaves_no_copy_once_the_store_is_freed, SCAN_NATIVE)
{
    struct store s = {NULL, 0, 0};
    struct secret_copies c;

    SKIP_WITHOUT_INJECTION();
    cr_assert(eq(int, add_alice(&s), 0));
    countalloc_fail_at(1, false);
    cr_assert(eq(int, store_add(&s, bob(), BOB_LEN), -1));
    countalloc_fail_off();
    store_free(&s);
    cr_assert(eq(int, secret_count(scan, &c), 0));
    cr_assert(copies_of(&c) == 0, "a failed growth, then store_free: expected no copy, saw %u whole, %u "
              "first halves, %u last halves", c.whole, c.head, c.tail);
}

/* Three lines into an empty store, each checked, then freed: 0; -1 when an addition
 * reported a failure (-1, ENOMEM) and left the store whole; 1 otherwise. */
static int job_store(void *ctx)
{
    struct store s = {NULL, 0, 0};
    int rc = 0;

    (void)ctx;
    for (size_t k = 0; k < 3 && rc == 0; k++) {
        char *data = s.data;
        size_t len = s.len, cap = s.cap;

        if (store_add(&s, bob(), BOB_LEN) != 0) {
            rc = errno == ENOMEM && s.data == data && s.len == len && s.cap == cap ? -1 : 1;
            break;
        }
        if (memcmp(s.data + k * BOB_LEN, bob(), BOB_LEN) != 0)
            rc = 1;
    }
    store_free(&s);
    return rc;
}

Test(store, every_failed_allocation_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(job_store, NULL);
}
