/* bench_countalloc: what counting costs. malloc+free pairs at 64 B and 4 KiB, timed
 * through glibc directly (__libc_malloc / __libc_free) and through the counting
 * allocator, with 1 and 2 threads, in the same run, so only ratios are compared; then the
 * same loop in a program built without countalloc, plain and under the LD_PRELOAD shim;
 * then a ladder of probes that rebuilds countalloc's fast path one piece at a time (a bare
 * wrapper, room for the header, its stores, the counters, the peak, the checks, the
 * branch for hooks and injection), to show where what it adds goes: each rung's
 * instructions per pair, counted by callgrind (the program runs itself under valgrind,
 * see variant_start; skipped when valgrind cannot run), and its time; and beside the
 * ladder, the same counting with no header (sizes from glibc's chunk), against the header.
 *
 *   build/common/bench_countalloc [PAIRS]     PAIRS per round (default 200,000)
 *
 * Times are each thread's own CPU time (CLOCK_THREAD_CPUTIME_ID): on a shared machine a
 * thread that is not running does not count, which makes short interleaved rounds
 * comparable. Each figure is the median of ROUNDS rounds; with 2 threads both run the
 * same loop at once and the figure is per pair per thread. Beside each ratio, the middle
 * half of the rounds' own ratios (each round times both sides back to back): a target
 * that this range straddles is within the noise, and can read either way on a rerun, so
 * the verdict says so instead of met or MISSED. The ladder's steps are medians of the
 * rounds' own differences, with their middle half. How the time splits between steps
 * depends on code layout too, which can move between builds of the same code; the
 * instructions do not.
 *
 * Targets, from the same run: in process, counting adds at most 1.5 ns per pair and at
 * most 1.2x at 64 B, one thread and two; through the shim, at most 1.3x at 64 B. */
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "countalloc.h"
#include "countalloc_int.h"
#include "platform.h"
#include "profrun.h"
#include "report.h"

#define ROUNDS 15
#define TARGET_NS 1.5     /* in process, 64 B: added ns per pair at most */
#define TARGET_RATIO 1.2  /* in process, 64 B: counted / glibc at most */
#define TARGET_SHIM 1.3   /* through the shim, 64 B: shim / glibc at most */

enum mode {
    GLIBC,    /* __libc_malloc / __libc_free, through the PLT as any program calls them */
    COUNTED,  /* malloc / free: countalloc, everything off */
    JUMP,     /* the ladder (see jump_malloc): a bare wrapper, */
    RETURN,   /*   + malloc returning through the wrapper, */
    HEADER,   /*   + the 16-byte header's stores, */
    COUNTERS, /*   + four counters in a slot, */
    PEAK,     /*   + the peak's high and low points, */
    CHECKS,   /*   + the checks; countalloc adds the branch for hooks and injection */
    USABLE,   /* beside the ladder: no header, sizes from glibc's own chunk header */
    HOOKED,   /* countalloc with empty site hooks installed */
    ARMED,    /* countalloc with fault injection armed, far from firing */
    MODES
};

/* One thread's work. Aligned apart so that two threads share no cache line: each
 * writes its own sink, which keeps the compiler from deleting the pairs. */
struct job {
    enum mode mode;
    size_t size;
    uint64_t pairs;
    pthread_barrier_t *start;
    double ns;        /* out: CPU nanoseconds per pair */
    void *volatile sink;
} __attribute__((aligned(128)));

/* The ladder: countalloc's fast path rebuilt one piece at a time, to show where what it
 * adds goes. Each probe calls glibc through the GOT, as countalloc_libc.o does (-fno-plt):
 * these two names are glibc's own entry points again, declared without the PLT. */
void *got_malloc(size_t n) __asm__("__libc_malloc") __attribute__((noplt));
void got_free(void *p) __asm__("__libc_free") __attribute__((noplt));

/* JUMP: a wrapper and nothing else; malloc and free each end in a jump to glibc. */
static __attribute__((noinline)) void *jump_malloc(size_t n)
{
    return got_malloc(n);
}

static __attribute__((noinline)) void jump_free(void *p)
{
    got_free(p);
}

/* The other probes put back, one at a time, what countalloc does (countalloc_hdr.h), with
 * countalloc's own inline counting (countalloc_int.h) in a slot of the probe's, reached
 * through a thread-local pointer as countalloc reaches its own, so that countalloc's
 * figures stay the program's:
 *   RETURN    room for the 16-byte header, nothing written: malloc adds 16 to the block
 *             glibc returned, so it no longer ends in a jump, and every call returns
 *             through it
 *   HEADER    + the header's stores (the size; the tag and the magic), and free's clear
 *   COUNTERS  + four counters in the slot
 *   PEAK      + the slot's high and low points (add_alloc and add_free)
 *   CHECKS    + the checks that keep it exact: sizes that overflow, blocks not its own
 * countalloc then adds the one branch that sends hooks and fault injection to the slow
 * path. */
enum { P_HEADER = 1, P_COUNT = 2, P_PEAK = 4, P_CHECK = 8 };

static struct slot probe_slot;
/* Not static: the compiler must load it, as countalloc loads its own, not fold it away. */
__thread struct slot *probe_at = &probe_slot;

static inline __attribute__((always_inline)) void *probe_malloc(size_t n, unsigned what)
{
    struct slot *s;
    struct hdr *h;

    if ((what & P_CHECK) && n > SIZE_MAX - HDR)
        return NULL;
    if ((h = got_malloc(n + HDR)) == NULL)
        return NULL;
    if (what & P_HEADER) {
        h->size = n;
        h->offset = 0;
        h->magic = MAGIC_PLAIN;
    }
    if ((what & P_COUNT) && (s = probe_at) != NULL) {
        if (what & P_PEAK) {
            add_alloc(s, n);
        } else {
            bump_u(&s->mallocs, 1);
            bump_u(&s->total_alloc, n);
        }
    }
    return h + 1;
}

static inline __attribute__((always_inline)) void probe_free(void *p, unsigned what)
{
    struct hdr *h = (struct hdr *)p - 1;
    struct slot *s;

    if (p == NULL)
        return;
    if ((what & P_CHECK) && h->magic != MAGIC_PLAIN) {
        got_free(p);
        return;
    }
    if ((what & P_COUNT) && (s = probe_at) != NULL) {
        if (what & P_PEAK) {
            add_free(s, h->size);
        } else {
            bump_u(&s->frees, 1);
            bump_u(&s->total_freed, h->size);
        }
    }
    if (what & P_HEADER) {
        h->offset = 0; /* with the magic: one 8-byte store, as countalloc's free */
        h->magic = MAGIC_FREED;
    }
    got_free(h);
}

#define PROBE(name, what)                                                                  \
    static __attribute__((noinline)) void *name##_malloc(size_t n)                         \
    {                                                                                      \
        return probe_malloc(n, what);                                                      \
    }                                                                                      \
    static __attribute__((noinline)) void name##_free(void *p)                             \
    {                                                                                      \
        probe_free(p, what);                                                               \
    }
PROBE(ret, 0)
PROBE(header, P_HEADER)
PROBE(counters, P_HEADER | P_COUNT)
PROBE(peak, P_HEADER | P_COUNT | P_PEAK)
PROBE(checks, P_HEADER | P_COUNT | P_PEAK | P_CHECK)
#undef PROBE

/* USABLE, beside the ladder: no header at all. The size comes from glibc's own chunk
 * header, the word before the block (the chunk's size, its low 3 bits flags), as
 * malloc_usable_size reads it for a chunk that is not mmapped, as every 64-byte one is
 * here: the counters and the peak then count glibc's rounding, not what the program asked
 * for, and a block that is not its own cannot be told apart. What the header's design is
 * measured against. */
static inline size_t chunk_usable(const void *p)
{
    return (((const size_t *)p)[-1] & ~(size_t)7) - sizeof(size_t);
}

static __attribute__((noinline)) void *usable_malloc(size_t n)
{
    void *p = got_malloc(n);
    struct slot *s;

    if (p != NULL && (s = probe_at) != NULL)
        add_alloc(s, chunk_usable(p));
    return p;
}

static __attribute__((noinline)) void usable_free(void *p)
{
    struct slot *s;

    if (p != NULL && (s = probe_at) != NULL)
        add_free(s, chunk_usable(p));
    got_free(p);
}

static void empty_alloc(void *p, size_t n, const void *from)
{
    (void)from;
    (void)p;
    (void)n;
}

static void empty_free(void *p, size_t n, uint32_t tag)
{
    (void)tag;
    (void)p;
    (void)n;
}

static const struct countalloc_hooks empty_hooks = {empty_alloc, empty_free};

static void *loop(void *arg)
{
    struct job *j = arg;
    double t0;

    if (j->start != NULL)
        pthread_barrier_wait(j->start);
    t0 = report_thread_ns();
#define PAIRS(m, f)                                                                        \
    for (uint64_t i = 0; i < j->pairs; i++) {                                              \
        void *p = m(j->size);                                                              \
        j->sink = p;                                                                       \
        f(p);                                                                              \
    }
    switch (j->mode) {
    case GLIBC:
        PAIRS(__libc_malloc, __libc_free);
        break;
    case JUMP:
        PAIRS(jump_malloc, jump_free);
        break;
    case RETURN:
        PAIRS(ret_malloc, ret_free);
        break;
    case HEADER:
        PAIRS(header_malloc, header_free);
        break;
    case COUNTERS:
        PAIRS(counters_malloc, counters_free);
        break;
    case PEAK:
        PAIRS(peak_malloc, peak_free);
        break;
    case CHECKS:
        PAIRS(checks_malloc, checks_free);
        break;
    case USABLE:
        PAIRS(usable_malloc, usable_free);
        break;
    default:
        PAIRS(malloc, free);
    }
#undef PAIRS
    j->ns = (report_thread_ns() - t0) / (double)j->pairs;
    return NULL;
}

/* One round: `threads` threads (1 or 2) at once; nanoseconds per pair per thread. */
static double round_ns(enum mode mode, size_t size, int threads, uint64_t pairs)
{
    struct job jobs[2];
    pthread_t tid[2];
    pthread_barrier_t start;
    double ns = 0;

    if (mode == HOOKED)
        countalloc_set_hooks(&empty_hooks);
    if (mode == ARMED)
        countalloc_fail_at(UINT64_MAX, false);
    pthread_barrier_init(&start, NULL, (unsigned)threads);
    for (int i = 0; i < threads; i++) {
        jobs[i] = (struct job){mode, size, pairs, threads > 1 ? &start : NULL, 0, NULL};
        if (threads == 1)
            loop(&jobs[i]);
        else if (pthread_create(&tid[i], NULL, loop, &jobs[i]) != 0)
            cli_oom("bench_countalloc", "starting a thread");
    }
    for (int i = 0; threads > 1 && i < threads; i++)
        pthread_join(tid[i], NULL);
    for (int i = 0; i < threads; i++)
        ns += jobs[i].ns / threads;
    pthread_barrier_destroy(&start);
    countalloc_set_hooks(NULL);
    countalloc_fail_off();
    return ns;
}

/* The median of a figure's ROUNDS rounds and their middle half (v is sorted). */
struct mid {
    double med, lo, hi;
};

static struct mid middle(double *v)
{
    double med = report_median(v, ROUNDS);

    return (struct mid){med, v[ROUNDS / 4], v[ROUNDS - 1 - ROUNDS / 4]};
}

/* A row of the tables: the medians of both sides, and the quartiles of the rounds' own
 * ratios (side b over side a, round by round). */
struct row {
    double a, b;      /* medians, ns per pair */
    double lo, hi;    /* the middle half of the per-round ratios b/a */
    double dlo, dhi;  /* the middle half of the per-round differences b - a, ns */
};

/* The middle halves of the rounds' own ratios and differences, from each round's a and b. */
static void spread(const double *a, const double *b, struct row *out)
{
    double ratio[ROUNDS], diff[ROUNDS];

    for (int r = 0; r < ROUNDS; r++) {
        ratio[r] = b[r] / a[r];
        diff[r] = b[r] - a[r];
    }
    struct mid rt = middle(ratio), df = middle(diff);

    out->lo = rt.lo;
    out->hi = rt.hi;
    out->dlo = df.lo;
    out->dhi = df.hi;
}

/* Medians over ROUNDS of each mode in `modes`, interleaved so all see the same machine;
 * *row compares the second mode with the first. */
static void measure(size_t size, int threads, uint64_t pairs, const enum mode *modes, int n,
                    double *out, struct row *row)
{
    double t[MODES][ROUNDS];

    for (int r = 0; r < ROUNDS; r++)
        for (int m = 0; m < n; m++)
            t[m][r] = round_ns(modes[m], size, threads, pairs);
    spread(t[0], t[1], row);
    for (int m = 0; m < n; m++)
        out[m] = report_median(t[m], ROUNDS);
    row->a = out[0];
    row->b = out[1];
}

/* One run of build/tools/pairs, under the shim or not: CPU ns per pair, or -1. */
static double pairs_ns(const char *pairs_bin, const char *shim, size_t size, int threads,
                       uint64_t pairs)
{
    char cmd[8192];
    double ns = -1;
    FILE *f;

    snprintf(cmd, sizeof cmd, "%s%s%s'%s' %zu %d %llu", shim ? "COUNTALLOC_OUT=/dev/null LD_PRELOAD='" : "",
             shim ? shim : "", shim ? "' " : "", pairs_bin, size, threads, (unsigned long long)pairs);
    if ((f = popen(cmd, "r")) == NULL)
        return -1;
    if (fscanf(f, "%lf", &ns) != 1)
        ns = -1;
    if (pclose(f) != 0)
        ns = -1;
    return ns;
}

static void print_row(size_t size, int threads, const struct row *r)
{
    char sz[16];

    printf("%-8s %-8d %7.2f ns %7.2f ns %+7.2f ns %7.2fx   %.2fx-%.2fx\n",
           report_bytes((double)size, sz, sizeof sz), threads, r->a, r->b, r->b - r->a,
           r->b / r->a, r->lo, r->hi);
}

/* A verdict from the middle half of the rounds' own figures: met when even its upper end
 * is within the target, MISSED when even its lower end is beyond, and within the noise
 * when the rounds straddle it. */
static const char *judge(double lo, double hi, double target)
{
    return hi <= target ? "met" : lo > target ? "MISSED" : "within the noise, either way on a rerun";
}

/* The row whose median is worst by ratio (ns: by difference). */
static const struct row *worst(const struct row *rows, int n, bool ns)
{
    const struct row *w = &rows[0];

    for (int i = 1; i < n; i++)
        if (ns ? rows[i].b - rows[i].a > w->b - w->a : rows[i].b / rows[i].a > w->b / w->a)
            w = &rows[i];
    return w;
}

static void verdict(const char *what, double target, const struct row *rows, int n)
{
    const struct row *w = worst(rows, n, false);

    printf("target: %s, at most %.2fx at 64 B: %s (worst row %.2fx, its rounds %.2fx-%.2fx)\n",
           what, target, judge(w->lo, w->hi, target), w->b / w->a, w->lo, w->hi);
}

/* ---- the ladder ----
 *
 * Instructions per pair of each rung, counted by callgrind: this program runs again under
 * valgrind --tool=callgrind with PROFRUN_ENV set to "MODE PAIRS", runs that loop alone and
 * exits (variant_start); the count of a run of 2N pairs less that of N pairs, over N, is
 * one pair's, without the start-up. Unlike a time, it is the same on every run. */
#define COUNT_PAIRS 20000

__attribute__((constructor)) static void variant_start(void)
{
    const char *arg = getenv(PROFRUN_ENV);
    unsigned mode;
    unsigned long long pairs;

    if (arg == NULL)
        return;
    if (sscanf(arg, "%u %llu", &mode, &pairs) != 2 || mode >= MODES) {
        fprintf(stderr, "bench_countalloc: %s must be MODE PAIRS, MODE from 0 to %d, got '%s'\n",
                PROFRUN_ENV, MODES - 1, arg);
        _exit(2);
    }
    struct job j = {(enum mode)mode, 64, pairs, NULL, 0, NULL};
    loop(&j);
    _exit(0);
}

/* The instructions callgrind counted in one run of `pairs` pairs of mode m, or -1. */
static double collected(enum mode m, uint64_t pairs)
{
    struct profrun_callgrind c;
    char value[64], why[160];

    snprintf(value, sizeof value, "%u %llu", (unsigned)m, (unsigned long long)pairs);
    return profrun_callgrind_self(NULL, value, NULL, &c, why, sizeof why) == 0 ? (double)c.total
                                                                               : -1;
}

static double instructions(enum mode m)
{
    double one = collected(m, COUNT_PAIRS), two = collected(m, 2 * COUNT_PAIRS);

    return one < 0 || two < 0 ? -1 : (two - one) / COUNT_PAIRS;
}

/* The ladder at 64 B, one thread: each probe adds one piece to the one before, up to
 * countalloc itself. Times come from interleaved rounds: a step's figure is the median of
 * its rounds' own differences, beside their middle half. */
struct ladder {
    double floor_ns;  /* the header, the counters and the peak, no check */
    double usable_ns; /* no header: the counters and the peak of glibc's usable sizes */
    double off_ns;    /* the peak and the branch for hooks and injection, while off */
};

static struct ladder ladder(uint64_t pairs)
{
    /* The rungs in order, then the probe beside them: where each sits in modes[] and t[]. */
    enum { R_GLIBC, R_JUMP, R_RETURN, R_HEADER, R_COUNTERS, R_PEAK, R_CHECKS, R_COUNTED, R_USABLE,
           N, L = R_USABLE /* the ladder is modes[0..L-1] */ };
    static const enum mode modes[N] = {
        [R_GLIBC] = GLIBC,   [R_JUMP] = JUMP,         [R_RETURN] = RETURN,
        [R_HEADER] = HEADER, [R_COUNTERS] = COUNTERS, [R_PEAK] = PEAK,
        [R_CHECKS] = CHECKS, [R_COUNTED] = COUNTED,   [R_USABLE] = USABLE,
    };
    static const char *const step[L] = {
        "glibc: __libc_malloc and __libc_free, through the PLT",
        "a wrapper: malloc and free each end in a jump to glibc",
        "+ room for a header: malloc returns through the wrapper",
        "+ the 16-byte header's stores, and free's clear",
        "+ four counters, in the thread's slot",
        "+ the peak: the slot's high and low points",
        "+ the checks: sizes that overflow, blocks not its own",
        "+ the branch for hooks and injection: countalloc",
    };
    double t[N][ROUNDS], d[ROUNDS], all[ROUNDS], ins[N];
    struct ladder out = {0, 0, 0};
    struct mid st, in_all, vs;
    char why[256], in[32];
    bool counted = profrun_available(why, sizeof why) == 0;
    void *p;

    for (int r = 0; r < ROUNDS; r++)
        for (int m = 0; m < N; m++)
            t[m][r] = round_ns(modes[m], 64, 1, pairs);
    for (int m = 0; m < N; m++)
        ins[m] = counted ? instructions(modes[m]) : -1;
    printf("\nwhere the added time goes at 64 B, 1 thread: each line adds one thing to the one above\n");
    printf("  %-56s %12s %10s %16s %9s\n", "", "instructions", "this step", "(middle half)", "in all");
    for (int m = 0; m < L; m++) {
        snprintf(in, sizeof in, "-");
        if (ins[m] >= 0)
            snprintf(in, sizeof in, m == 0 ? "%.0f" : "%+.0f", m == 0 ? ins[0] : ins[m] - ins[m - 1]);
        if (m == 0) {
            printf("  %-56s %12s\n", step[m], in);
            continue;
        }
        for (int r = 0; r < ROUNDS; r++) {
            d[r] = t[m][r] - t[m - 1][r];
            all[r] = t[m][r] - t[R_GLIBC][r];
        }
        st = middle(d);
        in_all = middle(all);
        printf("  %-56s %12s %+7.2f ns  %+.2f to %+.2f %+6.2f ns\n", step[m], in, st.med, st.lo,
               st.hi, in_all.med);
        if (m == R_PEAK)
            out.floor_ns = in_all.med;
    }
    if (!counted)
        printf("  (instructions not counted: %s)\n", why);
    else if (ins[R_COUNTED] >= 0 && ins[R_GLIBC] >= 0)
        printf("  countalloc: %+.0f instructions a pair over glibc's %.0f (callgrind)\n",
               ins[R_COUNTED] - ins[R_GLIBC], ins[R_GLIBC]);

    /* Beside the ladder: no header, against the peak's rung, the same counting behind one. */
    for (int r = 0; r < ROUNDS; r++) {
        all[r] = t[R_USABLE][r] - t[R_GLIBC][r];
        d[r] = t[R_USABLE][r] - t[R_PEAK][r];
    }
    in_all = middle(all);
    vs = middle(d);
    out.usable_ns = in_all.med;
    snprintf(in, sizeof in, "-");
    if (ins[R_USABLE] >= 0 && ins[R_GLIBC] >= 0)
        snprintf(in, sizeof in, "%+.0f", ins[R_USABLE] - ins[R_GLIBC]);
    if ((p = got_malloc(64)) == NULL)
        cli_oom("bench_countalloc", "allocating 64 bytes");
    printf("\nbeside it, no header at all: sizes from glibc's chunk, as malloc_usable_size reads"
           " them (64 B asked, %zu B counted)\n", chunk_usable(p));
    got_free(p);
    printf("  %-56s %12s %10s %16s %9s\n", "", "instructions", "", "(middle half)", "over glibc");
    printf("  %-56s %12s %10s  %+.2f to %+.2f %+6.2f ns\n",
           "glibc + counters + peak, of usable sizes, no check", in, "", in_all.lo, in_all.hi,
           in_all.med);
    printf("  against the header with the same counting (the peak's line): %+.2f ns, its rounds"
           " %+.2f to %+.2f: %s\n", vs.med, vs.lo, vs.hi,
           vs.lo > 0 ? "no header costs more" : vs.hi < 0 ? "no header costs less" : "no measurable difference");

    /* The extras while off: the peak's step and the branch's. */
    for (int r = 0; r < ROUNDS; r++)
        d[r] = t[R_PEAK][r] - t[R_COUNTERS][r] + t[R_COUNTED][r] - t[R_CHECKS][r];
    out.off_ns = middle(d).med;
    return out;
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {64, 4096};
    static const enum mode basic[] = {GLIBC, COUNTED};
    static const enum mode on[] = {COUNTED, HOOKED, ARMED};
    uint64_t pairs = 200000;
    double f[2][2][2], sw[3];
    struct ladder lad;
    struct row rows[2][2], shim_rows[2], unused;
    char dir[4096], shim[4200], pairs_bin[4200], n[32];
    const char *top;
    bool have_shim;
    const struct row *w;

    cli_close_stdout_at_exit(argv[0]);
    cli_max_args("bench_countalloc", argc, 1, "[PAIRS]");
    if (argc == 2)
        pairs = cli_u64("bench_countalloc", "PAIRS", argv[1], 1000, 1000000000);

    /* build/common/bench_countalloc -> build/libcountalloc.so, build/tools/pairs */
    have_shim = cli_exe_dir(dir, sizeof dir) == 0;
    top = dirname(dir);
    snprintf(shim, sizeof shim, "%s/libcountalloc.so", top);
    snprintf(pairs_bin, sizeof pairs_bin, "%s/tools/pairs", top);
    have_shim = have_shim && access(shim, R_OK) == 0 && access(pairs_bin, X_OK) == 0 &&
                strchr(top, '\'') == NULL;

    /* Start a thread first: glibc's malloc is slower once a process has ever had one,
     * so every measurement below runs in that same state (tools/pairs does the same). */
    round_ns(COUNTED, 64, 2, 1000);

    printf("the cost of counting: CPU ns per malloc+free pair, median of %d rounds of %s pairs\n",
           ROUNDS, report_count(pairs, n, sizeof n));
    printf("(each thread's own CPU time: time the machine gives to other processes does not count)\n\n");
    printf("in process: countalloc linked in\n");
    printf("%-8s %-8s %10s %10s %10s %8s   %s\n", "size", "threads", "glibc", "counted", "added",
           "ratio", "rounds (middle half)");
    for (int s = 0; s < 2; s++) {
        for (int t = 0; t < 2; t++) {
            measure(sizes[s], t + 1, pairs, basic, 2, f[s][t], &rows[s][t]);
            print_row(sizes[s], t + 1, &rows[s][t]);
        }
    }

    printf("\nthrough the shim: the same loop in a program built without countalloc\n");
    if (have_shim) {
        printf("%-8s %-8s %10s %10s %10s %8s   %s\n", "size", "threads", "glibc", "shim", "added",
               "ratio", "rounds (middle half)");
        for (int t = 0; t < 2 && have_shim; t++) {
            double g[ROUNDS], c[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                g[r] = pairs_ns(pairs_bin, NULL, 64, t + 1, pairs);
                c[r] = pairs_ns(pairs_bin, shim, 64, t + 1, pairs);
                if (g[r] <= 0 || c[r] <= 0)
                    have_shim = false;
            }
            if (!have_shim)
                break;
            spread(g, c, &shim_rows[t]);
            shim_rows[t].a = report_median(g, ROUNDS);
            shim_rows[t].b = report_median(c, ROUNDS);
            print_row(64, t + 1, &shim_rows[t]);
        }
    } else {
        printf("  (skipped: %s or %s is missing; make shim %s)\n", shim, pairs_bin, pairs_bin);
    }

    lad = ladder(pairs);

    printf("\nwhat the extras cost at 64 B, 1 thread\n");
    printf("  off, the peak and the branch for hooks and injection: %+.2f ns per pair (from the ladder)\n",
           lad.off_ns);
    measure(64, 1, pairs, on, 3, sw, &unused);
    printf("  on, site hooks (empty functions):          %+.2f ns per pair over counted\n", sw[1] - sw[0]);
    printf("  on, fault injection armed (never reached): %+.2f ns per pair over counted\n", sw[2] - sw[0]);

    printf("\n2-thread scaling (ns per pair with 2 threads / with 1; 1.00x is perfect)\n");
    for (int s = 0; s < 2; s++) {
        char sz[16];
        printf("  %-8s glibc %5.2fx   counted %5.2fx\n", report_bytes((double)sizes[s], sz, sizeof sz),
               f[s][1][0] / f[s][0][0], f[s][1][1] / f[s][0][1]);
    }

    w = worst(rows[0], 2, true);
    printf("\ntarget: in process, counting adds at most %.1f ns per pair at 64 B: %s (worst row %+.2f ns,"
           " its rounds %+.2f to %+.2f; the header, counters and peak alone, no check: %+.2f ns;"
           " no header, usable sizes: %+.2f ns)\n",
           TARGET_NS, judge(w->dlo, w->dhi, TARGET_NS), w->b - w->a, w->dlo, w->dhi, lad.floor_ns,
           lad.usable_ns);
    verdict("in process", TARGET_RATIO, rows[0], 2);
    if (have_shim)
        verdict("through the shim", TARGET_SHIM, shim_rows, 2);
    else
        printf("target: through the shim, at most %.2fx at 64 B: not measured\n", TARGET_SHIM);
    return 0;
}
