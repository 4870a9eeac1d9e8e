/* test_uninit.c: lesson 01's "malloc does not zero" (uninit.h). struct uninit_rec's layout
 * worked out from offsetof and sizeof; the three clean ways to write one: their padding 0,
 * their exact allocations, their OOM sweeps; what memcheck says of misuse/uninit_use.c and
 * misuse/padding_leak.c (the error, the line of the use, the byte in the block, the malloc
 * as the origin), each line found by the marker comment in the program's source; and
 * demo/uninit: clean under memcheck, and its arguments. memcheck prints the same lines on
 * Valgrind 3.19 (Debian 12) and 3.24 (Debian 13). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "beside.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "uninit.h"

#include <valgrind/valgrind.h>

#define REC sizeof(struct uninit_rec)
#define FIELDS (sizeof(char) + sizeof(int64_t) + sizeof(int16_t))

/* ---- the layout ---- */

Test(uninit_layout, the_fields_table_is_offsetof_and_sizeof_of_each_field)
{
    const size_t off[] = {offsetof(struct uninit_rec, tag), offsetof(struct uninit_rec, value),
                          offsetof(struct uninit_rec, kind)};
    const size_t size[] = {sizeof(char), sizeof(int64_t), sizeof(int16_t)};

    for (size_t f = 0; f < UNINIT_NFIELDS; f++) {
        cr_assert(eq(sz, uninit_fields[f].offset, off[f]), "field %s", uninit_fields[f].name);
        cr_assert(eq(sz, uninit_fields[f].size, size[f]), "field %s", uninit_fields[f].name);
    }
    cr_assert(eq(sz, uninit_packed_size(), FIELDS));
}

Test(uninit_layout, every_byte_outside_the_fields_is_padding_and_the_padding_is_sizeof_less_the_fields)
{
    size_t pad = 0;

    for (size_t i = 0; i < REC; i++) {
        int in_field = i < sizeof(char) ||
                       (i >= offsetof(struct uninit_rec, value) && i < offsetof(struct uninit_rec, value) + sizeof(int64_t)) ||
                       (i >= offsetof(struct uninit_rec, kind) && i < offsetof(struct uninit_rec, kind) + sizeof(int16_t));

        cr_assert(eq(int, uninit_is_padding(i), !in_field), "byte %zu", i);
        pad += !in_field;
    }
    cr_assert(pad > 0, "the compiler put no padding in struct uninit_rec: nothing here to leak");
    cr_assert(eq(sz, pad, REC - FIELDS), "sizeof %zu, fields %zu: the rest is padding", REC, FIELDS);
}

/* ---- the clean ways ---- */

static int padding_zero(const struct uninit_rec *r)
{
    const unsigned char *b = (const unsigned char *)r;

    for (size_t i = 0; i < REC; i++)
        if (uninit_is_padding(i) && b[i] != 0)
            return 0;
    return 1;
}

Test(uninit_ways, calloc_makes_one_allocation_of_sizeof_the_struct_and_zero_padding)
{
    struct uninit_rec *r;

    for (int k = 0; k < 100; k++) { /* blocks glibc had handed out and taken back dirty */
        void *dirty = malloc(REC);

        cr_assert(dirty != NULL);
        memset(dirty, 0xff, REC);
        free(dirty);
        ASSERT_ALLOCS(r = uninit_new_zeroed('A', -1, 7), 1, REC);
        cr_assert(r != NULL);
        cr_assert(padding_zero(r), "calloc's block: padding must read 0");
        cr_assert(r->tag == 'A' && r->value == -1 && r->kind == 7);
        free(r);
    }
}

Test(uninit_ways, memset_first_allocates_nothing_and_clears_the_padding_of_a_dirty_struct)
{
    struct uninit_rec r;

    memset(&r, 0xff, sizeof r);
    ASSERT_NO_ALLOCS(uninit_set_cleared(&r, 'B', 42, -3));
    cr_assert(padding_zero(&r), "memset, then the fields: padding must read 0");
    cr_assert(r.tag == 'B' && r.value == 42 && r.kind == -3);
}

Test(uninit_ways, pack_makes_one_allocation_of_the_fields_bytes_and_writes_them_in_order)
{
    struct uninit_rec r = {.tag = 'C', .value = 0x0102030405060708, .kind = 0x1122};
    unsigned char *buf = NULL;
    size_t len = 0, at = 0;
    int rc;

    ASSERT_ALLOCS(rc = uninit_pack(&r, &buf, &len), 1, FIELDS);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(sz, len, FIELDS), "packed: the fields' %zu bytes, not sizeof's %zu", FIELDS, REC);
    for (size_t f = 0; f < UNINIT_NFIELDS; f++) {
        cr_assert(memcmp(buf + at, (const char *)&r + uninit_fields[f].offset, uninit_fields[f].size) == 0,
                  "field %s at byte %zu of the packed record", uninit_fields[f].name, at);
        at += uninit_fields[f].size;
    }
    free(buf);
}

static int job_new(void *ctx)
{
    struct uninit_rec *r = uninit_new_zeroed('A', 1, 2);

    (void)ctx;
    if (r == NULL)
        return -1;
    free(r);
    return 0;
}

static int job_pack(void *ctx)
{
    const struct uninit_rec *r = ctx;
    unsigned char *buf = NULL;
    size_t len = 0;

    if (uninit_pack(r, &buf, &len) != 0)
        return -1;
    free(buf);
    return 0;
}

Test(uninit_ways, every_failed_allocation_of_the_calloc_way_is_reported)
{
    ASSERT_SWEEP_CLEAN(job_new, NULL);
}

Test(uninit_ways, every_failed_allocation_of_pack_is_reported_and_leaves_out_and_len_as_they_were)
{
    struct uninit_rec r = {.tag = 'D', .value = 9, .kind = 1};
    unsigned char *buf = (unsigned char *)"before";
    size_t len = 123;

    ASSERT_SWEEP_CLEAN(job_pack, &r);
    countalloc_fail_at(1, false);
    cr_assert(eq(int, uninit_pack(&r, &buf, &len), -1));
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(eq(str, (char *)buf, "before"), "a failed pack must leave *out alone");
    cr_assert(eq(sz, len, 123), "a failed pack must leave *len alone");
    cr_assert(r.tag == 'D' && r.value == 9 && r.kind == 1, "the record must be as it was");
}

/* ---- memcheck on the misuse programs ---- */

static char out[OUT_MAX];

/* The line of misuse/PROG.c that holds the comment "uninit: WHAT": the tests look the line
 * up rather than type it, so an edit above it moves nothing. */
static int marked_line(const char *prog, const char *what)
{
    char path[1024], mark[64], text[512];
    const char *slash = strrchr(__FILE__, '/');
    int line = 0, found = 0;
    FILE *f;

    snprintf(path, sizeof path, "%.*smisuse/%s.c", slash ? (int)(slash - __FILE__ + 1) : 0, __FILE__, prog);
    snprintf(mark, sizeof mark, "/* uninit: %s */", what);
    f = fopen(path, "r");
    cr_assert(f != NULL, "cannot read %s (the tests run from the repository's root)", path);
    while (fgets(text, sizeof text, f) != NULL) {
        line++;
        if (strstr(text, mark) != NULL) {
            cr_assert(found == 0, "%s marks two lines \"%s\"", path, mark);
            found = line;
        }
    }
    fclose(f);
    cr_assert(found > 0, "%s marks no line \"%s\"", path, mark);
    return found;
}

/* The frame "main (PROG.c:LINE)" of the marked line. */
static const char *frame(const char *prog, const char *what)
{
    static char buf[4][128];
    static int next;
    char *b = buf[next++ % 4];

    snprintf(b, sizeof buf[0], ": main (%s.c:%d)\n", prog, marked_line(prog, what));
    return b;
}

/* The mark of every test that calls the helper below. */
#define UNINIT_NATIVE NATIVE_ONLY("the misuse programs run under a memcheck of their own")

/* make check runs this suite under memcheck (--trace-children=yes): memcheck cannot run
 * inside itself, and the programs run unwatched there anyway. The misuse programs are
 * built without the sanitizers (lesson.mk), so a SANITIZE=1 suite runs them too. */
static void need_valgrind(void)
{
    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
    if (system("command -v valgrind >/dev/null") != 0)
        cr_skip_test("valgrind is not installed (make deps)");
}

/* memcheck's report of misuse/PROG, with extra options (track origins); the program's
 * status must be memcheck's error status, 99. */
static void memcheck(const char *prog, const char *opts)
{
    char cmd[256], path[64];

    snprintf(cmd, sizeof cmd, "valgrind --error-exitcode=99 %s", opts);
    snprintf(path, sizeof path, "misuse/%s", prog);
    cr_assert(eq(int, run(cmd, path, "", out), 99), "memcheck must report an error in %s:\n%s", prog, out);
}

/* s occurs in out, after `after` (out itself when NULL); where it is. */
static const char *expect(const char *after, const char *s, const char *why)
{
    const char *at = strstr(after ? after : out, s);

    cr_assert(at != NULL, "expected \"%s\" (%s) in memcheck's report:\n%s", s, why, out);
    return at;
}

static int count(const char *s)
{
    int n = 0;

    for (const char *p = strstr(out, s); p != NULL; p = strstr(p + 1, s))
        n++;
    return n;
}

Test(uninit_memcheck, a_branch_on_an_unset_element_is_reported_at_the_if_not_at_the_copy_or_the_sum,
     UNINIT_NATIVE)
{
    const char *at;

    need_valgrind();
    memcheck("uninit_use", "");
    at = expect(NULL, "Conditional jump or move depends on uninitialised value(s)", "the error");
    expect(at, frame("uninit_use", "use"), "the line of the if, where the value is used");
    cr_assert(eq(int, count("Conditional jump"), 1), "one error, the if's: the copy and the sum "
              "carry the undefined bytes along unreported:\n%s", out);
    cr_assert(strstr(out, "ERROR SUMMARY: 1 errors from 1 contexts") != NULL, "one error in all:\n%s", out);
    cr_assert(strstr(out, "created by") == NULL && strstr(out, frame("uninit_use", "origin")) == NULL,
              "without --track-origins memcheck does not name the malloc:\n%s", out);
    cr_assert(strstr(out, "Use --track-origins=yes to see where uninitialised values come from") != NULL,
              "memcheck suggests --track-origins=yes:\n%s", out);
}

Test(uninit_memcheck, track_origins_names_the_malloc_the_unset_bytes_came_from, UNINIT_NATIVE)
{
    const char *at;

    need_valgrind();
    memcheck("uninit_use", "--track-origins=yes");
    at = expect(NULL, "Conditional jump or move depends on uninitialised value(s)", "the error");
    at = expect(at, frame("uninit_use", "use"), "the use, as without the option");
    at = expect(at, "Uninitialised value was created by a heap allocation", "the origin");
    expect(at, frame("uninit_use", "origin"), "the line of the malloc");
}

Test(uninit_memcheck, writing_a_struct_set_field_by_field_sends_its_padding_and_memcheck_names_the_byte,
     UNINIT_NATIVE)
{
    char want[128];
    const char *at;
    size_t first_pad = 0;

    need_valgrind();
    while (!uninit_is_padding(first_pad))
        first_pad++;
    memcheck("padding_leak", "");
    at = expect(NULL, "Syscall param write(buf) points to uninitialised byte(s)", "the error");
    at = expect(at, frame("padding_leak", "write"), "the line of the write");
    snprintf(want, sizeof want, " is %zu bytes inside a block of size %zu alloc'd\n", first_pad, REC);
    at = expect(at, want, "the first padding byte, by its offset in the struct's block");
    expect(at, frame("padding_leak", "origin"), "the malloc of the block");
    cr_assert(eq(int, count("Syscall param"), 1), "one error, the write's:\n%s", out);
}

Test(uninit_memcheck, track_origins_names_the_struct_s_malloc_as_the_origin_of_the_padding,
     UNINIT_NATIVE)
{
    const char *at;

    need_valgrind();
    memcheck("padding_leak", "--track-origins=yes");
    at = expect(NULL, "Syscall param write(buf) points to uninitialised byte(s)", "the error");
    at = expect(at, "Uninitialised value was created by a heap allocation", "the origin");
    expect(at, frame("padding_leak", "origin"), "the line of the malloc");
}

/* ---- demo/uninit ---- */

Test(uninit_demo, every_way_the_demo_writes_is_clean_under_memcheck, UNINIT_NATIVE)
{
    need_valgrind();
    SKIP_IN_SANITIZER_BUILD("the demo is built with ASan, which cannot run under Valgrind");
    cr_assert(eq(int, run("valgrind -q --error-exitcode=99 --leak-check=full --track-origins=yes", "demo/uninit", "20", out), 0),
              "demo/uninit under memcheck:\n%s", out);
    cr_assert(eq(str, out, ""), "memcheck must report nothing:\n%s", out);
}

Test(uninit_demo, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-1", "1000001", "1x", "--bogus", "99999999999999999999999"};
    static const char *const extra[] = {"1 2"};

    ASSERT_BAD_ARGUMENTS("demo/uninit", "N must be a whole number from 1 to 1,000,000", bad);
    ASSERT_BAD_ARGUMENTS("demo/uninit", "too many arguments", extra);
}

Test(uninit_demo, the_demo_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/uninit", "20");
}
