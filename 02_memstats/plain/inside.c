/* inside.c: glibc's malloc from inside, one section per question, each in a fresh child
 * process so that one section's frees do not move the next one's thresholds. Built
 * without the counting allocator (lesson.mk): every block is glibc's own, with glibc's
 * chunk header in front of it (inside.h reads it). make inside-02 runs it.
 *
 *   inside [align|threshold|bins|arenas|trim]   one section; all of them by default */
#include <malloc.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "countalloc.h"
#include "procfs.h"
#include "report.h"
#include "inside.h"

#define PROG "inside"
#define MIB (1024.0 * 1024.0)

static char *group(uint64_t n, char *buf)
{
    return report_count(n, buf, 32);
}

static const char *where(const void *p)
{
    return platform_chunk_of(p).mmapped ? "mmap'd (pages of its own)" : "heap (brk)";
}

static _Noreturn void oom(void)
{
    cli_oom(PROG, "allocating the section's blocks");
}

/* ---- align: the smallest block, the alignment, the header ---- */

static int section_align(void)
{
    void *zero = malloc(0);
    bool aligned = true, minimum = true, formula = true;
    char a[32], b[32];

    if (zero == NULL)
        oom();
    printf("the smallest block and the alignment\n");
    printf("  malloc(0) returns a block of its own: %zu usable bytes in a %zu-byte chunk\n",
           malloc_usable_size(zero), platform_chunk_of(zero).size);
    for (size_t n = 1; n <= 1024; n++) {
        void *p = malloc(n);
        size_t chunk, want = (n + sizeof(size_t) + 15) & ~(size_t)15;

        if (p == NULL) {
            free(zero);
            oom();
        }
        chunk = platform_chunk_of(p).size;
        aligned = aligned && (uintptr_t)p % alignof(max_align_t) == 0;
        minimum = minimum && chunk >= 32;
        formula = formula && chunk == (want < 32 ? 32 : want);
        free(p);
    }
    printf("  malloc(1) to malloc(1,024): every block %zu-byte aligned (alignof(max_align_t)): %s\n",
           alignof(max_align_t), aligned ? "yes" : "NO");
    printf("  every chunk is the request + %zu bytes of size field, rounded up to 16, at least 32: %s\n",
           sizeof(size_t), formula && minimum ? "yes" : "NO");
    printf("  so a request of %s bytes costs %s bytes of heap, and malloc(0) costs as much as malloc(24)\n",
           group(1, a), group(platform_chunk_of(zero).size, b));
    free(zero);
    return 0;
}

/* ---- threshold: brk or mmap, and the threshold that moves ---- */

static void step(const char *what, const void *p, const char *brk_before)
{
    char c[32];

    printf("  %-32s %11s  %-26s  heap grew: %s\n", what, group(platform_chunk_of(p).size, c),
           where(p), (const char *)sbrk(0) != brk_before ? "yes" : "no");
}

static int section_threshold(void)
{
    const size_t big = 200000, huge = (size_t)64 << 20;
    char *top;
    void *p;
    char c[32];

    printf("brk or mmap: the mmap threshold starts at 128 KiB and moves\n");
    printf("  %-32s %11s  %-26s\n", "request", "chunk", "served from");
    top = sbrk(0);
    if ((p = malloc(big)) == NULL)
        oom();
    step("malloc(200,000), the first", p, top);
    printf("  free(): its chunk (%s B) becomes the new threshold, twice that the trim threshold\n",
           group(platform_chunk_of(p).size, c));
    free(p);
    top = sbrk(0);
    if ((p = malloc(big)) == NULL)
        oom();
    step("malloc(200,000), the same again", p, top);
    free(p);
    top = sbrk(0);
    if ((p = malloc(huge)) == NULL)
        oom();
    step("malloc(64 MiB)", p, top);
    free(p);
    printf("  free(): past 32 MiB (its ceiling on 64-bit) the threshold stays where it was\n");
    top = sbrk(0);
    if ((p = malloc(huge)) == NULL)
        oom();
    step("malloc(64 MiB), the same again", p, top);
    free(p);
    return 0;
}

/* ---- bins: the tcache, the fastbins, merging ---- */

#define FREED 10
#define TCACHE 7 /* chunks per size in the tcache (glibc.malloc.tcache_count) */

static int section_bins(void)
{
    static const size_t sizes[] = {100, 200};
    char a[32], b[32];

    printf("tcache and bins: %d blocks of one size freed in a row, a live block after them\n", FREED);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        void *blk[FREED], *guard, *again;
        struct mallinfo2 before, after;
        size_t chunk;
        int got;

        for (got = 0; got < FREED; got++)
            if ((blk[got] = malloc(sizes[s])) == NULL)
                break;
        guard = got == FREED ? malloc(sizes[s]) : NULL; /* keeps the last one off the top */
        if (guard == NULL) {
            while (got > 0)
                free(blk[--got]);
            oom();
        }
        chunk = platform_chunk_of(blk[0]).size;
        before = mallinfo2();
        for (int i = 0; i < FREED; i++)
            free(blk[i]);
        after = mallinfo2();
        printf("  malloc(%zu), %s-byte chunks: %zu kept in the tcache (mallinfo2 counts them in use),\n",
               sizes[s], group(chunk, a), (size_t)(after.uordblks - (before.uordblks - FREED * chunk)) / chunk);
        if (after.smblks > before.smblks)
            printf("    %zu in a fastbin, unmerged (smblks %zu, fsmblks %s B)\n",
                   after.smblks - before.smblks, after.smblks - before.smblks,
                   group(after.fsmblks - before.fsmblks, b));
        else
            printf("    the rest merged into %zu free chunk%s of %s B (ordblks, fordblks)\n",
                   after.ordblks - before.ordblks, after.ordblks - before.ordblks == 1 ? "" : "s",
                   group(after.fordblks - before.fordblks, b));
        again = malloc(sizes[s]);
        printf("    the next malloc(%zu) returns the last block the tcache took (it is a stack): %s\n",
               sizes[s], again == blk[TCACHE - 1] ? "yes" : "no");
        free(again);
        free(guard);
    }
    printf("  the tcache: %d chunks per size, requests up to 1,032 B; fastbins: chunks up to 128 B\n",
           TCACHE);
    return 0;
}

/* ---- arenas: one per thread, and M_ARENA_MAX ---- */

#define THREADS 4

static int section_arenas(void)
{
    struct inside_threads_seen def, one;

    if (inside_threads_in_child(0, THREADS, 1000, &def) != 0 ||
        inside_threads_in_child(1, THREADS, 1000, &one) != 0) {
        fprintf(stderr, "%s: the threads' run failed\n", PROG);
        return 1;
    }
    printf("arenas: %d threads alive at once, each mallocs 1,000 B (thread stacks of %d KiB)\n",
           THREADS, INSIDE_STACK / 1024);
    printf("  %-26s %8s %26s %16s\n", "", "arenas", "blocks from a thread arena",
           "address space");
    printf("  %-26s %8d %26d %12.0f MiB\n", "default (8 per core)", def.arenas, def.other_arena,
           def.vmsize / MIB);
    printf("  %-26s %8d %26d %12.0f MiB\n", "mallopt(M_ARENA_MAX, 1)", one.arenas, one.other_arena,
           one.vmsize / MIB);
    printf("  each thread's arena reserves %.0f MiB of address space; it touches a few pages of it\n",
           (double)(def.vmsize - one.vmsize) / (def.arenas - one.arenas) / MIB);
    return 0;
}

/* ---- trim: why RSS stays up, and what malloc_trim gives back ---- */

#define TRIM_N 20000
#define TRIM_SIZE 1000
#define PIN_SIZE 4096 /* past the tcache: its free merges with its neighbours */

static void trim_row(const char *what, uint64_t rss0, const char *brk0)
{
    struct mallinfo2 mi = mallinfo2();
    uint64_t size, rss;

    procfs_self_vm(&size, &rss);
    printf("  %-30s %10.0f MiB %10.0f MiB %10.0f MiB\n", what, mi.uordblks / MIB,
           ((const char *)sbrk(0) - brk0) / MIB, ((double)rss - (double)rss0) / MIB);
}

static int section_trim(void)
{
    static void *blk[TRIM_N];
    uint64_t size0, rss0;
    const char *brk0 = sbrk(0);
    void *pin;
    char a[32], b[32], c[32];

    procfs_self_vm(&size0, &rss0);
    printf("malloc_trim and RSS: %s blocks of %s B, then one of %s B above them\n",
           group(TRIM_N, a), group(TRIM_SIZE, b), group(PIN_SIZE, c));
    printf("  %-30s %14s %14s %14s\n", "", "in use", "heap (brk)", "RSS");
    for (int i = 0; i < TRIM_N; i++)
        if ((blk[i] = malloc(TRIM_SIZE)) == NULL) {
            while (i > 0)
                free(blk[--i]);
            oom();
        }
    if ((pin = malloc(PIN_SIZE)) == NULL) {
        for (int i = 0; i < TRIM_N; i++)
            free(blk[i]);
        oom();
    }
    for (int i = 0; i < TRIM_N; i++)
        memset(blk[i], 1, TRIM_SIZE); /* touched: the pages are resident */
    trim_row("allocated, written", rss0, brk0);
    for (int i = 0; i < TRIM_N; i++)
        free(blk[i]);
    trim_row("all freed but the one above", rss0, brk0);
    malloc_trim(0);
    trim_row("malloc_trim(0)", rss0, brk0);
    free(pin);
    trim_row("the one above freed too", rss0, brk0);
    return 0;
}

/* ---- the sections, each in a child ---- */

static const struct {
    const char *name;
    int (*run)(void);
} sections[] = {
    {"align", section_align},   {"threshold", section_threshold}, {"bins", section_bins},
    {"arenas", section_arenas}, {"trim", section_trim},
};
#define NSECTIONS (sizeof sections / sizeof sections[0])

static int in_child(int (*run)(void))
{
    int status;
    pid_t pid;

    fflush(stdout);
    if ((pid = fork()) < 0) {
        perror(PROG ": fork");
        return 1;
    }
    if (pid == 0) {
        int rc = run();
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "%s: write error\n", PROG);
            rc = 1;
        }
        _exit(rc);
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return 1;
    return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
    int rc = 0;
    size_t which = NSECTIONS;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[align|threshold|bins|arenas|trim]");
    if (argc == 2) {
        for (which = 0; which < NSECTIONS; which++)
            if (strcmp(argv[1], sections[which].name) == 0)
                break;
        if (which == NSECTIONS) {
            fprintf(stderr, "%s: SECTION must be one of align, threshold, bins, arenas, trim, got '%s'\n",
                    PROG, argv[1]);
            return 2;
        }
    }
    for (size_t s = 0; s < NSECTIONS && rc == 0; s++) {
        if (which != NSECTIONS && s != which)
            continue;
        if (which == NSECTIONS && s > 0)
            printf("\n");
        rc = in_child(sections[s].run);
    }
    return rc;
}
