/* guard.c: a guard-page allocator (guard.h), what it catches and what it costs. It
 * probes the bytes past a 13-byte block, and the block after it is freed, with a SIGSEGV
 * handler in place (guard_probe): a block that ends at its guard page, one aligned to 16
 * bytes, and glibc's malloc. Then it allocates N blocks of 16 bytes each way, writes
 * them and frees them: the chunks or pages taken, the kernel's map entries, VmSize, VmRSS,
 * page faults and the time. --limit instead allocates guard blocks in a child until the
 * kernel refuses one (vm.max_map_count).
 *
 *   guard [--counted] [N]   N blocks (default 10,000); --counted leaves VmRSS, the faults
 *                           and the time out (they move from run to run), so what is left
 *                           is exact
 *   guard --limit           guard_malloc(16) until it fails, in a child
 *
 * make guard-02 runs it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "guard.h"
#include "platform.h"
#include "procfs.h"
#include "report.h"

#define PROG "guard"
#define DEFAULT_N 10000
#define MAX_N 20000 /* 2 map entries a block, each way: well inside vm.max_map_count */
#define SIZE 16
#define SMALL 13 /* the probed block: 3 bytes of slack when aligned to 16 */

static int full = 1; /* VmRSS, faults and time shown: not with --counted */

/* "SIGSEGV at p+13" or "no fault", for a probe of p + off. */
static const char *probe(unsigned char *p, size_t off, bool write, char *buf, size_t size)
{
    void *at;

    if (!guard_probe(p + off, write, &at))
        snprintf(buf, size, "no fault");
    else if ((unsigned char *)at == p + off && off == 0)
        snprintf(buf, size, "SIGSEGV at p");
    else if ((unsigned char *)at == p + off)
        snprintf(buf, size, "SIGSEGV at p+%zu", off);
    else
        snprintf(buf, size, "SIGSEGV at %p", at);
    return buf;
}

static void catches(void)
{
    char a[32], b[32], c[32], d[32];
    unsigned char *p[3];
    size_t usable;

    p[0] = guard_malloc(SMALL);
    p[1] = guard_alloc(SMALL, 16);
    p[2] = __libc_malloc(SMALL); /* glibc's malloc as it is, without the counting header */
    if (p[0] == NULL || p[1] == NULL || p[2] == NULL) {
        fprintf(stderr, "%s: a block of %d B: %s\n", PROG, SMALL, strerror(errno));
        exit(1);
    }
    usable = platform_glibc_usable_size(p[2]);
    printf("What each catches: a block of %d B at p, each byte probed with a SIGSEGV handler\n"
           "in place (guard_probe): p[%d] is the first byte past the end, p[16] the first\n"
           "past the 16-byte slot the block fills.\n\n", SMALL, SMALL);
    printf("  %-22s %18s %18s %18s %18s\n", "block", "write p[13]", "write p[15]",
           "write p[16]", "read p[0] freed");
    for (int i = 0; i < 3; i++) {
        static const char *const name[] = {"guard_malloc(13)", "guard_alloc(13, 16)",
                                           "glibc malloc(13)"};

        probe(p[i], SMALL, true, a, sizeof a);
        probe(p[i], 15, true, b, sizeof b);
        probe(p[i], 16, true, c, sizeof c);
        if (i < 2)
            guard_free(p[i]);
        else
            __libc_free(p[i]);
        probe(p[i], 0, false, d, sizeof d);
        printf("  %-22s %18s %18s %18s %18s\n", name[i], a, b, c, d);
    }
    printf("\n  slack before the guard page: %zu B at align 1, %zu B at align 16; glibc's\n"
           "  usable size of malloc(13): %zu B, and its free said nothing of the writes\n\n",
           guard_slack(SMALL, 1), guard_slack(SMALL, 16), usable);
}

/* The timed job: n blocks allocated, written, freed. */
struct job {
    enum guard_way way;
    void **ptrs;
    size_t n;
};

static int job(void *ctx)
{
    struct job *j = ctx;
    uint64_t taken;

    if (guard_fill(j->way, j->ptrs, j->n, SIZE, &taken) != 0)
        return -1;
    guard_empty(j->way, j->ptrs, j->n);
    return 0;
}

/* A change, signed: "+1.5 MiB", "-4.0 KiB", "0 B" for bytes; "+20,000", "-3", "0" else. */
static char *delta(uint64_t to, uint64_t from, bool bytes, char *buf, size_t size)
{
    uint64_t d = to > from ? to - from : from - to;
    char b[32];

    if (bytes)
        report_bytes((double)d, b, sizeof b);
    else
        report_count(d, b, 27);
    snprintf(buf, size, "%s%.27s", to > from ? "+" : to < from ? "-" : "", b);
    return buf;
}

static void costs(size_t n)
{
    struct guard_cost c[GUARD_WAYS];
    struct report_run r[GUARD_WAYS];
    struct job j = {.n = n};
    char t[32], m[32], v[32], s[32], f[32], lm[32], lv[32], ls[32], x[32], y[32];

    j.ptrs = malloc(n * sizeof *j.ptrs);
    if (j.ptrs == NULL)
        cli_oom(PROG, "allocating the block pointers");
    for (int w = 0; w < GUARD_WAYS; w++)
        if (guard_measure((enum guard_way)w, j.ptrs, n, SIZE, &c[w]) != 0) {
            fprintf(stderr, "%s: %s of %zu blocks: %s\n", PROG, guard_way_name((enum guard_way)w),
                    n, strerror(errno));
            exit(1);
        }
    printf("What %s blocks of %d B cost, each written, then all freed: glibc's chunks or the\n"
           "pages mapped (taken), the kernel's map entries (/proc/self/maps lines)%s\n"
           "%s; each a change since%sthe blocks were asked for.\n\n",
           report_count(n, x, sizeof x), SIZE, full ? ", VmSize and" : " and VmSize from",
           full ? "VmRSS from /proc/self/status, minor page faults from getrusage"
                : "/proc/self/status", full ? "\n" : " ");
    if (full) {
        printf("  %-20s %10s %35s   %s\n", "", "", "while held", "after the frees");
        printf("  %-20s %10s %9s %11s %11s %7s   %11s %9s %11s\n", "way", "taken", "entries",
               "VmSize", "VmRSS", "faults", "VmSize", "entries", "VmRSS");
    } else {
        printf("  %-20s %10s %21s   %s\n", "", "", "while held", "after the frees");
        printf("  %-20s %10s %9s %11s   %11s\n", "way", "taken", "entries", "VmSize", "VmSize");
    }
    for (int w = 0; w < GUARD_WAYS; w++) {
        report_bytes((double)c[w].taken, t, sizeof t);
        delta((uint64_t)c[w].held.maps, (uint64_t)c[w].start.maps, false, m, sizeof m);
        delta(c[w].held.vmsize, c[w].start.vmsize, true, v, sizeof v);
        delta(c[w].left.vmsize, c[w].start.vmsize, true, lv, sizeof lv);
        if (!full) {
            printf("  %-20s %10s %9s %11s   %11s\n", guard_way_name((enum guard_way)w), t, m,
                   v, lv);
            continue;
        }
        delta(c[w].held.vmrss, c[w].start.vmrss, true, s, sizeof s);
        report_count(c[w].held.minflt - c[w].start.minflt, f, sizeof f);
        /* freed blocks' entries merge with their neighbours as the kernel can */
        delta((uint64_t)c[w].left.maps, (uint64_t)c[w].start.maps, false, lm, sizeof lm);
        delta(c[w].left.vmrss, c[w].start.vmrss, true, ls, sizeof ls);
        printf("  %-20s %10s %9s %11s %11s %7s   %11s %9s %11s\n",
               guard_way_name((enum guard_way)w), t, m, v, s, f, lv, lm, ls);
    }
    printf("\n  a guard block of %d B maps %zu pages (%s), the guard page included\n", SIZE,
           guard_pages(SIZE, 1), report_bytes((double)(guard_pages(SIZE, 1) * (size_t)sysconf(_SC_PAGESIZE)), y, sizeof y));
    if (full) {
        cli_flush_stdout();
        for (int w = 0; w < GUARD_WAYS; w++) {
            j.way = (enum guard_way)w;
            if (report_measure(guard_way_name(j.way), job, &j, &r[w]) != 0) {
                fprintf(stderr, "%s: timing %s: %s\n", PROG, guard_way_name(j.way), strerror(errno));
                exit(1);
            }
        }
        printf("\n  time for the %s blocks, allocated, written and freed (median of %u runs, and\n"
               "  the fastest and slowest), and against glibc's malloc:\n", x, r[0].runs);
        printf("  %-20s %30s\n", guard_way_name(GUARD_LIBC), report_time_spread(&r[0], t, sizeof t));
        for (int w = 1; w < GUARD_WAYS; w++)
            printf("  %-20s %30s  %6s\n", guard_way_name((enum guard_way)w),
                   report_time_spread(&r[w], t, sizeof t), report_time_ratio(&r[w], &r[0], v, sizeof v));
    }
    free(j.ptrs);
}

/* ---- --limit ---- */

static void limit(void)
{
    struct guard_limit l;
    char text[64], a[32], b[32], c[32], d[32];
    unsigned long max;

    if (procfs_read("/proc/sys/vm/max_map_count", text, sizeof text) != 0) {
        fprintf(stderr, "%s: --limit: /proc/sys/vm/max_map_count: %s\n", PROG, strerror(errno));
        exit(1);
    }
    max = strtoul(text, NULL, 10);
    if (max > GUARD_LIMIT_MAX) {
        printf("%s --limit: vm.max_map_count is %s here, past the %s this demo goes to: not run\n",
               PROG, report_count(max, a, sizeof a), report_count(GUARD_LIMIT_MAX, b, sizeof b));
        return;
    }
    if (guard_limit(&l) != 0) {
        fprintf(stderr, "%s: --limit: %s\n", PROG, strerror(errno));
        exit(1);
    }
    printf("%s --limit: guard_malloc(%d) in a child until it fails, nothing freed\n"
           "  vm.max_map_count                    %10s\n"
           "  map entries when the child began    %10s\n"
           "  guard blocks made                   %10s  (2 entries each)\n"
           "  map entries at the refusal          %10s\n"
           "  the refused one: %s, %s\n", PROG, GUARD_LIMIT_BLOCK,
           report_count(max, a, sizeof a), report_count((unsigned long long)l.before, b, sizeof b),
           report_count((unsigned long long)l.made, c, sizeof c),
           report_count((unsigned long long)l.after, d, sizeof d), strerror(l.err),
           l.after == l.before + 2 * l.made ? "nothing of it left mapped" : "SOME OF IT LEFT MAPPED (a bug)");
    if (l.after != l.before + 2 * l.made)
        exit(1);
}

int main(int argc, char **argv)
{
    uint64_t n = DEFAULT_N;
    int arg = 1;

    cli_close_stdout_at_exit(PROG);
    if (cli_flag(argc, argv, "--limit")) {
        cli_max_args(PROG, argc, 1, "--limit");
        limit();
        return 0;
    }
    full = !cli_flag(argc, argv, "--counted");
    arg = 2 - full;
    cli_max_args(PROG, argc - (arg - 1), 1, "[--counted] [N] or --limit");
    if (argc > arg)
        n = cli_u64(PROG, "N", argv[arg], 1, MAX_N);
    printf("%s: a guard-page allocator (guard.h): each block a mapping of its own, the pages\n"
           "it needs and a PROT_NONE guard page after them, the block placed to end at it.\n\n",
           PROG);
    cli_flush_stdout();
    catches();
    costs((size_t)n);
    return 0;
}
