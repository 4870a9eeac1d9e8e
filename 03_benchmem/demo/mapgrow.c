/* mapgrow.c: size hints. N keys put into a hash table (maptab.h) grown by doubling from
 * its smallest size, each growth printed (slots before and after, the bytes it allocated,
 * the heap at its peak: the old array and the new one at once); then the same N keys into
 * a table made with a hint of N: one array, no growth. make mapgrow-03; ARGS=N (default
 * 100,000). */
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "countalloc.h"
#include "maptab.h"
#include "report.h"

#define PROG "mapgrow"
#define N_DEFAULT 100000
#define N_MAX 100000000 /* 134,217,728 slots: 2 GiB, and 3 GiB at the last growth's peak */

struct build {
    uint64_t allocs, bytes; /* from the first put (or maptab_init) to the last */
    uint64_t moved;         /* keys rehashed into a new array, over every growth */
    int64_t peak;           /* the table's highest heap, old and new arrays together */
    size_t growths;
};

static void growth_row(size_t k, size_t key, size_t from, size_t to,
                       const struct countalloc_stats *d, int64_t live_before)
{
    char a[32], b[32], c[32], f[32], t[32], ky[32], mv[32];

    printf("  %6zu  %9s  %9s -> %-9s  %9s  %10s  %10s  %10s\n", k, report_count(key, ky, 32),
           report_count(from, f, 32), report_count(to, t, 32), report_count(key - 1, mv, 32),
           report_bytes((double)d->total_alloc, a, 32),
           report_bytes((double)(live_before + d->heap_alloc), b, 32),
           report_bytes((double)(live_before + d->peak), c, 32));
}

/* Put keys 1..n into t (empty, or made with a hint), measuring each put that allocates;
 * print a row per growth when rows is set. */
static void fill(struct maptab *t, size_t n, int rows, struct build *out)
{
    struct countalloc_stats base, start, d;

    countalloc_read(&base);
    out->peak = 0;
    out->growths = 0;
    out->moved = 0;
    for (size_t i = 1; i <= n; i++) {
        size_t from = t->cap;
        int rc;

        if (maptab_slots_for(t->count + 1) <= t->cap) { /* no array this time */
            rc = maptab_put(t, maptab_key(i), i);
        } else {
            int64_t live = 0;

            countalloc_measure_begin(&start);
            live = start.heap_alloc - base.heap_alloc;
            rc = maptab_put(t, maptab_key(i), i);
            d = countalloc_measure_end(&start);
            if (rc == 0 && live + d.peak > out->peak)
                out->peak = live + d.peak;
            if (rc == 0 && from > 0) {
                out->growths++;
                out->moved += i - 1; /* every key put before this one */
                if (rows)
                    growth_row(out->growths, i, from, t->cap, &d, live);
            }
        }
        if (rc != 0)
            cli_oom(PROG, "growing the table");
    }
    countalloc_read(&start);
    d = countalloc_diff(&start, &base);
    out->allocs = d.mallocs;
    out->bytes = d.total_alloc;
}

static void totals(const struct build *b, size_t cap)
{
    char a[32], by[32], pk[32], c[32], mv[32];

    printf("  %s slots: %s allocation%s, %s B allocated, peak %s B, %s keys moved\n",
           report_count(cap, c, 32), report_count(b->allocs, a, 32),
           b->allocs == 1 ? "" : "s", report_count(b->bytes, by, 32),
           report_count((uint64_t)b->peak, pk, 32), report_count(b->moved, mv, 32));
}

static void ratio(const char *what, double grown, double hinted)
{
    if (hinted > 0)
        printf("  %-18s %.2fx\n", what, grown / hinted);
    else
        printf("  %-18s -\n", what); /* nothing counted: another allocator serves the blocks */
}

int main(int argc, char **argv)
{
    struct maptab grown = MAPTAB_INIT, hinted;
    struct build g, h;
    struct countalloc_stats start, d;
    size_t n = N_DEFAULT;
    char nb[32], sb[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = (size_t)cli_u64(PROG, "N", argv[1], 1, N_MAX);

    printf("%s keys put into an open-addressed uint64 -> uint64 table (maptab.h): %zu-byte\n"
           "slots, a power of two from %d, doubled when the next key would pass 3/4 of them\n\n",
           report_count(n, nb, 32), sizeof(struct maptab_slot), MAPTAB_MIN_SLOTS);

    printf("grown: made empty (no allocation), %d slots at the first key, then each growth\n",
           MAPTAB_MIN_SLOTS);
    printf("  %6s  %9s  %22s  %9s  %10s  %10s  %10s\n", "growth", "at key", "slots",
           "keys moved", "allocated", "live after", "peak heap");
    fill(&grown, n, 1, &g);
    totals(&g, grown.cap);

    /* The hint: one array at maptab_init, measured as part of the build. */
    countalloc_measure_begin(&start);
    if (maptab_init(&hinted, n) != 0)
        cli_oom(PROG, "making the table");
    d = countalloc_measure_end(&start);
    fill(&hinted, n, 0, &h);
    h.allocs += d.mallocs;
    h.bytes += d.total_alloc;
    h.peak = d.heap_alloc + h.peak > d.peak ? d.heap_alloc + h.peak : d.peak;
    printf("\nhinted: maptab_init(&t, %s), then the same keys: %s growths\n",
           report_count(n, nb, 32), report_count(h.growths, sb, 32));
    totals(&h, hinted.cap);

    printf("\ngrown / hinted\n");
    ratio("allocations", (double)g.allocs, (double)h.allocs);
    ratio("bytes allocated", (double)g.bytes, (double)h.bytes);
    ratio("peak heap", (double)g.peak, (double)h.peak);
    printf("  %-18s %s against 0, for %s keys put\n", "keys moved",
           report_count(g.moved, sb, 32), report_count(n, nb, 32));

    for (size_t i = 1; i <= n; i++) { /* both hold every key, with its value */
        uint64_t a = 0, b = 0;

        if (!maptab_get(&grown, maptab_key(i), &a) || !maptab_get(&hinted, maptab_key(i), &b) ||
            a != i || b != i) {
            printf("key %zu: the two tables differ: NO (a bug)\n", i);
            return 1;
        }
    }
    maptab_free(&grown);
    maptab_free(&hinted);
    return 0;
}
