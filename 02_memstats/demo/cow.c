/* cow.c: what fork costs in memory (cow.h). The parent fills a buffer and forks; the
 * child reads it, writes one byte in each of its pages, then makes a few small mallocs,
 * and reads its own and its parent's figures from /proc after each step.
 *
 *   cow [MIB]    a buffer of MIB MiB (default 32)
 *
 * make cow-02 runs it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cow.h"
#include "report.h"

#define PROG "cow"
#define DEFAULT_MIB 32
#define MAX_MIB 256
#define MIB (1024.0 * 1024.0)

static void mib(double bytes, char *buf, size_t size)
{
    snprintf(buf, size, "%.1f MiB", bytes / MIB);
}

/* One row of the sharing table: both processes' Rss and Pss of the buffer's mapping. */
static void share_row(const char *what, const struct cow_mem *parent, const struct cow_mem *child)
{
    char pr[32], pp[32], cr[32] = "-", cp[32] = "-", sr[32], sp[32];

    mib((double)parent->rss, pr, sizeof pr);
    mib((double)parent->pss, pp, sizeof pp);
    if (child != NULL) {
        mib((double)child->rss, cr, sizeof cr);
        mib((double)child->pss, cp, sizeof cp);
    }
    mib((double)(parent->rss + (child ? child->rss : 0)), sr, sizeof sr);
    mib((double)(parent->pss + (child ? child->pss : 0)), sp, sizeof sp);
    printf("  %-26s %9s %9s  %9s %9s  %9s %9s\n", what, pr, pp, cr, cp, sr, sp);
}

int main(int argc, char **argv)
{
    const struct cow_sample *at;
    struct cow_buf b;
    struct cow_report r;
    uint64_t mibs = DEFAULT_MIB;
    char x[32], y[32], z[48];
    double pages;
    int64_t grew;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[MIB]");
    if (argc == 2)
        mibs = cli_u64(PROG, "MIB", argv[1], 1, MAX_MIB);

    if (cow_buf_new(&b, (size_t)mibs << 20) != 0)
        cli_oom(PROG, "allocating the buffer");
    if (cow_fork_measure(&b, &r) != 0) {
        int err = errno;

        cow_buf_free(&b);
        if (err == ENOMEM)
            cli_oom(PROG, "in the child, making its small mallocs");
        fprintf(stderr, "%s: fork and measure: %s\n", PROG, strerror(err));
        return 1;
    }
    at = r.at;
    pages = (double)r.pages;

    printf("%s: fork shares every page copy-on-write. A %s buffer filled by the parent\n"
           "(%s pages of %ld KiB); the child reads it, writes one byte in each page, then makes\n"
           "%d mallocs of %d B. /proc/PID/smaps (the buffer's mapping) and smaps_rollup (the\n"
           "whole process), read by the child after each step.\n\n",
           PROG, report_bytes((double)b.len, x, sizeof x), report_count(r.pages, y, sizeof y),
           sysconf(_SC_PAGESIZE) / 1024, COW_SMALL_ALLOCS, COW_SMALL_SIZE);

    printf("  %-26s %19s  %19s  %19s\n", "the buffer's mapping", "parent", "child",
           "the two added up");
    printf("  %-26s %9s %9s  %9s %9s  %9s %9s\n", "", "Rss", "Pss", "Rss", "Pss", "Rss", "Pss");
    share_row("before the fork", &r.parent_buf_before, NULL);
    share_row("after the fork", &at[COW_FORKED].parent_buf, &at[COW_FORKED].child_buf);
    share_row("(a) the child read it", &at[COW_READ].parent_buf, &at[COW_READ].child_buf);
    share_row("(b) the child wrote it", &at[COW_WRITE].parent_buf, &at[COW_WRITE].child_buf);

    printf("\n  %-36s %17s %19s\n", "what each step copied into the child", "Private_Dirty",
           "minor faults a page");
    printf("  %-36s %17s %19.2f\n", "(a) read every byte (the buffer's)",
           report_bytes((double)(at[COW_READ].child_buf.private_dirty -
                                 at[COW_FORKED].child_buf.private_dirty), x, sizeof x),
           (double)(at[COW_READ].minflt - at[COW_FORKED].minflt) / pages);
    printf("  %-36s %17s %19.2f\n", "(b) one byte a page (the buffer's)",
           report_bytes((double)(at[COW_WRITE].child_buf.private_dirty -
                                 at[COW_READ].child_buf.private_dirty), x, sizeof x),
           (double)(at[COW_WRITE].minflt - at[COW_READ].minflt) / pages);
    snprintf(z, sizeof z, "(c) %d mallocs (the whole child's)", COW_SMALL_ALLOCS);
    printf("  %-36s %17s %19s\n", z,
           report_bytes((double)(at[COW_SMALL].child.private_dirty -
                                 at[COW_WRITE].child.private_dirty), x, sizeof x), "-");
    printf("  (c) counted in the child: %llu mallocs of %llu B in all, %llu frees\n",
           (unsigned long long)r.small_mallocs, (unsigned long long)r.small_bytes,
           (unsigned long long)r.small_frees);

    printf("\nthe parent, after the child ended\n");
    printf("  its buffer, byte for byte as it filled it: %s (the sum of its bytes %s;\n"
           "  the child's copy after its writes: %s)\n", r.parent_intact ? "yes" : "NO (a bug)",
           report_count(r.parent_sum_after, x, sizeof x),
           report_count(r.sum_written, y, sizeof y));
    grew = (int64_t)(at[COW_WRITE].parent.rss - at[COW_READ].parent.rss);
    printf("  its Rss, whole, while the child wrote its copies: %s%s\n", grew < 0 ? "-" : "+",
           report_bytes((double)(grew < 0 ? -grew : grew), x, sizeof x));
    cow_buf_free(&b);
    return r.parent_intact ? 0 : 1;
}
