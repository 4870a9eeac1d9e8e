/* test_exercise.c: the lines the sink receives, the writer's exact allocations for short
 * and long lines, and its behaviour when memory runs out. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

#define MANY 1000

/* The sink: every line appended to a fixed buffer, and counted. */
struct collected {
    char text[256];
    size_t used;
    size_t lines;
};

static void collect(const char *line, size_t len, void *arg)
{
    struct collected *c = arg;

    if (c->used + len < sizeof c->text) {
        memcpy(c->text + c->used, line, len);
        c->used += len;
        c->text[c->used] = '\0';
    }
    c->lines++;
}

static struct rec many[MANY];

static void fill_many(void)
{
    for (int i = 0; i < MANY; i++)
        many[i] = (struct rec){"requests", i};
}

Test(lines, each_record_becomes_one_line)
{
    static const struct rec recs[] = {{"ada", 36}, {"grace", -85}, {"linus", 0}};
    struct collected c = {.used = 0, .lines = 0};

    cr_assert(eq(int, emit_lines(recs, 3, collect, &c), 0));
    cr_assert(eq(sz, c.lines, 3));
    cr_assert(eq(str, c.text, "ada: 36\ngrace: -85\nlinus: 0\n"));
}

Test(lines, a_thousand_short_lines_share_one_allocation)
{
    struct collected c = {.used = 0, .lines = 0};
    int rc = 0;

    fill_many();
    ASSERT_ALLOCS(rc = emit_lines(many, MANY, collect, &c), 1, SB_MIN_CAP);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(sz, c.lines, MANY));
}

Test(lines, one_long_line_grows_the_shared_builder_once)
{
    char name[100];
    struct collected c = {.used = 0, .lines = 0};
    int rc = 0;

    fill_many();
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    many[10].name = name; /* 99 + ": 10\n": 104 bytes, more than SB_MIN_CAP */
    ASSERT_ALLOCS(rc = emit_lines(many, MANY, collect, &c), 2, SB_MIN_CAP + 2 * SB_MIN_CAP);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(sz, c.lines, MANY));
}

static int job(void *ctx)
{
    struct collected c = {.used = 0, .lines = 0};

    (void)ctx;
    fill_many();
    return emit_lines(many, 50, collect, &c);
}

Test(lines, running_out_of_memory_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(job, NULL);
}
