/* realloc.c: realloc's corners as glibc does them (corners.h): realloc(p, 0), shrinking,
 * growing in place or not, and what `p = realloc(p, n)` loses when realloc refuses.
 * make realloc-01. Takes no arguments. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "countalloc.h"
#include "corners.h"
#include "report.h"

#define PROG "realloc"
#define MIB ((size_t)1 << 20)

static _Noreturn void oom(void)
{
    cli_oom(PROG, "trying realloc's corners");
}

static void move_row(const char *what, size_t from, size_t to, bool fence)
{
    struct corners_move m;
    char a[32], b[32];

    if (corners_realloc_move(from, to, fence, &m) != 0)
        oom();
    printf("  %-24s %-22s %-14s %10s -> %s%s\n", what, fence ? "a live block after p" : to > from ? "free space after p" : "",
           m.in_place ? "the same p" : "a new address", report_count(m.chunk_before, a, sizeof a),
           report_count(m.chunk_after, b, sizeof b), m.mmapped_before ? " (mmap'd: mremap)" : "");
}

int main(int argc, char **argv)
{
    struct corners_zero z;
    struct corners_lost l;

    (void)argv;
    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 0, "(it takes none)");
    if (corners_realloc_zero(100, &z) != 0)
        oom();
    printf("realloc(p, 0), p a block of 100 bytes (glibc's own realloc):\n");
    printf("  returns %s; p is %s\n", z.returned_null ? "NULL" : "a block",
           z.freed ? "freed (the next malloc(100) hands it out again)" : "still allocated");
    printf("  C17: implementation-defined (another C library may return a small block);\n"
           "  C23: undefined. Portable code never calls it: free(p) says what it means.\n\n");

    printf("  %-24s %-22s %-14s %s\n", "realloc(p, n)", "", "returns", "glibc's chunk, bytes: before -> after");
    move_row("1,000 B to 100 B", 1000, 100, false);
    move_row("64 MiB to 100 B", 64 * MIB, 100, false);
    move_row("1,000 B to 2,500 B", 1000, 2500, false);
    move_row("1,000 B to 2,500 B", 1000, 2500, true);

    if (corners_realloc_lose(100, SIZE_MAX / 4, &l) != 0)
        oom();
    printf("\np = realloc(p, SIZE_MAX / 4), p a block of 100 bytes:\n");
    printf("  p is now %s; the old block is %s, %s; blocks live that nothing points to: %lld\n",
           l.p_null ? "NULL" : "a block", l.block_intact ? "intact" : "changed",
           l.live_blocks > 0 ? "still allocated" : "freed", (long long)l.live_blocks);
    printf("  the fix: tmp = realloc(p, n); if (tmp == NULL) { p is still yours } else p = tmp;\n");
    return 0;
}
