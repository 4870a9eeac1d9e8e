/* mapfile.c: reading a whole file three ways (mapfile.h). It writes a file of text lines
 * in $TMPDIR (/var/tmp without it), does one job on it each way (count the lines, fold the
 * bytes into FNV-1a), says what each way allocated and what the process's pages did, then
 * what the kernel takes back when asked to reclaim them (MADV_PAGEOUT); it removes the
 * file whatever happens.
 *
 *   mapfile [KIB]    a file of KIB KiB (default 1024)
 *
 * make mapfile-02 runs it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mapfile.h"
#include "procfs.h"
#include "report.h"

#define PROG "mapfile"
#define DEFAULT_KIB 1024
#define MAX_KIB (256u << 10) /* 256 MiB */

static char input[4096]; /* the file's path, removed at exit */

static void remove_input(void)
{
    if (input[0] != '\0')
        unlink(input);
}

/* A change of bytes: "+1.0 MiB", "-4.0 KiB", "0 B". */
static char *signed_bytes(uint64_t to, uint64_t from, char *buf, size_t size)
{
    char b[32];

    if (to == from)
        snprintf(buf, size, "0 B");
    else
        snprintf(buf, size, "%c%s", to > from ? '+' : '-',
                 report_bytes((double)(to > from ? to - from : from - to), b, sizeof b));
    return buf;
}

static void measure(enum mapfile_way way, bool pageout, struct mapfile_cost *c)
{
    if (mapfile_measure(way, input, MAPFILE_BUF, pageout, c) == 0)
        return;
    if (errno == ENOMEM)
        cli_oom(PROG, mapfile_way_name(way)); /* exits: remove_input runs */
    fprintf(stderr, "%s: %s of %s: %s\n", PROG, mapfile_way_name(way), input, strerror(errno));
    exit(1);
}

static void row(const char *what, const struct mapfile_cost *c, double pages)
{
    char n[32], b[32], ha[32], hf[32], la[32], lf[32], r[32];

    printf("  %-24s %6s %10s  %10s %10s %7.2f  %10s %10s  %5s\n", what,
           report_count(c->heap.mallocs, n, sizeof n),
           report_bytes((double)c->heap.total_alloc, b, sizeof b),
           signed_bytes(c->held.anon, c->start.anon, ha, sizeof ha),
           signed_bytes(c->held.file, c->start.file, hf, sizeof hf),
           (double)(c->held.minflt - c->start.minflt) / pages,
           signed_bytes(c->left.anon, c->start.anon, la, sizeof la),
           signed_bytes(c->left.file, c->start.file, lf, sizeof lf),
           report_count(c->reads, r, sizeof r));
}

/* What MADV_PAGEOUT took back of the pages a way held. */
static void paged_row(const char *what, const struct mapfile_cost *c)
{
    char a[32], f[32];

    printf("  %-24s %14s %14s\n", what, signed_bytes(c->paged.anon, c->held.anon, a, sizeof a),
           signed_bytes(c->paged.file, c->held.file, f, sizeof f));
}

int main(int argc, char **argv)
{
    struct mapfile_cost c[MAPFILE_WAYS + 1], p[3];
    const char *dir = mapfile_dir();
    uint64_t kib = DEFAULT_KIB;
    char x[32], y[32], text[4096];
    double pages;
    bool same = true;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[KIB]");
    if (argc == 2)
        kib = cli_u64(PROG, "KIB", argv[1], 1, MAX_KIB);

    if (atexit(remove_input) != 0 || mapfile_make(dir, kib << 10, input, sizeof input) != 0) {
        fprintf(stderr, "%s: making a file of %llu KiB in %s: %s\n", PROG,
                (unsigned long long)kib, dir, strerror(errno));
        input[0] = '\0';
        return 1;
    }
    /* The first printf allocates stdout's buffer, the process's first malloc: glibc sets
     * up its heap then, not inside the first way measured. */
    printf("%s: one job three ways on a file of %s: count the lines and fold the bytes\n"
           "into FNV-1a. Heap from the counting allocator; RssAnon and RssFile from\n"
           "/proc/self/status, minor page faults from getrusage, each a change since the way began.\n\n",
           PROG, report_bytes((double)(kib << 10), x, sizeof x));
    for (int w = 0; w < MAPFILE_WAYS; w++)
        measure((enum mapfile_way)w, false, &c[w]);
    measure(MAPFILE_WHOLE, false, &c[MAPFILE_WAYS]); /* (a) again, in the same process */
    pages = (double)(kib << 10) / (double)sysconf(_SC_PAGESIZE);
    for (int w = 1; w <= MAPFILE_WAYS; w++)
        same = same && c[w].sum.digest == c[0].sum.digest && c[w].sum.lines == c[0].sum.lines &&
               c[w].sum.bytes == c[0].sum.bytes;

    printf("  %-24s %17s  %31s  %21s\n", "", "heap", "while it holds the file",
           "after it gave it back");
    printf("  %-24s %6s %10s  %10s %10s %7s  %10s %10s  %5s\n", "way", "allocs", "bytes",
           "RssAnon", "RssFile", "faults", "RssAnon", "RssFile", "reads");
    printf("  %-24s %6s %10s  %10s %10s %7s\n", "", "", "", "", "", "a page");
    for (int w = 0; w < MAPFILE_WAYS; w++)
        row(mapfile_way_name((enum mapfile_way)w), &c[w], pages);
    row("(a) again, same process", &c[MAPFILE_WAYS], pages);
    printf("\n  the same result each way: %s (%s lines, digest %016llx)\n",
           same ? "yes" : "NO (a bug)", report_count(c[0].sum.lines, y, sizeof y),
           (unsigned long long)c[0].sum.digest);

    /* What the kernel takes back: the block, then the mapping, asked to be reclaimed; then
     * the mapping again, whose pages must come back from the disk. */
    measure(MAPFILE_WHOLE, true, &p[0]);
    measure(MAPFILE_MAP, true, &p[1]);
    measure(MAPFILE_MAP, false, &p[2]);
    if (procfs_read("/proc/meminfo", text, sizeof text) != 0) {
        fprintf(stderr, "%s: reading /proc/meminfo: %s\n", PROG, strerror(errno));
        return 1;
    }
    printf("\nmadvise(MADV_PAGEOUT) on the pages each way holds, as memory pressure would reclaim\n"
           "them (this machine's swap: %s):\n",
           report_bytes((double)procfs_kib(text, "SwapTotal:"), x, sizeof x));
    printf("  %-24s %14s %14s\n", "way", "RssAnon", "RssFile");
    paged_row(mapfile_way_name(MAPFILE_WHOLE), &p[0]);
    paged_row(mapfile_way_name(MAPFILE_MAP), &p[1]);
    printf("  (b) mmap, once more: major faults (a page read from the disk) %s, the same\n"
           "  result: %s\n", report_count(p[2].held.majflt - p[2].start.majflt, x, sizeof x),
           p[2].sum.digest == c[0].sum.digest ? "yes" : "NO (a bug)");
    return same && p[2].sum.digest == c[0].sum.digest ? 0 : 1;
}
