/* test_basics.c: growing an array, boxing, the heavy/light pair and libc's hidden
 * allocations: same results, exact allocation counts, OOM sweeps. Every expected count
 * is derived here from the rule it tests, not copied from make run-01. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "beside.h"
#include "cli_assert.h"
#include "basics.h"
#include "big.h"
#include "boxing.h"
#include "cli.h"
#include "countalloc.h"
#include "growth.h"
#include "hidden.h"
#include "platform.h"

/* The smallest k with 2^k >= n. */
static unsigned ceil_log2(size_t n)
{
    unsigned k = 0;

    while (((size_t)1 << k) < n)
        k++;
    return k;
}

/* The sum of 0 + 1 + ... + (n - 1). */
static int64_t triangle(size_t n)
{
    return n == 0 ? 0 : (int64_t)(n * (n - 1) / 2);
}

/* ---- growing an array ---- */

Test(growth, growing_by_one_makes_one_allocation_per_append)
{
    size_t n = 1000, moves;
    int64_t sum;

    /* realloc to 1, 2, ..., n elements: n calls, 8 * n(n+1)/2 bytes requested */
    ASSERT_ALLOCS(vec_fill(n, VEC_BY_ONE, 0, &sum, &moves), n, 8 * n * (n + 1) / 2);
    cr_assert(eq(i64, sum, triangle(n)));
}

Test(growth, doubling_makes_one_plus_ceil_log2_n_allocations)
{
    size_t moves;
    int64_t sum;

    for (size_t n = 1; n <= 4097; n = n * 3 + 1) {
        unsigned k = ceil_log2(n);
        /* capacities 1, 2, 4, ..., 2^k: k + 1 allocations, 8 * (2^(k+1) - 1) bytes */
        ASSERT_ALLOCS(vec_fill(n, VEC_X2, 0, &sum, &moves), k + 1,
                      8 * (((size_t)2 << k) - 1));
        cr_assert(eq(i64, sum, triangle(n)));
    }
}

Test(growth, one_and_a_half_makes_about_log1_5_n_allocations)
{
    size_t n = 1000000, cap = 0, steps = 0, bytes = 0, moves;
    int64_t sum;

    /* the rule of growth.h: cap + cap / 2, at least cap + 1 */
    while (cap < n) {
        cap = cap + cap / 2 > cap ? cap + cap / 2 : cap + 1;
        steps++;
        bytes += cap * sizeof(int64_t);
    }
    ASSERT_ALLOCS(vec_fill(n, VEC_X1_5, 0, &sum, &moves), steps, bytes);
    cr_assert(steps > ceil_log2(n) && steps < 2 * ceil_log2(n),
              "x1.5 should take between log2(n) and 2 log2(n) steps, took %zu", steps);
}

Test(growth, reserving_first_makes_exactly_one_allocation)
{
    size_t moves;
    int64_t sum;

    for (size_t n = 1; n <= 1000000; n *= 10) {
        ASSERT_ALLOCS(vec_fill(n, VEC_BY_ONE, 1, &sum, &moves), 1, n * sizeof(int64_t));
        cr_assert(eq(sz, moves, 0));
        cr_assert(eq(i64, sum, triangle(n)));
    }
}

Test(growth, no_appends_allocate_nothing)
{
    size_t moves = 7;
    int64_t sum = 7;

    ASSERT_NO_ALLOCS(vec_fill(0, VEC_X2, 0, &sum, &moves));
    cr_assert(eq(i64, sum, 0));
    cr_assert(eq(sz, moves, 0));
}

Test(growth, a_push_into_spare_capacity_allocates_nothing)
{
    struct vec v = VEC_INIT;

    cr_assert(eq(int, vec_reserve(&v, 4), 0));
    ASSERT_NO_ALLOCS(for (int i = 0; i < 4; i++) vec_push(&v, i, VEC_BY_ONE));
    ASSERT_NO_ALLOCS(vec_reserve(&v, 3));
    ASSERT_ALLOCS(vec_push(&v, 4, VEC_X2), 1, 8 * sizeof(int64_t));
    vec_free(&v);
}

Test(growth, a_failed_push_leaves_the_array_as_it_was)
{
    struct vec v = VEC_INIT;
    int64_t *block;

    SKIP_WITHOUT_INJECTION();
    for (int i = 0; i < 4; i++)
        cr_assert(eq(int, vec_push(&v, i * 10, VEC_X2), 0));
    block = v.v;
    countalloc_fail_at(1, false);
    cr_assert(eq(int, vec_push(&v, 40, VEC_X2), -1), "a push into a full array must fail");
    countalloc_fail_off();
    cr_assert(eq(ptr, v.v, block));
    cr_assert(eq(sz, v.len, 4));
    cr_assert(eq(sz, v.cap, 4));
    for (int i = 0; i < 4; i++)
        cr_assert(eq(i64, v.v[i], i * 10));
    vec_free(&v);
}

Test(growth, capacities_that_would_overflow_are_refused)
{
    struct vec v = VEC_INIT;

    cr_assert(eq(sz, vec_next_cap(SIZE_MAX / 8, VEC_X2), 0));
    cr_assert(eq(sz, vec_next_cap(SIZE_MAX / 8, VEC_X1_5), 0));
    cr_assert(eq(sz, vec_next_cap(SIZE_MAX / 8, VEC_BY_ONE), 0));
    int rc;

    ASSERT_NO_ALLOCS(rc = vec_reserve(&v, SIZE_MAX / 4));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(ptr, v.v, NULL));
}

Test(growth, vec_free_of_an_empty_array_does_nothing)
{
    struct vec v = VEC_INIT;

    ASSERT_NO_ALLOCS(vec_free(&v));
    cr_assert(eq(ptr, v.v, NULL));
}

struct fill_ctx {
    size_t n;
    enum vec_growth g;
    int reserve;
};

static int fill_job(void *ctx)
{
    struct fill_ctx *c = ctx;
    int64_t sum = 42;
    size_t moves = 42;
    int rc = vec_fill(c->n, c->g, c->reserve, &sum, &moves);

    if (rc != 0 && (sum != 42 || moves != 42))
        return 0; /* a failure must leave the outputs alone: report it as unreported */
    return rc;
}

Test(growth, every_strategy_survives_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(fill_job, (&(struct fill_ctx){200, VEC_BY_ONE, 0}));
    ASSERT_SWEEP_CLEAN(fill_job, (&(struct fill_ctx){2000, VEC_X1_5, 0}));
    ASSERT_SWEEP_CLEAN(fill_job, (&(struct fill_ctx){2000, VEC_X2, 0}));
    ASSERT_SWEEP_CLEAN(fill_job, (&(struct fill_ctx){2000, VEC_X2, 1}));
}

/* ---- boxing ---- */

Test(boxing, boxing_makes_one_allocation_per_value_plus_the_list)
{
    size_t n = 1000;
    int64_t sum;

    ASSERT_ALLOCS(box_sum_boxed(n, &sum), n + 1, n * sizeof(int64_t) + n * sizeof(void *));
    cr_assert(eq(i64, sum, triangle(n)));
}

Test(boxing, storing_values_makes_one_allocation)
{
    size_t n = 1000;
    int64_t sum;

    ASSERT_ALLOCS(box_sum_values(n, &sum), 1, n * sizeof(int64_t));
    cr_assert(eq(i64, sum, triangle(n)));
}

Test(boxing, boxed_and_unboxed_give_the_same_sum)
{
    int64_t a = 1, b = 2;

    for (size_t n = 0; n < 50; n++) {
        cr_assert(eq(int, box_sum_boxed(n, &a), 0));
        cr_assert(eq(int, box_sum_values(n, &b), 0));
        cr_assert(eq(i64, a, b), "n = %zu: boxed %lld, values %lld", n, (long long)a,
                  (long long)b);
    }
}

static void box_ten_and_free_all(void)
{
    struct box_list l = BOX_LIST_INIT;

    for (int i = 0; i < 10; i++) {
        int *box = malloc(sizeof *box);
        cr_assert(box != NULL);
        *box = i;
        cr_assert(eq(int, box_push(&l, box), 0));
    }
    box_free_all(&l);
}

Test(boxing, box_free_all_frees_every_box_and_the_list)
{
    ASSERT_NO_LEAK(box_ten_and_free_all());
}

Test(boxing, a_failed_push_leaves_the_list_as_it_was)
{
    struct box_list l = BOX_LIST_INIT;
    int x = 1, y = 2;

    SKIP_WITHOUT_INJECTION();
    cr_assert(eq(int, box_push(&l, &x), 0));
    countalloc_fail_at(1, false);
    cr_assert(eq(int, box_push(&l, &y), -1));
    countalloc_fail_off();
    cr_assert(eq(sz, l.len, 1));
    cr_assert(eq(ptr, l.items[0], &x));
    l.len = 0; /* the items are not the list's to free */
    box_free_all(&l);
}

struct sum_ctx {
    int (*fn)(size_t n, int64_t *sum);
    size_t n;
};

static int sum_job(void *ctx)
{
    struct sum_ctx *c = ctx;
    int64_t sum = 42;
    int rc = c->fn(c->n, &sum);

    if (rc != 0 && sum != 42)
        return 0;
    return rc;
}

Test(boxing, both_survive_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(sum_job, (&(struct sum_ctx){box_sum_boxed, 300}));
    ASSERT_SWEEP_CLEAN(sum_job, (&(struct sum_ctx){box_sum_values, 300}));
}

/* ---- reading lines, collecting fields ---- */

/* Run collect over basics_make_input(n) into *out; the stream's buffer is ours. */
static int collect_n(int (*collect)(FILE *, struct fields *), size_t n, struct fields *out)
{
    char *text, iobuf[256];
    size_t len;
    FILE *in;
    int rc;

    cr_assert(eq(int, basics_make_input(n, &text, &len), 0));
    in = basics_open(text, len, iobuf, sizeof iobuf);
    cr_assert(in != NULL);
    rc = collect(in, out);
    fclose(in);
    free(text);
    return rc;
}

Test(collect, heavy_and_light_collect_the_same_fields_byte_for_byte)
{
    for (size_t n = 0; n < 40; n = n < 10 ? n + 1 : n * 2) {
        struct fields h = FIELDS_INIT, l = FIELDS_INIT;

        cr_assert(eq(int, collect_n(heavy_collect, n, &h), 0));
        cr_assert(eq(int, collect_n(light_collect, n, &l), 0));
        cr_assert(basics_fields_equal(&h, &l), "n = %zu: heavy and light disagree", n);
        basics_fields_free(&h);
        basics_fields_free(&l);
    }
}

Test(collect, the_fields_are_the_ones_written_into_the_input)
{
    struct fields f = FIELDS_INIT;
    uint64_t users = HASH_FNV_START;
    size_t n = 1500;

    cr_assert(eq(int, collect_n(light_collect, n, &f), 0));
    cr_assert(eq(sz, f.bytes.len, n));
    for (size_t i = 0; i < n; i++) {
        char user[32];
        int len = snprintf(user, sizeof user, "user%06zu", i % 1000);
        users = hash_fnv(users, user, (size_t)len);
        cr_assert(eq(i64, f.bytes.v[i], basics_bytes_of(i)), "line %zu", i);
    }
    cr_assert(eq(u64, f.users, users));
    basics_fields_free(&f);
}

Test(collect, a_line_without_a_comma_is_all_user_and_zero_bytes)
{
    char text[] = "alice,5\nbob\n\ncarol,7", iobuf[64];
    struct fields h = FIELDS_INIT, l = FIELDS_INIT;
    uint64_t users = HASH_FNV_START;
    FILE *in;

    for (int i = 0; i < 2; i++) {
        in = basics_open(text, strlen(text), iobuf, sizeof iobuf);
        cr_assert(in != NULL);
        cr_assert(eq(int, (i == 0 ? heavy_collect : light_collect)(in, i == 0 ? &h : &l), 0));
        fclose(in);
    }
    cr_assert(basics_fields_equal(&h, &l));
    cr_assert(eq(sz, l.bytes.len, 4));
    cr_assert(eq(i64, l.bytes.v[0], 5));
    cr_assert(eq(i64, l.bytes.v[1], 0));
    cr_assert(eq(i64, l.bytes.v[2], 0));
    cr_assert(eq(i64, l.bytes.v[3], 7));
    users = hash_fnv(users, "alice", 5);
    users = hash_fnv(users, "bob", 3);
    users = hash_fnv(users, "carol", 5);
    cr_assert(eq(u64, l.users, users));
    basics_fields_free(&h);
    basics_fields_free(&l);
}

/* What getline mallocs for a short line when handed line = NULL (glibc: 120 bytes). */
static size_t getline_first_block(void)
{
    char text[] = "x\n", iobuf[16];
    FILE *in = basics_open(text, 2, iobuf, sizeof iobuf);
    struct countalloc_stats d;
    char *line = NULL;
    size_t size = 0;

    cr_assert(in != NULL);
    ALLOC_MEASURE(cr_assert(getline(&line, &size, in) == 2), d);
    cr_assert(eq(u64, d.mallocs, 1), "getline should make exactly one block");
    free(line);
    fclose(in);
    return (size_t)d.total_alloc;
}

Test(collect, heavy_makes_three_allocations_per_line_plus_one)
{
    size_t n = 1000, g = getline_first_block();
    size_t user = strlen("user000000") + 1;
    char *text, iobuf[256];
    struct fields f = FIELDS_INIT;
    size_t len;
    FILE *in;

    cr_assert(eq(int, basics_make_input(n, &text, &len), 0));
    in = basics_open(text, len, iobuf, sizeof iobuf);
    cr_assert(in != NULL);
    /* per line: a getline buffer, a strndup'd user, a realloc to len + 1; then one more
     * getline buffer for the call that finds the end of the stream */
    ASSERT_ALLOCS(heavy_collect(in, &f), 3 * n + 1,
                  (n + 1) * g + n * user + sizeof(int64_t) * n * (n + 1) / 2);
    fclose(in);
    free(text);
    basics_fields_free(&f);
}

Test(collect, light_makes_one_buffer_and_log2_n_array_allocations)
{
    size_t n = 1000, g = getline_first_block();
    unsigned k = ceil_log2(n);
    char *text, iobuf[256];
    struct fields f = FIELDS_INIT;
    size_t len;
    FILE *in;

    cr_assert(eq(int, basics_make_input(n, &text, &len), 0));
    in = basics_open(text, len, iobuf, sizeof iobuf);
    cr_assert(in != NULL);
    ASSERT_ALLOCS(light_collect(in, &f), 1 + (k + 1), g + 8 * (((size_t)2 << k) - 1));
    fclose(in);
    free(text);
    basics_fields_free(&f);
}

/* Allocations light_collect makes for text. */
static uint64_t light_allocs(const char *text)
{
    char copy[400], iobuf[64];
    struct fields f = FIELDS_INIT;
    struct countalloc_stats d;
    FILE *in;

    strcpy(copy, text);
    in = basics_open(copy, strlen(copy), iobuf, sizeof iobuf);
    cr_assert(in != NULL);
    ALLOC_MEASURE(cr_assert(eq(int, light_collect(in, &f), 0)), d);
    fclose(in);
    basics_fields_free(&f);
    return d.mallocs;
}

Test(collect, light_grows_its_line_buffer_only_for_a_longer_line)
{
    char one[400], four[400];

    memset(one, 'u', 300);
    strcpy(one + 300, ",1\n");
    strcpy(four, one);
    strcat(four, "short,2\nshort,3\nshort,4\n");
    /* the long line grows the line buffer as glibc sees fit; the three short lines after
     * it reuse that buffer, so they cost only the array's doublings from 1 to 2 to 4 */
    cr_assert(eq(u64, light_allocs(four), light_allocs(one) + 2));
}

Test(collect, the_input_is_made_with_exactly_one_allocation)
{
    char *text;
    size_t len;

    ASSERT_ALLOC_COUNT(basics_make_input(1000, &text, &len), 1);
    cr_assert(eq(sz, strlen(text), len));
    cr_assert(eq(int, strncmp(text, "user000000,0\nuser000001,7919\n", 29), 0));
    free(text);
}

struct collect_ctx {
    int (*fn)(FILE *in, struct fields *out);
    char *text;
    size_t len;
};

static int collect_job(void *ctx)
{
    struct collect_ctx *c = ctx;
    struct fields f = {{(int64_t *)&f, 42, 42, 42}, 42}; /* a sentinel: must stay as is */
    char iobuf[128];
    FILE *in = basics_open(c->text, c->len, iobuf, sizeof iobuf);
    int rc;

    if (in == NULL)
        return -1;
    rc = c->fn(in, &f);
    fclose(in);
    if (rc != 0)
        return f.users == 42 && f.bytes.len == 42 && f.bytes.v == (int64_t *)&f ? -1 : 0;
    basics_fields_free(&f);
    return 0;
}

Test(collect, both_survive_every_allocation_failure)
{
    struct collect_ctx c = {heavy_collect, NULL, 0};

    cr_assert(eq(int, basics_make_input(100, &c.text, &c.len), 0));
    ASSERT_SWEEP_CLEAN(collect_job, &c);
    c.fn = light_collect;
    ASSERT_SWEEP_CLEAN(collect_job, &c);
    free(c.text);
}

static int input_job(void *ctx)
{
    char *text = ctx;
    size_t len = 42;
    int rc = basics_make_input(100, &text, &len);

    if (rc != 0)
        return text == ctx && len == 42 ? -1 : 0;
    free(text);
    return 0;
}

Test(collect, making_the_input_survives_every_allocation_failure)
{
    char sentinel;

    ASSERT_SWEEP_CLEAN(input_job, &sentinel);
}

/* ---- libc's hidden allocations ---- */

static const struct hidden_probe *probe(const char *call)
{
    for (size_t i = 0; i < hidden_nprobes; i++) {
        if (strcmp(hidden_probes[i].call, call) == 0)
            return &hidden_probes[i];
    }
    cr_assert(0, "no probe named %s", call);
    return NULL;
}

Test(hidden, strdup_makes_one_block_of_strlen_plus_one)
{
    char *s;

    ASSERT_ALLOCS(s = strdup("user000042"), 1, strlen("user000042") + 1);
    free(s);
}

/* stdout's first printf allocates its buffer (main's first row); glibc sizes a stream's
 * buffer by what fstat says of the descriptor (st_blksize, up to BUFSIZ), so the row
 * differs between a pipe, a file and a terminal, and names which one it was. */
Test(hidden, a_streams_first_write_allocates_one_buffer_of_its_descriptors_st_blksize)
{
    int fd[2];
    struct stat st;
    FILE *f;

    cr_assert_eq(pipe(fd), 0);
    cr_assert_eq(fstat(fd[1], &st), 0);
    f = fdopen(fd[1], "w");
    cr_assert_not_null(f);
    ASSERT_ALLOCS(fputc('x', f), 1, (size_t)(st.st_blksize < BUFSIZ ? st.st_blksize : BUFSIZ));
    cr_assert_eq(fclose(f), 0);
    close(fd[0]);
}

Test(hidden, snprintf_into_the_callers_buffer_allocates_nothing)
{
    char buf[32];

    ASSERT_NO_ALLOCS(snprintf(buf, sizeof buf, "user%06d", 42));
    cr_assert(eq(str, buf, "user000042"));
}

Test(hidden, asprintf_allocates_what_snprintf_does_not_twice_before_glibc_2_37_once_since)
{
    char *s = NULL;
    int n;

    /* glibc <= 2.36: a working buffer, then the result copied into an exact one: 2
     * allocations, 1 free. glibc >= 2.37: formatted on the stack, then one exact malloc (platform.h). */
    ASSERT_ALLOC_COUNT(n = asprintf(&s, "user%06d", 42), platform_asprintf_short_allocs());
    cr_assert(eq(int, n, 10));
    cr_assert(eq(str, s, "user000042"));
    free(s);
}

Test(hidden, every_probe_measures_and_cleans_up)
{
    for (size_t i = 0; i < hidden_nprobes; i++) {
        struct countalloc_stats d;

        cr_assert(eq(int, hidden_probes[i].run(&d), 0), "%s", hidden_probes[i].call);
    }
}

Test(hidden, the_probes_see_what_the_calls_allocate)
{
    struct countalloc_stats d;

    cr_assert(eq(int, probe("strdup(s)")->run(&d), 0));
    cr_assert(eq(u64, d.mallocs, 1));
    cr_assert(eq(i64, d.heap_alloc, (int64_t)strlen("user000042") + 1),
              "strdup's copy is the caller's to free");
    cr_assert(eq(int, probe("snprintf(buf, size, fmt, ...)")->run(&d), 0));
    cr_assert(eq(u64, d.mallocs, 0));
    cr_assert(eq(int, probe("qsort, 100 int64_t")->run(&d), 0));
    cr_assert(eq(u64, d.mallocs, 0), "a small qsort sorts on the stack");
    cr_assert(eq(int, probe("getline(&line, &n, f)")->run(&d), 0));
    cr_assert(eq(u64, d.mallocs, 1));
    cr_assert(eq(u64, d.frees, 0), "the line is the caller's to free");
}

Test(hidden, a_large_qsort_takes_a_buffer_as_large_as_the_array)
{
    struct countalloc_stats d;

    SKIP_IN_SANITIZER_BUILD("ASan replaces qsort");
    cr_assert(eq(int, probe("qsort, 1,000,000 int64_t")->run(&d), 0));
    cr_assert(eq(u64, d.mallocs, 1));
    cr_assert(eq(u64, d.frees, 1));
    cr_assert(eq(u64, d.total_alloc, 1000000 * sizeof(int64_t)));
}

static int probe_job(void *ctx)
{
    struct countalloc_stats d;

    return ((const struct hidden_probe *)ctx)->run(&d);
}

Test(hidden, probes_that_can_fail_report_every_allocation_failure)
{
    /* the others absorb a failure: qsort sorts in place, a stream goes unbuffered, and
     * asprintf hands back its working buffer when the exact one fails, and open_memstream
     * keeps its buffer untrimmed when the trim fails */
    ASSERT_SWEEP_CLEAN(probe_job, (void *)probe("strdup(s)"));
    ASSERT_SWEEP_CLEAN(probe_job, (void *)probe("fopen(path, \"r\")"));
    ASSERT_SWEEP_CLEAN(probe_job, (void *)probe("getline(&line, &n, f)"));
}

/* ---- the program's arguments ---- */

/* Run PROG (main, demo/depth: beside the test binary) with ARGS; its exit status, and
 * the program's own stderr lines counted (beside.h). */
static int run_prog(const char *prog, const char *args, int *lines)
{
    static char out[OUT_MAX];
    int rc = run("", prog, args, out);

    *lines = lines_of(out);
    return rc;
}

static int run_main(const char *args, int *lines)
{
    return run_prog("main", args, lines);
}

Test(program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {
        "abc", "-5", "0", "99999999999999999999999", "1x", "--bogus", "10000001",
        "1 2 3 4 5 6 7 8", "--heavy 1 2", "--light --heavy",
    };

    for (size_t i = 0; i < cli_bad_cases(sizeof bad / sizeof bad[0]); i++) {
        int lines, rc = run_main(bad[i], &lines);
        cr_assert(eq(int, rc, 2), "main %s: exit status", bad[i]);
        cr_assert(eq(int, lines, 1), "main %s: lines on stderr", bad[i]);
    }
}

Test(program, good_arguments_run_quietly)
{
    int lines;

    cr_assert(eq(int, run_main("--heavy 10", &lines), 0));
    cr_assert(eq(int, lines, 0));
    cr_assert(eq(int, run_main("--light 1,000", &lines), 0), "commas are allowed in N");
}

/* The stack demo: a 1 KiB struct passed down by value or by pointer (big.h). */
static struct big big_ramp(void)
{
    struct big b;

    for (int i = 0; i < 128; i++)
        b.a[i] = i;
    return b;
}

Test(big, by_value_and_by_pointer_sum_the_same_levels)
{
    struct big b = big_ramp();

    /* levels 1..d read a[level % 128]: 1 + 2 + ... + 64 = 2,080 */
    cr_assert(eq(i64, big_depth_value(b, 64), 2080));
    cr_assert(eq(i64, big_depth_pointer(&b, 64), 2080));
    /* 129..200 wrap to a[1..72]: the sum of 1..127, 0 for 128, then 1..72 */
    cr_assert(eq(i64, big_depth_value(b, 200), big_depth_pointer(&b, 200)));
    cr_assert(eq(i64, big_depth_pointer(&b, 200), 127 * 128 / 2 + 72 * 73 / 2));
    cr_assert(eq(i64, big_depth_value(b, 1), 1), "one level reads a[1]");
}

Test(big, neither_way_allocates)
{
    struct big b = big_ramp();
    int64_t s1 = 0, s2 = 0;

    ASSERT_NO_ALLOCS(s1 = big_depth_value(b, 256));
    ASSERT_NO_ALLOCS(s2 = big_depth_pointer(&b, 256));
    cr_assert(eq(i64, s1, s2));
}

Test(big, the_depth_program_checks_its_arguments)
{
    static const char *const bad[] = {"abc", "0", "4097", "--bogus", "1 2", "--heavy --light"};
    int lines;

    for (size_t i = 0; i < cli_bad_cases(sizeof bad / sizeof bad[0]); i++) {
        cr_assert(eq(int, run_prog("demo/depth", bad[i], &lines), 2), "depth %s: exit status", bad[i]);
        cr_assert(eq(int, lines, 1), "depth %s: lines on stderr", bad[i]);
    }
    cr_assert(eq(int, run_prog("demo/depth", "--heavy 4096", &lines), 0), "4 MiB of copies fits the stack");
    cr_assert(eq(int, lines, 0));
}
