/* sbsmall.c: short strings without an allocation. A text of each length built one byte
 * at a time in struct sb (sb.h), which allocates on its first append, and in struct sbs
 * (sbsmall.h), which keeps the text in a 32-byte buffer inside the struct until it
 * outgrows it: the allocations and bytes of each. Then many short strings built each
 * way, timed (report.h: the median of several runs and their spread). make sbsmall-05.
 * Takes no arguments. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "countalloc.h"
#include "report.h"
#include "sb.h"
#include "sbsmall.h"

#define PROG "sbsmall"
#define PART "user:"    /* each short string: 3 parts of 5 bytes */
#define PARTS 3
#define SHORT_COUNT 100000

static const size_t lengths[] = {1, 15, 31, 32, 100, 1000};

static _Noreturn void oom(void)
{
    cli_oom(PROG, "building a string");
}

static char byte_at(size_t i)
{
    return (char)('a' + i % 26);
}

/* A text of len bytes, one byte at a time, in each builder: what it allocated, and its
 * text's first and last bytes checked. */
struct built {
    struct countalloc_stats d;
    int inline_after; /* struct sbs only: the text is still in the struct */
    int same;         /* the text is the expected one */
};

static int text_ok(const char *s, size_t n, size_t len)
{
    if (n != len || strlen(s) != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] != byte_at(i))
            return 0;
    return 1;
}

static void build_sb(size_t len, struct built *out)
{
    struct sb b = SB_INIT;
    struct countalloc_stats start;
    int rc = 0;

    countalloc_measure_begin(&start);
    for (size_t i = 0; i < len && rc == 0; i++)
        rc = sb_putc(&b, byte_at(i));
    out->d = countalloc_measure_end(&start);
    out->same = rc == 0 && text_ok(sb_str(&b), b.len, len);
    out->inline_after = 0;
    sb_free(&b);
    if (rc != 0)
        oom();
}

static void build_sbs(size_t len, struct built *out)
{
    struct sbs b = SBS_INIT;
    struct countalloc_stats start;
    int rc = 0;

    countalloc_measure_begin(&start);
    for (size_t i = 0; i < len && rc == 0; i++)
        rc = sbs_putc(&b, byte_at(i));
    out->d = countalloc_measure_end(&start);
    out->same = rc == 0 && text_ok(sbs_str(&b), sbs_len(&b), len);
    out->inline_after = sbs_is_inline(&b);
    sbs_free(&b);
    if (rc != 0)
        oom();
}

/* The timed jobs: SHORT_COUNT strings of PARTS parts, each built in a fresh builder,
 * its last byte read, and freed. */
struct short_job {
    unsigned sink; /* what was read, so that the reads stay */
};

static int sb_short_job(void *ctx)
{
    struct short_job *j = ctx;

    for (int i = 0; i < SHORT_COUNT; i++) {
        struct sb b = SB_INIT;

        for (int k = 0; k < PARTS; k++)
            if (sb_puts(&b, PART) != 0) {
                sb_free(&b);
                return -1;
            }
        j->sink += (unsigned char)sb_str(&b)[b.len - 1];
        sb_free(&b);
    }
    return 0;
}

static int sbs_short_job(void *ctx)
{
    struct short_job *j = ctx;

    for (int i = 0; i < SHORT_COUNT; i++) {
        struct sbs b = SBS_INIT;

        for (int k = 0; k < PARTS; k++)
            if (sbs_puts(&b, PART) != 0) {
                sbs_free(&b);
                return -1;
            }
        j->sink += (unsigned char)sbs_str(&b)[sbs_len(&b) - 1];
        sbs_free(&b);
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct report_run runs[2];
    struct short_job job = {0};
    int all_same = 1;
    char c1[32], c2[32], c3[32], c4[32], r[32];

    (void)argv;
    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 0, "(it takes none)");

    printf("a text of L bytes built one byte at a time: struct sb (sb.h) against struct sbs\n"
           "(sbsmall.h), whose text stays in a %d-byte buffer inside the struct while it fits\n",
           SBS_INLINE);
    printf("  %8s   %20s   %20s\n", "", "struct sb", "struct sbs");
    printf("  %8s   %10s %9s   %10s %9s   %s\n", "L", "allocs", "bytes", "allocs", "bytes",
           "where sbs's text ends");
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        struct built p, s;

        build_sb(lengths[i], &p);
        build_sbs(lengths[i], &s);
        all_same &= p.same && s.same;
        printf("  %8s   %10s %9s   %10s %9s   %s\n", report_count(lengths[i], c1, sizeof c1),
               report_count(p.d.mallocs, c2, sizeof c2), report_count(p.d.total_alloc, c3, sizeof c3),
               report_count(s.d.mallocs, c4, sizeof c4),
               report_count(s.d.total_alloc, r, sizeof r),
               s.inline_after ? "inline, in the struct" : "on the heap");
    }
    printf("  the same text both ways: %s\n\n", all_same ? "yes" : "NO (a bug)");

    printf("%s strings of %d bytes (%d parts of %zu), each built in a fresh builder, read and\n"
           "freed: sb allocates and frees once per string, sbs never\n",
           report_count(SHORT_COUNT, c1, sizeof c1), PARTS * (int)strlen(PART), PARTS, strlen(PART));
    if (report_measure("sb", sb_short_job, &job, &runs[0]) != 0 ||
        report_measure("sbs", sbs_short_job, &job, &runs[1]) != 0)
        oom();
    report_table(stdout, runs, 2);
    report_time_ratio(&runs[0], &runs[1], r, sizeof r);
    printf("medians: sb %s, sbs %s: ", report_duration(runs[0].ns, c1, sizeof c1),
           report_duration(runs[1].ns, c2, sizeof c2));
    if (report_runs_overlap(&runs[0], &runs[1]))
        printf("~1x, the runs overlap: no measurable difference\n");
    else
        printf("sb takes %s sbs's time\n", r);
    return all_same ? 0 : 1;
}
