/* calloc.c: calloc against malloc + memset (zeroed.h): the overflow check, the pages a
 * big calloc leaves untouched, what zeroing costs each way, and glibc's tcache, which a
 * small calloc skips. make calloc-01. Takes no arguments. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "countalloc.h"
#include "report.h"
#include "zeroed.h"

#define PROG "calloc"
#define MIB ((size_t)1 << 20)
#define BIG (64 * MIB)   /* past glibc's mmap threshold, whatever it has grown to */
#define SMALL 64         /* bytes: a tcache size */
#define SMALL_COUNT 100000
#define TCACHE_SIZE 100  /* bytes */

static _Noreturn void oom(void)
{
    cli_oom(PROG, "zeroing blocks");
}

static void way_row(const char *call, const struct zeroed_way *w)
{
    char n[32], b[32];

    if (w->null)
        printf("  %-28s NULL, errno %-12s", call, w->err == ENOMEM ? "ENOMEM" : strerrorname_np(w->err));
    else
        printf("  %-28s %-24s", call, "a block");
    printf(" %s allocation%s", report_count(w->allocs, n, sizeof n), w->allocs == 1 ? "" : "s");
    if (w->allocs > 0)
        printf(" of %s bytes", report_count(w->bytes, b, sizeof b));
    putchar('\n');
}

/* The resident set's growth in whole MiB: the kernel's figure can lag by a few pages. */
static void step_row(const char *what, const struct zeroed_step *s, const char *note)
{
    char f[32];
    double mib = (double)s->rss / (double)MIB;

    printf("  %-34s %+8.0f MiB %12s   %s\n", what, mib < 0.5 && mib > -0.5 ? 0.0 : mib,
           report_count(s->faults, f, sizeof f), note);
}

/* memset against calloc+write, medians and ratio: whether writing calloc's block costs
 * what zeroing it by hand does. */
static void compare_writes(const struct report_run *memset_run, const struct report_run *write_run)
{
    char a[32], b[32], r[32];

    report_time_ratio(memset_run, write_run, r, sizeof r);
    printf("memset %s, calloc+write %s: %s%s\n", report_duration(memset_run->ns, a, sizeof a),
           report_duration(write_run->ns, b, sizeof b), r,
           report_runs_overlap(memset_run, write_run) ? ", the writes pay the faults calloc put off" : "");
}

/* fill's step on 64 MiB, measured on a second pass (see main). */
static void fill_step_warm(void *(*fill)(size_t), struct zeroed_step *out)
{
    if (zeroed_fill_step(fill, BIG, out) != 0 || zeroed_fill_step(fill, BIG, out) != 0)
        oom();
}

static void measure(const char *name, int (*fn)(void *), struct zeroed_job *job, struct report_run *out)
{
    if (report_measure(name, fn, job, out) != 0)
        oom();
}

int main(int argc, char **argv)
{
    struct zeroed_overflow o;
    struct zeroed_pages pg;
    struct zeroed_small sm;
    struct zeroed_step kept, o2;
    struct report_run runs[3];
    struct zeroed_job big = {.bytes = BIG}, small = {.bytes = SMALL, .count = SMALL_COUNT};
    size_t n = SIZE_MAX / 16 + 2; /* n * 16 is 2^64 + 16: it wraps to 16 */
    char nb[32];

    (void)argv;
    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 0, "(it takes none)");

    if (zeroed_overflow(n, 16, &o) != 0)
        oom();
    printf("n elements of 16 bytes, n = %s: n * 16 %s %zu\n", report_count(n, nb, sizeof nb),
           o.wrapped ? "overflows size_t and wraps to" : "is", o.product);
    way_row("calloc(n, 16)", &o.calloc_way);
    way_row("reallocarray(NULL, n, 16)", &o.reallocarray_way);
    way_row("malloc(n * 16)", &o.malloc_way);
    printf("  writing n elements into malloc's block runs off its end: calloc and reallocarray\n"
           "  check the product; malloc(n * size) needs the check written by hand.\n\n");

    /* the pages, each measured on a second pass, so that the code's own first faults
     * (its pages of machine code, mapped on first call) are not counted */
    if (zeroed_pages(BIG, &pg) != 0 || zeroed_pages(BIG, &pg) != 0)
        oom();
    fill_step_warm(zerofill_kept, &kept);
    fill_step_warm(zerofill_o2, &o2);
    printf("64 MiB zeroed two ways: a block this big is mmap'd, and the kernel hands out new\n"
           "pages zeroed (what the process's memory did at each step)\n");
    printf("  %-34s %12s %12s\n", "", "resident set", "page faults");
    step_row("calloc(1, 64 MiB)", &pg.calloc_step, "calloc wrote nothing: no page is used");
    step_row("then a byte of every page read", &pg.read_step, "each maps the kernel's shared zero page");
    step_row("then a byte of every page written", &pg.write_step, "each gets a page of its own");
    step_row("malloc(64 MiB), memset(p, 0, n)", &kept, "memset writes every page");
    step_row("the same, built by gcc -O2 alone", &o2, "gcc made the two calls one calloc");
    printf("  every byte calloc returned reads 0: %s\n\n", pg.calloc_zero ? "yes" : "NO (a bug)");

    printf("time to zero 64 MiB and free it (memset: malloc, then memset(p, 0, n); calloc+write:\n"
           "calloc, then every byte written; calloc: calloc alone)\n");
    measure("memset", zeroed_malloc_memset_job, &big, &runs[0]);
    measure("calloc+write", zeroed_calloc_write_job, &big, &runs[1]);
    measure("calloc", zeroed_calloc_job, &big, &runs[2]);
    report_table(stdout, runs, 3);
    compare_writes(&runs[0], &runs[1]);

    printf("\n%s blocks of %d bytes, each allocated, its last byte read, and freed\n",
           report_count(SMALL_COUNT, nb, sizeof nb), SMALL);
    measure("memset", zeroed_small_memset_job, &small, &runs[0]);
    measure("calloc", zeroed_small_calloc_job, &small, &runs[1]);
    report_table(stdout, runs, 2);

    if (zeroed_small(TCACHE_SIZE, &sm) != 0)
        oom();
    printf("\nglibc's own malloc and calloc of %d bytes, each right after a free of %d bytes:\n",
           TCACHE_SIZE, TCACHE_SIZE);
    printf("  malloc(%d)     %s\n", TCACHE_SIZE,
           sm.malloc_reuses ? "takes the freed block back (from the thread's tcache)" : "takes another block");
    printf("  calloc(1, %d)  %s; it reads 0: %s\n", TCACHE_SIZE,
           sm.calloc_reuses ? "takes the freed block back" : "takes another block: calloc skips the tcache",
           sm.calloc_zero ? "yes" : "NO (a bug)");
    return pg.calloc_zero && sm.calloc_zero ? 0 : 1;
}
