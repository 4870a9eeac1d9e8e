/* gcpace.c: what a collector's pacing costs, in C (gcpace.h). A live set of LIVE blocks
 * of 4 KiB stays while GARBAGE blocks go through it, each allocated, filled and dropped:
 * freed at once, then freed in batches the size a Go collector lets garbage build up to
 * (half the live set at GOGC=50, the live set at 100, twice it at 200, all of it when the
 * collector is off). The peak heap, counted, is the live set plus what waits to be freed;
 * VmHWM shows the pages.
 *
 *   gcpace [--counted] [LIVE [GARBAGE]]
 *       LIVE blocks live (default 256: 1 MiB), GARBAGE blocks of garbage (default 2,048:
 *       8 MiB); --counted leaves VmHWM out (its figures move by a few pages from run to
 *       run: the kernel counts a process's pages in batches), so that what is left is exact
 *
 * make gcpace-02 runs it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "gcpace.h"
#include "report.h"

#define PROG "gcpace"
#define DEFAULT_LIVE 256
#define DEFAULT_GARBAGE 2048
#define MAX_LIVE (1u << 20)       /* 4 GiB of live blocks */
#define MAX_GARBAGE (1ull << 30)  /* 4 TiB through them */

int main(int argc, char **argv)
{
    uint64_t live = DEFAULT_LIVE, garbage = DEFAULT_GARBAGE;
    const uint64_t block = GCPACE_BLOCK;
    char a[32], b[32], c[32], e[32];
    int bad = 0, counted = 1, pages, arg;

    cli_close_stdout_at_exit(PROG);
    pages = !cli_flag(argc, argv, "--counted");
    arg = 2 - pages;
    cli_max_args(PROG, argc - (arg - 1), 2, "[--counted] [LIVE [GARBAGE]]");
    if (argc > arg)
        live = cli_u64(PROG, "LIVE", argv[arg], 1, MAX_LIVE);
    if (argc > arg + 1)
        garbage = cli_u64(PROG, "GARBAGE", argv[arg + 1], 1, MAX_GARBAGE);

    struct {
        const char *name;
        uint64_t batch;
    } rows[] = {
        {"free at once", 1},
        {"batches of L/2 (GOGC=50)", live / 2 > 0 ? live / 2 : 1},
        {"batches of L (GOGC=100)", live},
        {"batches of 2L (GOGC=200)", 2 * live},
        {"all at the end (GOGC=off)", garbage},
    };

    printf("%s: a live set of L = %s blocks of %s B (%s), then %s garbage blocks\n"
           "through it, each allocated, filled and dropped: freed at once, or in batches as a\n"
           "collector frees them. Peak: the highest heap, counted%s\n\n", PROG,
           report_count(live, a, sizeof a), report_count(block, b, sizeof b),
           report_bytes((double)gcpace_live_bytes(live, block), c, sizeof c),
           report_count(garbage, e, sizeof e),
           pages ? "; VmHWM: the pages, from\n/proc/self/status (reset before each row)" : "");
    printf("  %-27s %9s %13s %15s%s\n", "garbage dropped", "batch", "peak heap", "over the live set",
           pages ? "   VmHWM grew" : "");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct gcpace_run r;
        uint64_t over, want = gcpace_in_flight(block, rows[i].batch, garbage);

        if (gcpace_measure(live, block, garbage, rows[i].batch, &r) != 0)
            cli_oom(PROG, "keeping the live set or sending the garbage through it");
        if (r.mallocs == 0)
            counted = 0; /* another allocator serves every block (Valgrind) */
        over = r.peak - gcpace_live_bytes(live, block);
        if (counted && (r.peak < gcpace_live_bytes(live, block) || over != want))
            bad = 1;
        printf("  %-27s %9s %13s %15s", rows[i].name, report_count(rows[i].batch, e, sizeof e),
               report_count(r.peak, a, sizeof a), report_count(over, b, sizeof b));
        if (pages)
            printf("   %11s", r.hwm_reset ? report_bytes((double)r.hwm_growth, c, sizeof c) : "-");
        printf("\n");
    }
    if (!counted)
        printf("\nnot counted: another allocator serves every block here (Valgrind's)\n");
    else
        printf("\npeak = the live set + one block (free at once), or + a batch of blocks and the\n"
               "array of their pointers, as worked out from L and the batch: %s\n",
               bad ? "NO (a bug)" : "yes");
    return bad;
}
