/* mremap.c: growing a big block (regrow.h). A block past glibc's mmap threshold, every
 * word written, grown to twice its size by realloc (glibc: mremap, the pages moved) and
 * by malloc + memcpy + free (std::vector's way and Go's append: every byte copied into
 * fresh pages), at MIB and at twice MIB: the page faults of each growth, whether the
 * address changed, whether the contents came through, what the counting allocator saw,
 * and the time. make mremap-01.
 *
 * Usage: mremap [MIB]. The block's first size in MiB (default 32, 32 to 1,024: from 32
 * MiB a block is mmap'd whatever glibc's threshold has risen to); it also grows from
 * twice MIB. */
#include <gnu/libc-version.h>
#include <stdio.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "cli.h"
#include "regrow.h"
#include "report.h"

#define PROG "mremap"
#define MIB ((size_t)1 << 20)
#define DEFAULT_MIB 32
#define MAX_MIB 1024
#define RUNS 3

static const char *const way_name[] = {"realloc", "malloc+memcpy+free"};

/* One way at one size, RUNS growths timed (one under Valgrind). step: the last run, its
 * faults the most any run took; r: the times. */
static void measure(size_t bytes, enum regrow_way way, struct regrow_step *step, struct report_run *r)
{
    unsigned runs = RUNNING_ON_VALGRIND ? 1 : RUNS;
    double ns[RUNS];
    uint64_t most = 0;

    for (unsigned k = 0; k < runs; k++) {
        if (regrow_grow(bytes, way, step) != 0)
            cli_oom(PROG, "growing the block");
        ns[k] = step->ns;
        most = step->faults > most ? step->faults : most;
        for (unsigned j = k; j > 0 && ns[j - 1] > ns[j]; j--) {
            double t = ns[j];
            ns[j] = ns[j - 1];
            ns[j - 1] = t;
        }
    }
    step->faults = most;
    *r = (struct report_run){.name = way_name[way], .ns = ns[runs / 2], .ns_min = ns[0],
                             .ns_max = ns[runs - 1], .runs = runs};
}

/* "32 MiB to 64 MiB" */
static void growth(size_t bytes, char *buf, size_t size)
{
    snprintf(buf, size, "%zu MiB to %zu MiB", bytes / MIB, 2 * bytes / MIB);
}

int main(int argc, char **argv)
{
    size_t bytes[2], page = (size_t)sysconf(_SC_PAGESIZE);
    struct regrow_step st[2][2];
    struct report_run r[2][2];
    char g[64], f[32], p0[32], p1[32], t0[48], t1[48], ratio[32];
    bool ok = true;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[MIB]");
    bytes[0] = (argc > 1 ? (size_t)cli_u64(PROG, "MIB", argv[1], REGROW_MMAP_ALWAYS / MIB, MAX_MIB) : DEFAULT_MIB) * MIB;
    bytes[1] = 2 * bytes[0];

    printf("glibc %s: a block of %zu MiB, every 8-byte word written, grown to twice its size two\n"
           "ways, then the same from %zu MiB. Past glibc's mmap threshold (%zu MiB at most), so the\n"
           "block has pages of its own; %zu KiB pages (transparent huge pages off for this process)\n",
           gnu_get_libc_version(), bytes[0] / MIB, bytes[1] / MIB, REGROW_MMAP_ALWAYS / MIB, page / 1024);
    if (RUNNING_ON_VALGRIND)
        printf("under Valgrind, whose realloc always allocates, copies and frees: no mremap\n");
    cli_flush_stdout();
    /* each way once first, not counted: the faults of the code's own first run (its pages
     * of machine code and of stack) */
    for (int w = 0; w < 2; w++)
        if (regrow_grow(bytes[0], (enum regrow_way)w, &st[0][w]) != 0)
            cli_oom(PROG, "growing the block");
    for (int s = 0; s < 2; s++)
        for (int w = 0; w < 2; w++)
            measure(bytes[s], (enum regrow_way)w, &st[s][w], &r[s][w]);

    printf("\n  %-22s %-20s %11s  %-11s  %-8s  %s\n", "growth", "way", "page faults", "new address",
           "contents", "counted");
    for (int s = 0; s < 2; s++)
        for (int w = 0; w < 2; w++) {
            const struct regrow_step *x = &st[s][w];
            bool counted = x->d.mallocs == 1 && x->d.frees == 1 && x->d.total_alloc == 2 * bytes[s];
            /* memcheck without --soname-synonyms=somalloc=nouserintercepts replaces the
             * counting allocator: nothing is counted, and that is no bug of the growth */
            bool uncounted = x->d.mallocs == 0 && x->d.frees == 0;

            ok &= x->intact && (counted || uncounted);
            growth(bytes[s], g, sizeof g);
            printf("  %-22s %-20s %11s  %-11s  %-8s  %s\n", g, way_name[w],
                   report_count(x->faults, f, sizeof f), x->moved ? "yes" : "no",
                   x->intact ? "intact" : "CHANGED", counted     ? "1 alloc, 1 free"
                   : uncounted ? "not counted (another malloc)"
                               : "NOT 1 + 1 (a bug)");
        }
    printf("  the old contents span %s pages at %zu MiB and %s at %zu MiB\n",
           report_count(bytes[0] / page, p0, sizeof p0), bytes[0] / MIB,
           report_count(bytes[1] / page, p1, sizeof p1), bytes[1] / MIB);

    printf("\ntime of the growth alone: the median of %u runs (min-max), and copy / realloc\n", r[0][0].runs);
    printf("  %-22s %-24s %-24s %s\n", "growth", way_name[REGROW_REALLOC], way_name[REGROW_COPY], "copy/realloc");
    for (int s = 0; s < 2; s++) {
        growth(bytes[s], g, sizeof g);
        printf("  %-22s %-24s %-24s %s\n", g, report_time_spread(&r[s][REGROW_REALLOC], t0, sizeof t0),
               report_time_spread(&r[s][REGROW_COPY], t1, sizeof t1),
               report_time_ratio(&r[s][REGROW_COPY], &r[s][REGROW_REALLOC], ratio, sizeof ratio));
    }
    for (int w = 0; w < 2; w++)
        printf("  %s from %zu MiB / from %zu MiB: %s / %s = %s\n", way_name[w], bytes[1] / MIB,
               bytes[0] / MIB, report_duration(r[1][w].ns, t1, sizeof t1),
               report_duration(r[0][w].ns, t0, sizeof t0), report_time_ratio(&r[1][w], &r[0][w], ratio, sizeof ratio));
    return ok ? 0 : 1;
}
