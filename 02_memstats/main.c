/* main.c: lesson 02, the three views of memory, heavy against light.
 *
 *   main [--heavy|--light] [--sites] [N]    N records (default 200,000)
 *
 * Both sides by default, each in a process of its own (fork), so that the operating
 * system's figures (VmRSS, VmHWM, maxrss, faults) are the side's own and not the sum of
 * both. --heavy or --light runs one side in this process. --sites runs the side(s) with
 * the site tracer on (common/sites.h) and prints its report instead of the views. */
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "driver.h"
#include "hash.h"
#include "memstats.h"
#include "sites.h"

#define PROG "02_memstats"
#define TOP 4 /* sites per list in --sites */

static const struct driver_prog prog = {.name = PROG, .default_n = 200000, .max_n = 10000000,
                                        .option = "--sites", .fork = true};

enum phase { BUILT, DROPPED, TRIMMED, FREED, NPHASES };
static const char *const phase_name[NPHASES] = {"built", "dropped", "trimmed", "all freed"};

/* A side's context: a forked side sends it back whole (views and all). */
struct side {
    bool heavy;
    bool sites;
    struct views v[NPHASES];    /* the three views after each phase */
};

/* Take a snapshot now, or end the program: the tracer cannot report without memory. */
static struct sites_snapshot *snapshot(void)
{
    struct sites_snapshot *s;

    if (sites_snapshot_take(&s) != 0)
        cli_oom(PROG, "taking a site snapshot");
    return s;
}

/* The site report of one side: where the build allocated, and what the drop changed. */
static void print_sites(const char *name, struct sites_snapshot *built,
                        struct sites_snapshot *dropped)
{
    struct sites_snapshot *diff;
    char cur[32], peak[32];
    int64_t c, p;

    if (sites_snapshot_compare(dropped, built, &diff) != 0)
        cli_oom(PROG, "comparing site snapshots");
    sites_traced(&c, &p);
    printf("%s: top sites after the build, by bytes live (tracemalloc's statistics('lineno'))\n",
           name);
    sites_print(stdout, built, SITES_BY_BYTES, TOP, 0);
    printf("%s: top sites by allocation calls (heaptrack's \"most calls\")\n", name);
    sites_print(stdout, built, SITES_BY_CALLS, TOP, 0);
    printf("%s: the drop, dropped - built (compare_to)\n", name);
    sites_print(stdout, diff, SITES_BY_BYTES, TOP, 1);
    printf("%s: traced now %s, peak %s (get_traced_memory)\n\n", name,
           report_bytes((double)c, cur, sizeof cur), report_bytes((double)p, peak, sizeof peak));
    sites_snapshot_free(diff);
}

static void read_views(struct views *v)
{
    if (views_read(v) != 0) {
        fprintf(stderr, "%s: cannot read /proc/self/status\n", PROG);
        exit(1);
    }
}

/* The job with a look at all three views after each phase; the digest is of the kept
 * records. */
static int run_side(void *ctx, uint64_t n, uint64_t *digest)
{
    struct side *s = ctx;
    struct heavy_store hs = {0};
    struct light_store ls = {0};
    struct sites_snapshot *built = NULL, *dropped = NULL;
    const struct record *kept;
    uint64_t nkept;

    if (s->sites && sites_start() != 0)
        cli_oom(PROG, "mapping the site tracer's tables");
    if (s->heavy ? heavy_build(&hs, n) : light_build(&ls, n))
        return -1;
    read_views(&s->v[BUILT]);
    if (s->sites)
        built = snapshot();
    if (s->heavy ? heavy_drop(&hs) : light_drop(&ls)) {
        s->heavy ? heavy_free(&hs) : light_free(&ls);
        return -1;
    }
    read_views(&s->v[DROPPED]);
    if (s->sites) {
        dropped = snapshot();
        print_sites(s->heavy ? "heavy" : "light", built, dropped);
        sites_snapshot_free(built);
        sites_snapshot_free(dropped);
        sites_stop();
    }
    malloc_trim(0); /* give the kernel every free page glibc can find */
    read_views(&s->v[TRIMMED]);
    nkept = s->heavy ? hs.n : ls.n;
    *digest = HASH_FNV_START;
    for (uint64_t i = 0; i < nkept; i++) {
        kept = s->heavy ? hs.rec[i] : &ls.rec[i];
        *digest = hash_fnv(*digest, kept, sizeof *kept);
    }
    s->heavy ? heavy_free(&hs) : light_free(&ls);
    read_views(&s->v[FREED]);
    return 0;
}

#define ROW(label, fmt, expr)                                                       \
    do {                                                                            \
        printf("%-30s", label);                                                     \
        for (int p_ = 0; p_ < NPHASES; p_++) {                                      \
            const struct views *v = &s->v[p_];                                      \
            char b_[32];                                                            \
            printf("%13s", fmt(expr, b_, sizeof b_));                               \
        }                                                                           \
        printf("\n");                                                               \
    } while (0)

static char *bytes(double b, char *buf, size_t size) { return report_bytes(b, buf, size); }
static char *count(double c, char *buf, size_t size)
{
    return report_count((unsigned long long)c, buf, size);
}

/* All three views of one side, a column per phase. */
static void print_views(const char *name, const struct side *s)
{
    const struct views *b = &s->v[BUILT];
    double overhead = ((double)b->allocator.in_use + (double)b->allocator.mmapped -
                       (double)b->program.heap_alloc) / (double)b->program.heap_objects;

    printf("\n%s: the three views after each phase (absolute, whole process)\n", name);
    printf("%-30s", "");
    for (int p = 0; p < NPHASES; p++)
        printf("%13s", phase_name[p]);
    printf("\nthe program's (countalloc; Go's MemStats)\n");
    ROW("  heap_alloc    HeapAlloc", bytes, (double)v->program.heap_alloc);
    ROW("  heap_objects  HeapObjects", count, (double)v->program.heap_objects);
    ROW("  total_alloc   TotalAlloc", bytes, (double)v->program.total_alloc);
    ROW("  mallocs       Mallocs", count, (double)v->program.mallocs);
    ROW("  frees         Frees", count, (double)v->program.frees);
    printf("the allocator's (glibc mallinfo2)\n");
    ROW("  in use        uordblks", bytes, (double)v->allocator.in_use);
    ROW("  free, kept    fordblks", bytes, (double)v->allocator.free);
    ROW("  heap (brk)    arena", bytes, (double)v->allocator.arena);
    ROW("  mmap'd        hblkhd", bytes, (double)v->allocator.mmapped);
    ROW("  top, trimmable keepcost", bytes, (double)v->allocator.top_pad);
    printf("the operating system's (/proc/self/status, getrusage)\n");
    ROW("  resident      VmRSS", bytes, (double)v->os.rss);
    ROW("  high water    VmHWM", bytes, (double)v->os.hwm);
    ROW("  ru_maxrss     getrusage", bytes, (double)v->os.maxrss);
    ROW("  minor faults  ru_minflt", count, (double)v->os.minflt);
    if (s->heavy) /* one block per record: the mean is the chunk overhead */
        printf("glibc's bytes per live block beyond the request, after the build: %.1f B\n",
               overhead);
}

/* The three views of both sides side by side, after the drop and after the trim. */
static void print_side_by_side(const struct side *h, const struct side *l)
{
    static const enum phase at[] = {DROPPED, TRIMMED};
    char b[4][32];

    printf("\n%-34s %23s %27s\n", "the three views side by side", "after the drop",
           "after malloc_trim(0)");
    printf("%-34s %11s %11s   %11s %11s\n", "", "heavy", "light", "heavy", "light");
#define PAIR(label, expr)                                                                 \
    do {                                                                                  \
        for (int i_ = 0; i_ < 2; i_++) {                                                  \
            const struct views *vh = &h->v[at[i_]], *vl = &l->v[at[i_]];                  \
            report_bytes((double)(expr(vh)), b[2 * i_], sizeof b[0]);                     \
            report_bytes((double)(expr(vl)), b[2 * i_ + 1], sizeof b[0]);                 \
        }                                                                                 \
        printf("%-34s %11s %11s   %11s %11s\n", label, b[0], b[1], b[2], b[3]);          \
    } while (0)
#define HEAP(v) (v)->program.heap_alloc
#define HELD(v) ((v)->allocator.in_use + (v)->allocator.free + (v)->allocator.mmapped)
#define RSS(v) (v)->os.rss
    PAIR("program: heap_alloc", HEAP);
    PAIR("allocator: in use+free+mmap'd", HELD);
    PAIR("operating system: VmRSS", RSS);
#undef PAIR
#undef HEAP
#undef HELD
#undef RSS
}

static void intro(const struct driver *d, const struct driver_job *job)
{
    char cnt[32], kept[32], sz[32];

    (void)job;
    printf("%s: %s records of %zu B, then the drop keeps 1 in %d (%s records)\n", PROG,
           report_count(d->n, cnt, sizeof cnt), sizeof(struct record), KEEP_EVERY,
           report_count(memstats_kept(d->n), kept, sizeof kept));
    printf("  heavy: one malloc per record (%s)    light: all of them in one block (%s)\n\n",
           report_bytes(RECORD_SIZE, sz, sizeof sz),
           report_bytes((double)d->n * RECORD_SIZE, cnt, sizeof cnt));
}

int main(int argc, char **argv)
{
    static struct side side[2] = {{.heavy = true}, {.heavy = false}};
    struct driver_job job = {
        .intro = intro,
        .side = {{"heavy", run_side, &side[0], "handling heavy's records"},
                 {"light", run_side, &side[1], "handling light's records"}},
        .same = "same records from both",
        .ctx_size = sizeof side[0],
    };
    struct driver d;
    int bad;

    driver_args(&d, &prog, argc, argv);
    side[0].sites = side[1].sites = job.quiet = d.option; /* the site report instead */
    bad = driver_job(&d, &job);
    if (d.option)
        return 0;
    if (d.heavy)
        print_views("heavy", &side[0]);
    if (d.light)
        print_views("light", &side[1]);
    if (d.heavy && d.light)
        print_side_by_side(&side[0], &side[1]);
    return bad;
}
