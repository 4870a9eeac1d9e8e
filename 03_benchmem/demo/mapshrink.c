/* mapshrink.c: deleting keys does not shrink a map. N keys put into a hash table
 * (maptab.h), then all deleted but 1 in 100, then maptab_shrink: after each step the
 * table's slots, the bytes it holds, the allocations and frees of the step (counted by the
 * toolbox), and the slots a lookup of a key never put reads on average (counted exactly,
 * over N such keys). make mapshrink-03; ARGS=N (default 100,000). */
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "countalloc.h"
#include "maptab.h"
#include "report.h"

#define PROG "mapshrink"
#define N_DEFAULT 100000
#define N_MAX 100000000 /* 134,217,728 slots: 2 GiB, and 3 GiB at the last growth's peak */
#define KEEP_EVERY 100  /* key i is kept when i is a multiple of it */

/* The slots read by lookups of n keys never put (maptab_key(n + 1) ... maptab_key(2n)). */
static uint64_t missing_probes(const struct maptab *t, size_t n)
{
    uint64_t probes = 0;

    for (size_t i = n + 1; i <= 2 * n; i++)
        probes += maptab_probes(t, maptab_key(i));
    return probes;
}

static void row(const char *step, const struct maptab *t, const struct countalloc_stats *d,
                int64_t live, size_t n)
{
    char s[32], h[32], a[32], f[32], b[32];
    uint64_t probes = missing_probes(t, n);

    printf("  %-24s %9s %10s %7s %6s %10s %9.2f\n", step, report_count(t->cap, s, 32),
           report_bytes((double)live, h, 32), report_count(d->mallocs, a, 32),
           report_count(d->frees, f, 32), report_bytes((double)d->total_alloc, b, 32),
           (double)probes / (double)n);
}

/* Whether t holds exactly the keys i <= n with i a multiple of KEEP_EVERY, with value i. */
static int holds_kept(const struct maptab *t, size_t n)
{
    for (size_t i = 1; i <= n; i++) {
        uint64_t v = 0;
        int held = maptab_get(t, maptab_key(i), &v);

        if (held != (i % KEEP_EVERY == 0) || (held && v != i))
            return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    struct maptab t = MAPTAB_INIT;
    struct countalloc_stats base, start, d;
    size_t n = N_DEFAULT, kept;
    char nb[32], kb[32], db[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = (size_t)cli_u64(PROG, "N", argv[1], 1, N_MAX);
    kept = n / KEEP_EVERY;

    printf("%s keys put into the table of maptab.h (%zu-byte slots, grown by doubling past 3/4),\n"
           "then all deleted but 1 in %d (%s kept), then maptab_shrink. Deleting shifts the\n"
           "keys after a gap back into it (no tombstones). \"probes\": slots read per lookup\n"
           "of a key never put, the mean over %s such keys, counted exactly\n\n",
           report_count(n, nb, 32), sizeof(struct maptab_slot), KEEP_EVERY,
           report_count(kept, kb, 32), report_count(n, db, 32));
    printf("  %-24s %9s %10s %7s %6s %10s %9s\n", "after", "slots", "holds", "allocs", "frees",
           "allocated", "probes");

    countalloc_read(&base);
    countalloc_measure_begin(&start);
    if (maptab_fill(&t, n) != 0)
        cli_oom(PROG, "filling the table");
    d = countalloc_measure_end(&start);
    snprintf(nb, sizeof nb, "filled: %s keys", report_count(n, db, 32));
    row(nb, &t, &d, d.heap_alloc, n);

    countalloc_measure_begin(&start);
    for (size_t i = 1; i <= n; i++)
        if (i % KEEP_EVERY != 0 && !maptab_del(&t, maptab_key(i))) {
            printf("key %zu: not found to delete: NO (a bug)\n", i);
            return 1;
        }
    d = countalloc_measure_end(&start);
    snprintf(nb, sizeof nb, "deleted: %s left", report_count(t.count, db, 32));
    row(nb, &t, &d, start.heap_alloc + d.heap_alloc - base.heap_alloc, n);

    countalloc_measure_begin(&start);
    if (maptab_shrink(&t) != 0)
        cli_oom(PROG, "shrinking the table");
    d = countalloc_measure_end(&start);
    row("shrunk: maptab_shrink", &t, &d, start.heap_alloc + d.heap_alloc - base.heap_alloc, n);

    if (t.count != kept || !holds_kept(&t, n)) {
        printf("the table does not hold the %s kept keys alone: NO (a bug)\n", kb);
        return 1;
    }
    printf("\nevery kept key found with its value, no deleted key found\n");
    maptab_free(&t);
    return 0;
}
