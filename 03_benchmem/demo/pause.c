/* pause.c: the worst insert. N keys put from empty into maptab.h's table grown by doubling
 * (every key moved in the put that grows it), into inctab.h's (the same growth, its keys
 * moved INCTAB_MOVE_PER_PUT old slots a put after it) and into maptab made with a hint of
 * N: the allocations, bytes and peak of each (counted by the toolbox), the growths, the
 * keys moved in all, the most keys one put moved and which put that was. Counts only;
 * --time times every put instead, in rounds. make pause-03.
 *
 *   pause [N]          N keys (default 1,000,000, 1 to 10,000,000)
 *   pause --time [N]   each put timed, 5 rounds of each table (and of inctab with its moved
 *                      pages given back by madvise), alternated, each in a child process:
 *                      the median put, the 99.9th percentile and the worst put, the median
 *                      over the rounds and the spread; then the puts by what they did (grew
 *                      the table, freed an old array, page-faulted: from a round that counts
 *                      each put's minor faults instead of timing it), the slowest of each
 *                      kind at its least time over the rounds, and each round's worst */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "countalloc.h"
#include "inctab.h"
#include "maptab.h"
#include "procfs.h"
#include "report.h"

#define PROG "pause"
#define N_DEFAULT 1000000
#define N_MAX 10000000 /* 16,777,216 slots: 256 MiB, and 384 MiB at the last growth's peak */
#define ROUNDS 5

static size_t page;

/* The three tables the counts compare; --time adds a fourth, inctab whose moved pages are
 * given back as it goes (below). */
enum kind { GROWN, INC, HINTED, KINDS, INC_GIVE = KINDS, TIMED_KINDS };

static const char *const kind_name[TIMED_KINDS] = {"maptab grown", "inctab grown",
                                                   "maptab hinted", "inctab, madvise"};

/* One table of either type behind the same three calls. */
struct table {
    enum kind kind;
    struct maptab m;
    struct inctab i;
    const struct maptab_slot *given_of; /* INC_GIVE: the old array given back so far, */
    uintptr_t given_to;                 /* up to this address */
};

static bool is_inc(enum kind kind)
{
    return kind == INC || kind == INC_GIVE;
}

static int table_make(struct table *t, enum kind kind, size_t n)
{
    t->kind = kind;
    t->given_of = NULL;
    t->given_to = 0;
    t->m = (struct maptab)MAPTAB_INIT;
    t->i = (struct inctab)INCTAB_INIT;
    return kind == HINTED ? maptab_init(&t->m, n) : 0;
}

/* INC_GIVE, after each put: the whole pages of the old array below next, the slots moved,
 * given back to the kernel (MADV_DONTNEED, a page at a time as the migration passes it;
 * inctab never reads a moved slot again), so that the free of the old array has no page
 * left to unmap. */
static void give_back(struct table *t)
{
    uintptr_t from, to;

    if (t->i.old == NULL)
        return;
    if (t->given_of != t->i.old) { /* a new migration: from the first whole page */
        t->given_of = t->i.old;
        t->given_to = ((uintptr_t)t->i.old + page - 1) & ~(uintptr_t)(page - 1);
    }
    from = t->given_to;
    to = (uintptr_t)&t->i.old[t->i.next] & ~(uintptr_t)(page - 1);
    if (to > from && madvise((void *)from, to - from, MADV_DONTNEED) == 0)
        t->given_to = to;
}

static int table_put(struct table *t, uint64_t key, uint64_t val)
{
    int rc;

    if (!is_inc(t->kind))
        return maptab_put(&t->m, key, val);
    rc = inctab_put(&t->i, key, val);
    if (t->kind == INC_GIVE)
        give_back(t);
    return rc;
}

static uint64_t table_moved(const struct table *t)
{
    return is_inc(t->kind) ? t->i.moved : t->m.moved;
}

static size_t table_cap(const struct table *t)
{
    return is_inc(t->kind) ? t->i.cap : t->m.cap;
}

static void table_free(struct table *t)
{
    maptab_free(&t->m);
    inctab_free(&t->i);
}

/* Whether t holds keys 1..n, each with its value. */
static int holds(const struct table *t, size_t n)
{
    for (size_t i = 1; i <= n; i++) {
        uint64_t v = 0;
        bool found = is_inc(t->kind) ? inctab_get(&t->i, maptab_key(i), &v)
                                    : maptab_get(&t->m, maptab_key(i), &v);

        if (!found || v != i)
            return 0;
    }
    return 1;
}

/* ---- the counts ---- */

struct counts {
    struct countalloc_stats d; /* the whole build, maptab_init included */
    int64_t live;              /* what the table holds after its last put */
    uint64_t growths, moved, most, most_at; /* most_at: the first put that moved `most` */
    uint64_t last_free_at;     /* inctab: the last put that freed an old array */
    unsigned nfrees;
    size_t cap, old_cap;       /* the array, and the one still being emptied (inctab) */
};

static void build(enum kind kind, size_t n, struct counts *c)
{
    struct table t;
    struct countalloc_stats start;

    memset(c, 0, sizeof *c);
    countalloc_measure_begin(&start);
    if (table_make(&t, kind, n) != 0)
        cli_oom(PROG, "making the table");
    for (size_t i = 1; i <= n; i++) {
        uint64_t moved = table_moved(&t), cap = table_cap(&t);
        bool old = kind == INC && t.i.old != NULL;

        if (table_put(&t, maptab_key(i), i) != 0)
            cli_oom(PROG, "growing the table");
        moved = table_moved(&t) - moved;
        if (moved > c->most) {
            c->most = moved;
            c->most_at = i;
        }
        bool grew = cap > 0 && table_cap(&t) > cap;

        c->growths += grew;
        /* an old array emptied: one kept from an earlier put, or one of a single step's
         * slots, emptied by the growing put itself */
        if ((old || grew) && kind == INC && t.i.old == NULL) {
            c->nfrees++;
            c->last_free_at = i;
        }
    }
    c->d = countalloc_measure_end(&start);
    c->live = c->d.heap_alloc;
    c->moved = table_moved(&t);
    c->cap = table_cap(&t);
    c->old_cap = kind == INC ? t.i.old_cap : 0;
    if (!holds(&t, n)) {
        printf("%s: a key lost or its value wrong: NO (a bug)\n", kind_name[kind]);
        exit(1);
    }
    table_free(&t);
}

static void row_u64(const char *what, const struct counts *c, uint64_t (*get)(const struct counts *))
{
    char b[32];

    printf("  %-26s", what);
    for (int k = 0; k < KINDS; k++)
        printf(" %14s", report_count(get(&c[k]), b, sizeof b));
    printf("\n");
}

static uint64_t get_allocs(const struct counts *c) { return c->d.mallocs; }
static uint64_t get_frees(const struct counts *c) { return c->d.frees; }
static uint64_t get_bytes(const struct counts *c) { return c->d.total_alloc; }
static uint64_t get_peak(const struct counts *c) { return (uint64_t)c->d.peak; }
static uint64_t get_live(const struct counts *c) { return (uint64_t)c->live; }
static uint64_t get_growths(const struct counts *c) { return c->growths; }
static uint64_t get_moved(const struct counts *c) { return c->moved; }
static uint64_t get_most(const struct counts *c) { return c->most; }

static void counts(size_t n)
{
    struct counts c[KINDS];
    char a[32], b[32], s[32];

    printf("%s keys put from empty into maptab.h's table (%zu-byte slots, doubled when the next\n"
           "key would pass 3/4 of them) three ways: grown, every key moved in the put that grows\n"
           "it; grown incrementally (inctab.h), the new array allocated in that put and the old\n"
           "one's slots moved %d a put from there on; and made with a hint of N\n\n",
           report_count(n, a, sizeof a), sizeof(struct maptab_slot), INCTAB_MOVE_PER_PUT);
    for (int k = 0; k < KINDS; k++)
        build((enum kind)k, n, &c[k]);
    printf("  %-26s", "");
    for (int k = 0; k < KINDS; k++)
        printf(" %14s", kind_name[k]);
    printf("\n");
    row_u64("allocations", c, get_allocs);
    row_u64("frees", c, get_frees);
    row_u64("bytes allocated", c, get_bytes);
    row_u64("peak heap (bytes)", c, get_peak);
    row_u64("held after the last put", c, get_live);
    row_u64("growths", c, get_growths);
    row_u64("keys moved in all", c, get_moved);
    row_u64("most keys moved by a put", c, get_most);
    printf("  %-26s", "  at put");
    for (int k = 0; k < KINDS; k++)
        printf(" %14s", c[k].most > 0 ? report_count(c[k].most_at, a, sizeof a) : "-");
    printf("\n\n");

    if (c[GROWN].growths == 0)
        printf("maptab grown: no growth, no key moved (N fits the first %d slots)\n",
               MAPTAB_MIN_SLOTS);
    else
        printf("maptab grown: its last growth, at put %s, moved all %s keys then held, in that "
               "put.\n", report_count(c[GROWN].most_at, a, sizeof a),
               report_count(c[GROWN].most, b, sizeof b));
    printf("inctab grown: no put moved more than %d keys; each old array was freed by the put\n"
           "  that moved its last slot, its slots / %d puts after its growth (old arrays freed: %u,\n"
           "  the last at put %s)\n", INCTAB_MOVE_PER_PUT, INCTAB_MOVE_PER_PUT, c[INC].nfrees,
           c[INC].nfrees > 0 ? report_count(c[INC].last_free_at, s, sizeof s) : "-");
    if (c[INC].old_cap > 0)
        printf("  and after the last put it still empties one of %s slots (%s B, freed later)\n",
               report_count(c[INC].old_cap, a, sizeof a),
               report_count(c[INC].old_cap * sizeof(struct maptab_slot), b, sizeof b));
    printf("maptab hinted: one array of %s slots, no growth\n", report_count(c[HINTED].cap, a, sizeof a));
}

/* ---- --time ---- */

/* What a put did, as the faults round saw it. */
enum part { P_GROW, P_FREE, P_FAULT, P_OTHER, PARTS };

static const char *const part_name[PARTS] = {"grew the table", "freed an old array",
                                             "page-faulted", "none of these"};

/* Per kind and round: the median put, the 99.9th percentile, the worst and which put it
 * was; per kind of put, its median and its slowest. */
struct round_stats {
    double med[ROUNDS], p999[ROUNDS], worst[ROUNDS];
    size_t worst_at[ROUNDS];
    double part_med[PARTS][ROUNDS], part_max[PARTS][ROUNDS];
};

/* Shared with the child processes that build the tables (MAP_SHARED), written by them. */
static struct round_stats *st; /* [TIMED_KINDS] */
static double *ns;             /* each put's time, this round: ns[1..n] */
static double *least;          /* each put's least time over the rounds, per kind, as part */
static uint8_t *part;          /* what each put did, per kind: part[kind * (n + 1) + i] */
static uint32_t *faults;       /* each put's minor faults, per kind, the same way */

/* Build a table of kind from empty, n puts: each put's time into ns[1..n] when timed, else
 * each put's minor faults (getrusage around it) and what it did into faults and part. */
static void run(enum kind kind, size_t n, bool timed)
{
    struct table t;

    if (table_make(&t, kind, n) != 0)
        cli_oom(PROG, "making the table");
    for (size_t i = 1; i <= n; i++) {
        int rc;

        if (timed) {
            double t0 = report_now_ns();

            rc = table_put(&t, maptab_key(i), i);
            ns[i] = report_now_ns() - t0;
        } else {
            size_t cap = table_cap(&t), at = kind * (n + 1) + i;
            bool old = is_inc(kind) && t.i.old != NULL;
            uint64_t f0 = procfs_minor_faults();

            rc = table_put(&t, maptab_key(i), i);
            faults[at] = (uint32_t)(procfs_minor_faults() - f0);
            part[at] = cap > 0 && table_cap(&t) > cap ? P_GROW
                       : old && t.i.old == NULL       ? P_FREE
                       : faults[at] > 0               ? P_FAULT
                                                      : P_OTHER;
        }
        if (rc != 0)
            cli_oom(PROG, "growing the table");
    }
    table_free(&t);
}

/* Round r's figures of ns[1..n] into *s, the puts split by pt[1..n]; each put's least
 * time so far into lt[1..n]. */
static void summarise(const uint8_t *pt, double *lt, size_t n, int r, struct round_stats *s)
{
    /* the 99.9th percentile: the q-th of n, sorted; the median put by the same rule, the
     * ceil(n/2)-th (for even n the lower middle one, as the Go twin takes it) */
    size_t q = (n * 999 + 999) / 1000;
    double *sorted = malloc(n * sizeof *sorted);

    if (sorted == NULL)
        cli_oom(PROG, "sorting the times");
    s->worst_at[r] = 1;
    for (size_t i = 1; i <= n; i++) {
        if (ns[i] > ns[s->worst_at[r]])
            s->worst_at[r] = i;
        if (r == 0 || ns[i] < lt[i])
            lt[i] = ns[i];
    }
    memcpy(sorted, ns + 1, n * sizeof *ns);
    qsort(sorted, n, sizeof *sorted, report_cmp_double);
    s->med[r] = sorted[(n - 1) / 2];
    s->p999[r] = sorted[q - 1];
    s->worst[r] = sorted[n - 1];
    for (int p = 0; p < PARTS; p++) {
        size_t m = 0;

        for (size_t i = 1; i <= n; i++)
            if (pt[i] == p)
                sorted[m++] = ns[i];
        qsort(sorted, m, sizeof *sorted, report_cmp_double);
        s->part_med[p][r] = m > 0 ? sorted[(m - 1) / 2] : 0;
        s->part_max[p][r] = m > 0 ? sorted[m - 1] : 0;
    }
    free(sorted);
}

/* One table built in a child process, so that each starts from the same malloc: glibc
 * raises its mmap threshold when it frees a big mapped block, and a table built after
 * another would take its arrays from the heap instead. Round r is timed; r < 0 is the
 * faults round. */
static void in_child(enum kind kind, size_t n, int r)
{
    int status;
    pid_t pid = fork();

    if (pid < 0) {
        fprintf(stderr, "%s: fork: %s\n", PROG, strerror(errno));
        exit(1);
    }
    if (pid == 0) {
        run(kind, n, r >= 0);
        if (r >= 0)
            summarise(&part[kind * (n + 1)], &least[kind * (n + 1)], n, r, &st[kind]);
        _exit(0);
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        exit(1); /* the child said why (cli_oom), or was killed */
}

/* v[0..ROUNDS) sorted, as a report_run: the median and the spread. */
static struct report_run run_of(double *v)
{
    double median = report_median(v, ROUNDS);

    return (struct report_run){.ns = median, .ns_min = v[0], .ns_max = v[ROUNDS - 1],
                               .runs = ROUNDS};
}

static void compare(const char *what, enum kind a, enum kind b, struct report_run *w)
{
    char e[32];

    printf("  %s, %s / %s: %s", what, kind_name[a], kind_name[b],
           report_time_ratio(&w[a], &w[b], e, sizeof e));
    if (report_runs_overlap(&w[a], &w[b]))
        printf(", the rounds overlap: no measurable difference\n");
    else
        printf(" (round against round: %.1f - %.1fx)\n", w[a].ns_min / w[b].ns_max,
               w[a].ns_max / w[b].ns_min);
}

static void timing(size_t n)
{
    struct report_run w[TIMED_KINDS];
    size_t count[TIMED_KINDS][PARTS] = {{0}};
    uint64_t part_faults[TIMED_KINDS][PARTS] = {{0}};
    size_t bytes = TIMED_KINDS * sizeof *st + (n + 1) * sizeof *ns +
                   TIMED_KINDS * (n + 1) * (sizeof *least + sizeof *part + sizeof *faults);
    size_t slow_at[TIMED_KINDS][PARTS] = {{0}};
    char a[48], b[48], c[48], d[48], e[32];
    void *shared = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    if (shared == MAP_FAILED)
        cli_oom(PROG, "the arrays of times");
    /* written before any put is timed: their own first-touch faults are no put's */
    memset(shared, 0, bytes);
    st = shared;
    ns = (double *)(st + TIMED_KINDS);
    least = ns + n + 1;
    faults = (uint32_t *)(least + TIMED_KINDS * (n + 1));
    part = (uint8_t *)(faults + TIMED_KINDS * (n + 1));

    printf("%s keys put from empty into each table, every put timed (clock_gettime around\n"
           "it), %d rounds of each, alternated, each table built in a child process of its own:\n"
           "the median over the rounds and the spread (fastest - slowest round). \"%s\":\n"
           "inctab with the old array's moved pages given back as the migration passes them\n"
           "(madvise MADV_DONTNEED, one call a %zu-byte page)\n\n",
           report_count(n, a, sizeof a), ROUNDS, kind_name[INC_GIVE], page);
    cli_flush_stdout(); /* before the children: none of them inherits lines not written */
    for (int k = 0; k < TIMED_KINDS; k++) /* the faults round: what each put did */
        in_child((enum kind)k, n, -1);
    for (int r = 0; r < ROUNDS; r++)
        for (int k = 0; k < TIMED_KINDS; k++)
            in_child((enum kind)k, n, r);

    printf("  %-16s %-24s %-24s %s\n", "", "median put", "99.9th percentile", "worst put");
    for (int k = 0; k < TIMED_KINDS; k++) {
        struct report_run m = run_of(st[k].med), p = run_of(st[k].p999);

        w[k] = run_of(st[k].worst);
        printf("  %-16s %-24s %-24s %s\n", kind_name[k], report_time_spread(&m, a, sizeof a),
               report_time_spread(&p, b, sizeof b), report_time_spread(&w[k], c, sizeof c));
    }
    compare("worst put", GROWN, INC, w);
    compare("worst put", INC, INC_GIVE, w);
    compare("worst put", INC_GIVE, HINTED, w);

    for (int k = 0; k < TIMED_KINDS; k++)
        for (size_t i = 1; i <= n; i++) {
            size_t at = k * (n + 1) + i, *sl = &slow_at[k][part[at]];

            count[k][part[at]]++;
            part_faults[k][part[at]] += faults[at];
            if (*sl == 0 || least[at] > least[k * (n + 1) + *sl])
                *sl = i;
        }
    printf("\nthe puts by what they did, in a round that counts each put's minor faults (getrusage)\n"
           "instead of timing it; their median in the timed rounds, and the slowest of them with\n"
           "each put at its least time over the rounds: the same put does the same work in every\n"
           "round, and a pause of the machine's own falls on another put each time\n");
    printf("  %-16s %-19s %9s %8s  %-22s %s\n", "", "the put", "puts", "faults", "median",
           "slowest at its least");
    for (int k = 0; k < TIMED_KINDS; k++)
        for (int p = 0; p < PARTS; p++) {
            struct report_run m;
            size_t i = slow_at[k][p];

            if (count[k][p] == 0)
                continue;
            m = run_of(st[k].part_med[p]);
            printf("  %-16s %-19s %9s %8s  %-22s %-10s put %s\n", kind_name[k], part_name[p],
                   report_count(count[k][p], a, sizeof a),
                   report_count(part_faults[k][p], b, sizeof b),
                   report_time_spread(&m, c, sizeof c),
                   report_duration(least[k * (n + 1) + i], d, sizeof d), report_count(i, e, sizeof e));
        }
    printf("\nthe worst put of each round: its number, and what it did\n");
    for (int k = 0; k < TIMED_KINDS; k++) {
        printf("  %-16s", kind_name[k]);
        for (int r = 0; r < ROUNDS; r++) {
            size_t i = st[k].worst_at[r];

            printf(" %9s %-7s", report_count(i, a, sizeof a),
                   (const char *const[]){"grew", "freed", "faulted", "-"}[part[k * (n + 1) + i]]);
        }
        printf("\n");
    }
    munmap(shared, bytes);
}

int main(int argc, char **argv)
{
    size_t n = N_DEFAULT;

    cli_close_stdout_at_exit(PROG);
    page = (size_t)sysconf(_SC_PAGESIZE);
    if (cli_flag(argc, argv, "--time")) {
        cli_max_args(PROG, argc, 2, "--time [N]");
        if (argc == 3)
            n = (size_t)cli_u64(PROG, "N", argv[2], 1, N_MAX);
        timing(n);
        return 0;
    }
    cli_max_args(PROG, argc, 1, "[N] or --time [N]");
    if (argc == 2)
        n = (size_t)cli_u64(PROG, "N", argv[1], 1, N_MAX);
    counts(n);
    return 0;
}
