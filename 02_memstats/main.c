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
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "hash.h"
#include "memstats.h"
#include "report.h"
#include "sites.h"

#define PROG "02_memstats"
#define DEFAULT_N 200000
#define MAX_N 10000000
#define TOP 4 /* sites per list in --sites */

enum phase { BUILT, DROPPED, TRIMMED, FREED, NPHASES };
static const char *const phase_name[NPHASES] = {"built", "dropped", "trimmed", "all freed"};

struct side {
    bool heavy;
    uint64_t n;
    bool sites;
    struct views v[NPHASES];    /* the three views after each phase */
    uint64_t digest;            /* of the kept records */
};

/* The result a side's process sends its parent. */
struct result {
    struct report_run run;
    struct side side;
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

/* The job with a look at all three views after each phase. */
static int run_side(void *ctx)
{
    struct side *s = ctx;
    struct heavy_store hs = {0};
    struct light_store ls = {0};
    struct sites_snapshot *built = NULL, *dropped = NULL;
    const struct record *kept;
    uint64_t nkept;

    if (s->sites && sites_start() != 0)
        cli_oom(PROG, "mapping the site tracer's tables");
    if (s->heavy ? heavy_build(&hs, s->n) : light_build(&ls, s->n))
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
    s->digest = HASH_FNV_START;
    for (uint64_t i = 0; i < nkept; i++) {
        kept = s->heavy ? hs.rec[i] : &ls.rec[i];
        s->digest = hash_fnv(s->digest, kept, sizeof *kept);
    }
    s->heavy ? heavy_free(&hs) : light_free(&ls);
    read_views(&s->v[FREED]);
    return 0;
}

/* Run one side here; on failure the program ends with a message. */
static void run_here(struct result *r)
{
    if (report_measure(r->side.heavy ? "heavy" : "light", run_side, &r->side, &r->run) != 0)
        cli_oom(PROG, r->side.heavy ? "handling heavy's records" : "handling light's records");
}

/* Run one side in a child process and collect its result through a pipe. A child that
 * fails has said why on stderr; the parent then exits with its status. */
static void run_forked(struct result *r)
{
    int fd[2], status;
    ssize_t got;
    pid_t pid;

    fflush(stdout); /* or the child would print the parent's buffered lines again */
    if (pipe(fd) != 0 || (pid = fork()) < 0) {
        perror(PROG ": cannot start a process");
        exit(1);
    }
    if (pid == 0) {
        close(fd[0]);
        run_here(r);
        got = write(fd[1], r, sizeof *r);
        fflush(stdout);
        _exit(got == (ssize_t)sizeof *r ? 0 : 1);
    }
    close(fd[1]);
    got = read(fd[0], r, sizeof *r);
    close(fd[0]);
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        exit(WIFEXITED(status) && WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : 1);
    if (got != (ssize_t)sizeof *r) {
        fprintf(stderr, "%s: the %s process sent no result\n", PROG, r->run.name);
        exit(1);
    }
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

int main(int argc, char **argv)
{
    bool run_heavy, run_light, sites = false;
    struct result r[2];
    struct report_run runs[2];
    size_t nruns = 0;
    uint64_t n = DEFAULT_N;
    char cnt[32], kept[32], sz[32];
    int argi;

    cli_close_stdout_at_exit(PROG);
    argi = cli_side(argc, argv, &run_heavy, &run_light);
    if (argi < argc && strcmp(argv[argi], "--sites") == 0) {
        sites = true;
        argi++;
    }
    cli_max_args(PROG, argc - argi + 1, 1, "[--heavy|--light] [--sites] [N]");
    if (argi < argc)
        n = cli_u64(PROG, "N", argv[argi], 1, MAX_N);

    printf("%s: %s records of %zu B, then the drop keeps 1 in %d (%s records)\n", PROG,
           report_count(n, cnt, sizeof cnt), sizeof(struct record), KEEP_EVERY,
           report_count(memstats_kept(n), kept, sizeof kept));
    printf("  heavy: one malloc per record (%s)    light: all of them in one block (%s)\n\n",
           report_bytes(RECORD_SIZE, sz, sizeof sz),
           report_bytes((double)n * RECORD_SIZE, cnt, sizeof cnt));
    r[0] = (struct result){.side = {.heavy = true, .n = n, .sites = sites}};
    r[1] = (struct result){.side = {.heavy = false, .n = n, .sites = sites}};
    for (int i = 0; i < 2; i++) {
        if (!(i == 0 ? run_heavy : run_light))
            continue;
        if (run_heavy && run_light)
            run_forked(&r[i]);
        else
            run_here(&r[i]);
        runs[nruns++] = r[i].run;
    }
    if (sites)
        return 0;
    report_table(stdout, runs, nruns);
    if (run_heavy && run_light)
        printf("same records from both: %s\n",
               r[0].side.digest == r[1].side.digest ? "yes" : "NO (a bug)");
    if (run_heavy)
        print_views("heavy", &r[0].side);
    if (run_light)
        print_views("light", &r[1].side);
    if (run_heavy && run_light)
        print_side_by_side(&r[0].side, &r[1].side);
    return run_heavy && run_light && r[0].side.digest != r[1].side.digest;
}
