/* lru.c: an LRU cache, the interview classic, seen through its allocations. The same
 * workload through the textbook cache (lrut_: a hash node, a list node and a key copy
 * malloc'd per entry) and the intrusive one (lrui_: every entry in one array made at
 * init): each operation measured on its own, counted by kind, and the whole run's
 * allocations, frees, bytes, peak and live blocks. make lru-04.
 *
 * The workload: OPS draws of the toolbox's seeded generator (shuffle_rand), each a key
 * "k<number>" from a space of 4 * CAPACITY keys, 3 draws in 4 from the first CAPACITY / 2
 * of them (hot keys, which hit);
 * a get, then a put of the key when the get missed (cache-aside), or a put of a new
 * value on 1 hit in 4 (an update).
 *
 * Usage: lru [CAPACITY [OPS]]. CAPACITY entries (default 1,000), OPS draws (default 20,000). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "countalloc.h"
#include "lru.h"
#include "report.h"
#include "shuffle.h"

#define PROG "lru"
#define DEFAULT_CAP 1000
#define DEFAULT_OPS 20000
#define MAX_CAP 1000000     /* the textbook way: 3 blocks an entry, 100 MB at most */
#define MAX_OPS 100000000   /* a second or two at most */

/* The kinds of operation, each counted apart. */
enum kind { GET_HIT, GET_MISS, PUT_UPDATE, PUT_NEW, PUT_EVICT, NKINDS };

static const char *const kind_name[NKINDS] = {
    "get, a hit", "get, a miss", "put, an update", "put, a new key", "put, a new key, evicting",
};

/* One way behind the same calls, so that the demo runs one loop over both. */
struct way {
    const char *name;
    int (*init)(void *c, size_t cap);
    bool (*get)(void *c, const char *key, uint64_t *val);
    int (*put)(void *c, const char *key, uint64_t val);
    const struct lru_counts *(*counts)(const void *c);
    void (*free)(void *c);
};

static int t_init(void *c, size_t cap) { return lrut_init(c, cap); }
static bool t_get(void *c, const char *k, uint64_t *v) { return lrut_get(c, k, v); }
static int t_put(void *c, const char *k, uint64_t v) { return lrut_put(c, k, v); }
static const struct lru_counts *t_counts(const void *c) { return &((const struct lrut *)c)->n; }
static void t_free(void *c) { lrut_free(c); }
static int i_init(void *c, size_t cap) { return lrui_init(c, cap); }
static bool i_get(void *c, const char *k, uint64_t *v) { return lrui_get(c, k, v); }
static int i_put(void *c, const char *k, uint64_t v) { return lrui_put(c, k, v); }
static const struct lru_counts *i_counts(const void *c) { return &((const struct lrui *)c)->n; }
static void i_free(void *c) { lrui_free(c); }

/* What a kind of operation, or a stage, cost in all. */
struct tally {
    uint64_t count, allocs, frees, bytes;
};

struct result {
    struct tally kind[NKINDS], init, destroy;
    int64_t peak;            /* the highest heap since init, bytes */
    int64_t live_end;        /* blocks live before the destroy */
    int64_t live_peak;       /* the most blocks live at once */
    uint64_t sum;            /* the values the hits read: the same for both ways */
};

static void add(struct tally *t, const struct countalloc_stats *d)
{
    t->count++;
    t->allocs += d->mallocs;
    t->frees += d->frees;
    t->bytes += d->total_alloc;
}

/* The workload through one way. Exits on out of memory. */
static void run(const struct way *w, void *c, uint64_t cap, uint64_t ops, struct result *r)
{
    struct countalloc_stats start, b, d, at;
    uint64_t seed = 1, hot = cap / 2 > 0 ? cap / 2 : 1, space = 4 * cap;
    char key[LRU_KEY_MAX + 1];

    memset(r, 0, sizeof *r);
    countalloc_measure_begin(&start);
    if (w->init(c, cap) != 0)
        cli_oom(PROG, w->name);
    at = countalloc_measure_end(&start);
    add(&r->init, &at);
    for (uint64_t i = 0; i < ops; i++) {
        uint64_t x = shuffle_rand(&seed), v;
        uint64_t k = (x & 3) != 0 ? (x >> 8) % hot : (x >> 8) % space;
        bool hit;

        snprintf(key, sizeof key, "k%llu", (unsigned long long)k);
        countalloc_measure_begin(&b);
        hit = w->get(c, key, &v);
        d = countalloc_measure_end(&b);
        add(&r->kind[hit ? GET_HIT : GET_MISS], &d);
        if (hit)
            r->sum += v;
        if (!hit || (x >> 4 & 3) == 0) {
            struct lru_counts was = *w->counts(c);
            const struct lru_counts *now = w->counts(c);
            int rc;

            countalloc_measure_begin(&b);
            rc = w->put(c, key, i);
            d = countalloc_measure_end(&b);
            if (rc != 0)
                cli_oom(PROG, w->name);
            add(&r->kind[now->updates > was.updates       ? PUT_UPDATE
                         : now->evictions > was.evictions ? PUT_EVICT
                                                          : PUT_NEW],
                &d);
        }
        at = countalloc_measure_end(&start);
        if (at.heap_objects > r->live_peak)
            r->live_peak = at.heap_objects;
    }
    at = countalloc_measure_end(&start);
    r->live_end = at.heap_objects;
    r->peak = at.peak;
    countalloc_measure_begin(&b);
    w->free(c);
    d = countalloc_measure_end(&b);
    add(&r->destroy, &d);
}

/* n / count with two decimals, "-" for no operation. */
static char *per(uint64_t n, uint64_t count, char *buf)
{
    if (count == 0)
        snprintf(buf, 32, "-");
    else
        snprintf(buf, 32, "%.2f", (double)n / (double)count);
    return buf;
}

/* A row; ratios only for the operations (init and free are once each). */
static void row(const char *what, const struct tally *t, bool ratios)
{
    char c[32], a[32], f[32], b[32], pa[32], pf[32];

    printf("    %-26s %9s %9s %9s %12s %10s %9s\n", what, report_count(t->count, c, 32),
           report_count(t->allocs, a, 32), report_count(t->frees, f, 32),
           report_count(t->bytes, b, 32), per(t->allocs, ratios ? t->count : 0, pa),
           per(t->frees, ratios ? t->count : 0, pf));
}

static void table(const char *title, const struct result *r)
{
    struct tally all = r->init;
    char p[32], le[32], lp[32];

    printf("  %s\n", title);
    printf("    %-26s %9s %9s %9s %12s %10s %9s\n", "operation", "count", "allocs", "frees",
           "bytes", "allocs/op", "frees/op");
    row("init", &r->init, false);
    for (int k = 0; k < NKINDS; k++) {
        row(kind_name[k], &r->kind[k], true);
        all.allocs += r->kind[k].allocs;
        all.frees += r->kind[k].frees;
        all.bytes += r->kind[k].bytes;
    }
    row("free", &r->destroy, false);
    all.allocs += r->destroy.allocs;
    all.frees += r->destroy.frees;
    printf("    %-26s %9s %9s %9s %12s\n", "in all", "", report_count(all.allocs, p, 32),
           report_count(all.frees, le, 32), report_count(all.bytes, lp, 32));
    printf("    peak %s B; blocks live: %s at the end (before the free), %s at the most\n\n",
           report_count((uint64_t)r->peak, p, 32), report_count((uint64_t)r->live_end, le, 32),
           report_count((uint64_t)r->live_peak, lp, 32));
}

int main(int argc, char **argv)
{
    static const struct way tw = {"the textbook cache", t_init, t_get, t_put, t_counts, t_free};
    static const struct way iw = {"the intrusive cache", i_init, i_get, i_put, i_counts, i_free};
    struct lrut t;
    struct lrui c;
    struct result rt, ri;
    uint64_t cap = DEFAULT_CAP, ops = DEFAULT_OPS;
    char cb[32], ob[32], sb[32], hb[32], bb[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 2, "[CAPACITY [OPS]]");
    if (argc > 1)
        cap = cli_u64(PROG, "CAPACITY", argv[1], 1, MAX_CAP);
    if (argc > 2)
        ops = cli_u64(PROG, "OPS", argv[2], 1, MAX_OPS);

    printf("%s operations on an LRU cache of %s entries: keys \"k<n>\" drawn from %s,\n"
           "3 draws in 4 from the first %s; a get, then a put when it missed, or on 1 hit in 4.\n"
           "Keys of up to %d bytes. Textbook entry: a hash node of %zu B, a list node of %zu B\n"
           "and the key's copy; intrusive entry: %zu B, the key inline. %s buckets.\n"
           "Each operation measured on its own; bytes as requested:\n\n",
           report_count(ops, ob, 32), report_count(cap, cb, 32), report_count(4 * cap, sb, 32),
           report_count(cap / 2 > 0 ? cap / 2 : 1, hb, 32), LRU_KEY_MAX,
           sizeof(struct lrut_hnode), sizeof(struct lrut_list), sizeof(struct lrui_entry),
           report_count(lru_buckets_for(cap), bb, 32));
    cli_flush_stdout();
    run(&tw, &t, cap, ops, &rt);
    run(&iw, &c, cap, ops, &ri);
    for (int k = 0; k < NKINDS; k++) {
        if (rt.kind[k].count != ri.kind[k].count || rt.sum != ri.sum) {
            printf("the two caches disagree on the hits: NO (a bug)\n");
            return 1;
        }
    }
    table("textbook: a hash node, a list node and a key copy per entry (lrut_)", &rt);
    table("intrusive: one array of entries, made at init (lrui_)", &ri);
    printf("Both caches: the same hits, misses and values read (a sum of %s).\n",
           report_count(rt.sum, sb, 32));
    return 0;
}
