/* locality.c: why a linked list is slow, and what the allocator has to do with it. The
 * same list of N values (locality.h) built five ways, malloc in order, malloc shuffled,
 * malloc in an aged heap, an arena, and an array, and the same walk over each: how many
 * allocations and bytes each way took, how many next pointers lead to a node close ahead,
 * and the walk's time per node (report.h: the median of several runs and their spread)
 * against the array's. make locality-04.
 *
 * Usage: locality [N]. Without N, three sizes from this machine's caches; with N, that
 * one (1 to LOC_DEMO_MAX). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "countalloc.h"
#include "locality.h"
#include "report.h"

#define PROG "locality"
#define LOC_DEMO_MAX ((uint64_t)1 << 24) /* nodes: 256 MiB in an arena */
#define BIG_CAP ((size_t)1 << 23)        /* the largest size picked from the caches */
#define WALKED ((size_t)1 << 24)         /* nodes walked per timed run, at least one walk */
#define SEED 42

static _Noreturn void oom(void)
{
    cli_oom(PROG, "building a list");
}

/* A data or unified cache's size in bytes from /sys (the kernel's view), 0 if unknown. */
static long sys_cache_size(int level)
{
    for (int i = 0; i < 16; i++) {
        char path[96], lv[16] = "", type[32] = "", size[32] = "";
        const char *names[3] = {"level", "type", "size"};
        char *bufs[3] = {lv, type, size};
        int ok = 1;

        for (int k = 0; k < 3 && ok; k++) {
            FILE *f;
            snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/%s", i, names[k]);
            f = fopen(path, "r");
            ok = f != NULL && fgets(bufs[k], 16, f) != NULL;
            if (f != NULL)
                fclose(f);
        }
        if (ok && atoi(lv) == level && strncmp(type, "Instruction", 11) != 0) {
            char *end;
            long v = strtol(size, &end, 10);
            return *end == 'K' ? v << 10 : *end == 'M' ? v << 20 : v;
        }
    }
    return 0;
}

/* The cache of this level (1: level 1 data), sysconf's answer or else /sys's. */
static long cache_size(int level)
{
    static const int names[4] = {0, _SC_LEVEL1_DCACHE_SIZE, _SC_LEVEL2_CACHE_SIZE, _SC_LEVEL3_CACHE_SIZE};
    long v = sysconf(names[level]);

    return v > 0 ? v : sys_cache_size(level);
}

/* The timed job: the walk, repeated `reps` times. */
struct walk_job {
    const struct loc_list *l;
    size_t reps;
    uint64_t sum; /* the last walk's sum */
};

static int walk_job(void *ctx)
{
    struct walk_job *j = ctx;

    for (size_t r = 0; r < j->reps; r++)
        j->sum = loc_sum(j->l);
    return 0;
}

struct way_row {
    struct countalloc_stats built; /* what loc_build allocated */
    size_t near;                   /* next pointers close ahead */
    struct report_run walk;        /* the timed walks, scaled to ns per node */
    int same_sum;
};

static void measure_way(enum loc_way way, size_t n, struct way_row *row)
{
    struct loc_list l;
    struct countalloc_stats start;
    struct walk_job job;
    double per;
    int rc;

    countalloc_measure_begin(&start);
    rc = loc_build(&l, way, n, SEED);
    row->built = countalloc_measure_end(&start);
    if (rc != 0)
        oom();
    row->near = loc_near_links(&l);
    job = (struct walk_job){.l = &l, .reps = WALKED / n > 0 ? WALKED / n : 1};
    rc = report_measure(loc_way_name(way), walk_job, &job, &row->walk);
    row->same_sum = rc == 0 && job.sum == (uint64_t)n * (n - 1) / 2;
    loc_free(&l);
    per = 1.0 / ((double)job.reps * (double)n);
    row->walk.ns *= per;
    row->walk.ns_min *= per;
    row->walk.ns_max *= per;
}

/* "a / b: 2.5x (2.1 - 3.0)", or "~1x (0.9 - 1.2), no measurable difference" */
static void ratio_line(const struct way_row *rows, enum loc_way a, enum loc_way b)
{
    const struct report_run *x = &rows[a].walk, *y = &rows[b].walk;
    char r[32];

    printf("  %s / %s: %s (%.1f - %.1f)%s\n", loc_way_name(a), loc_way_name(b),
           report_time_ratio(x, y, r, sizeof r), x->ns_min / y->ns_max, x->ns_max / y->ns_min,
           report_runs_overlap(x, y) ? ", no measurable difference" : "");
}

static int show_size(size_t n, const char *why)
{
    struct way_row rows[LOC_WAYS];
    const struct report_run *arr = &rows[LOC_ARRAY].walk;
    int same = 1;
    char c1[32], c2[32], c3[32], r[32];

    for (int w = 0; w < LOC_WAYS; w++)
        measure_way((enum loc_way)w, n, &rows[w]);
    printf("\nN = %s nodes (%s of nodes, %s in an array)%s\n", report_count(n, c1, sizeof c1),
           report_bytes((double)n * sizeof(struct loc_node), c2, sizeof c2),
           report_bytes((double)n * sizeof(uint64_t), c3, sizeof c3), why);
    printf("  %-18s %11s %14s %7s   %-25s %s\n", "way", "allocs", "bytes", "near",
           "ns per node (spread)", "time / array's (range)");
    for (int w = 0; w < LOC_WAYS; w++) {
        const struct way_row *x = &rows[w];
        char t[64], q[64] = "1x";

        same &= x->same_sum;
        snprintf(t, sizeof t, "%.2f (%.2f - %.2f)", x->walk.ns, x->walk.ns_min, x->walk.ns_max);
        if (w != LOC_ARRAY) {
            report_time_ratio(&x->walk, arr, r, sizeof r);
            snprintf(q, sizeof q, "%s (%.1f - %.1f)", r, x->walk.ns_min / arr->ns_max,
                     x->walk.ns_max / arr->ns_min);
        }
        printf("  %-18s %11s %14s %6.1f%%   %-25s %s\n", loc_way_name((enum loc_way)w),
               report_count(x->built.mallocs, c1, sizeof c1),
               report_count(x->built.total_alloc, c2, sizeof c2),
               n > 1 ? 100.0 * (double)x->near / (double)(n - 1) : 100.0, t, q);
    }
    ratio_line(rows, LOC_MALLOC_SHUFFLED, LOC_MALLOC_ORDER);
    ratio_line(rows, LOC_MALLOC_AGED, LOC_MALLOC_ORDER);
    ratio_line(rows, LOC_ARENA, LOC_MALLOC_ORDER);
    printf("  the same sum every way: %s\n", same ? "yes" : "NO (a bug)");
    return same;
}

int main(int argc, char **argv)
{
    long l1, l2, l3;
    size_t sizes[3];
    int ok = 1;
    char c1[32], c2[32], c3[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc == 2) {
        size_t n = (size_t)cli_u64(PROG, "N", argv[1], 1, LOC_DEMO_MAX);
        return show_size(n, "") ? 0 : 1;
    }

    l1 = cache_size(1), l2 = cache_size(2), l3 = cache_size(3);
    printf("caches (sysconf, else /sys): L1 data %s, L2 %s, L3 %s\n",
           l1 > 0 ? report_bytes((double)l1, c1, sizeof c1) : "unknown",
           l2 > 0 ? report_bytes((double)l2, c2, sizeof c2) : "unknown",
           l3 > 0 ? report_bytes((double)l3, c3, sizeof c3) : "unknown");
    printf("each way: the allocations and bytes that built it; near: the share of next pointers\n"
           "to a node 1 to %d bytes ahead; the walk (sum the values in list order) timed over\n"
           "%s nodes a run, per node\n",
           LOC_NEAR, report_count(WALKED, c1, sizeof c1));
    cli_flush_stdout(); /* output that cannot be written stops the demo before its seconds of walks */
    /* a node takes 16 to 64 bytes where malloc put it: 64 per node fits the cache */
    sizes[0] = l1 > 0 ? (size_t)l1 / 64 : 512;
    sizes[1] = l2 > 0 ? (size_t)l2 / 64 : 16384;
    sizes[2] = l3 > 0 && (size_t)l3 / 4 < BIG_CAP ? (size_t)l3 / 4 : BIG_CAP;
    ok &= show_size(sizes[0], ": in L1");
    cli_flush_stdout();
    ok &= show_size(sizes[1], ": in L2");
    cli_flush_stdout();
    ok &= show_size(sizes[2], sizes[2] == BIG_CAP ? ": the demo's cap, past L2" : ": 4 times L3");
    return ok ? 0 : 1;
}
