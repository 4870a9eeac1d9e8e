/* handles.c: handles instead of pointers, in a slot map (handle.h). A pointer into the
 * map's array, kept past a remove and an insert that reuses the slot, reads the new
 * object; the handle kept instead resolves to NULL. A pointer kept past a growth points
 * into the freed old array (this program compares addresses and never reads through it);
 * every handle still resolves. Then N inserts, N/2 removes, N/2 inserts into the freed
 * slots and gets of every handle: the allocations of each, and the stale gets caught.
 * Everything is computed; the output is the same on every run. make handles-04.
 *
 * Usage: handles [N]. N objects (default 1,000, at least 16, at most 1,000,000). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "countalloc.h"
#include "handle.h"
#include "report.h"

#define PROG "handles"
#define DEFAULT_N 1000
#define MIN_N 16
#define MAX_N 1000000

static uint64_t insert(struct hmap *m, uint64_t id)
{
    uint64_t h = hmap_insert(m, (struct hobj){.id = id, .value = id * 100});

    if (h == 0)
        cli_oom(PROG, "inserting an object");
    return h;
}

static void stale_reference(void)
{
    struct hmap m = HMAP_INIT;
    uint64_t h1, h2;
    struct hobj *p, *g1, *g2;

    printf("the stale reference: object 1 removed, object 2 inserted into its slot\n");
    h1 = insert(&m, 1);
    p = hmap_get(&m, h1);
    hmap_remove(&m, h1);
    h2 = insert(&m, 2);
    printf("  %-8s p = &object 1 (slot %u); after: p->id %llu, p->value %llu: %s\n", "pointer",
           handle_index(h1), (unsigned long long)p->id, (unsigned long long)p->value,
           p->id == 1 ? "still object 1" : "object 2's, read silently");
    g1 = hmap_get(&m, h1);
    g2 = hmap_get(&m, h2);
    printf("  %-8s h1 = slot %u generation %u, h2 = slot %u generation %u\n", "handle",
           handle_index(h1), handle_gen(h1), handle_index(h2), handle_gen(h2));
    printf("  %-8s get(h1): %s; get(h2): id %llu\n", "", g1 ? "an object (a bug)" : "NULL, caught",
           g2 ? (unsigned long long)g2->id : 0ull);
    if (g1 != NULL || g2 == NULL || g2->id != 2) {
        printf("handles: a stale handle resolved: NO (a bug)\n");
        exit(1);
    }
    hmap_destroy(&m);
}

static void growth(void)
{
    struct hmap m = HMAP_INIT;
    uint64_t h[HMAP_MIN_CAP + 1];
    uintptr_t p, old_lo, old_hi, q;
    uint32_t cap;
    unsigned resolve = 0;

    for (uint32_t i = 0; i < HMAP_MIN_CAP; i++)
        h[i] = insert(&m, i + 1);
    p = (uintptr_t)hmap_get(&m, h[0]);
    old_lo = (uintptr_t)m.slots;
    old_hi = (uintptr_t)(m.slots + m.cap);
    cap = m.cap;
    h[HMAP_MIN_CAP] = insert(&m, HMAP_MIN_CAP + 1);
    q = (uintptr_t)hmap_get(&m, h[0]);
    for (uint32_t i = 0; i <= HMAP_MIN_CAP; i++)
        resolve += hmap_get(&m, h[i]) != NULL && hmap_get(&m, h[i])->id == i + 1;
    printf("growth: %u objects fill %u slots; p = &object 1; one more insert grows the array to %u\n",
           cap, cap, m.cap);
    printf("  %-8s p is in the old array: %s; object 1 is now elsewhere: %s;\n", "pointer",
           p >= old_lo && p < old_hi ? "yes" : "no", q != p ? "yes" : "no");
    printf("  %-8s the old array was freed: p points into freed memory\n", "");
    printf("  %-8s %u of %u handles resolve to their object after the growth\n", "handle", resolve,
           HMAP_MIN_CAP + 1);
    if (resolve != HMAP_MIN_CAP + 1 || q == p) {
        printf("handles: a handle lost its object in a growth: NO (a bug)\n");
        exit(1);
    }
    hmap_destroy(&m);
}

struct row {
    const char *what;
    uint64_t ops;
    struct countalloc_stats d;
};

static void row(const struct row *r)
{
    char c[32], a[32], f[32], b[32];

    printf("  %-34s %9s %7s %7s %10s\n", r->what, report_count(r->ops, c, sizeof c),
           report_count(r->d.mallocs, a, sizeof a), report_count(r->d.frees, f, sizeof f),
           report_count(r->d.total_alloc, b, sizeof b));
}

static void allocations(uint64_t n)
{
    struct hmap m = HMAP_INIT;
    struct countalloc_stats b;
    struct row r[5] = {{"insert", n, {0}},
                       {"get, every handle", n, {0}},
                       {"remove, every other object", n / 2, {0}},
                       {"insert into a freed slot", n / 2, {0}},
                       {"get, every handle again", n + n / 2, {0}}};
    uint64_t *h, *h2, caught = 0, resolved = 0;
    char buf[32];

    h = malloc(n * sizeof *h);
    h2 = malloc((n / 2 ? n / 2 : 1) * sizeof *h2);
    if (h == NULL || h2 == NULL)
        cli_oom(PROG, "allocating the handles");

    countalloc_measure_begin(&b);
    for (uint64_t i = 0; i < n; i++)
        h[i] = insert(&m, i + 1);
    r[0].d = countalloc_measure_end(&b);

    countalloc_measure_begin(&b);
    for (uint64_t i = 0; i < n; i++)
        resolved += hmap_get(&m, h[i]) != NULL;
    r[1].d = countalloc_measure_end(&b);

    countalloc_measure_begin(&b);
    for (uint64_t i = 0; i < n / 2; i++)
        if (hmap_remove(&m, h[2 * i]) != 0)
            resolved = 0; /* cannot happen: every handle is live */
    r[2].d = countalloc_measure_end(&b);

    countalloc_measure_begin(&b);
    for (uint64_t i = 0; i < n / 2; i++)
        h2[i] = insert(&m, n + i + 1);
    r[3].d = countalloc_measure_end(&b);

    countalloc_measure_begin(&b);
    for (uint64_t i = 0; i < n; i++)
        caught += hmap_get(&m, h[i]) == NULL;
    for (uint64_t i = 0; i < n / 2; i++)
        resolved += hmap_get(&m, h2[i]) != NULL;
    r[4].d = countalloc_measure_end(&b);

    printf("allocations: %s inserts into an empty map, the array from %u slots of %zu B, doubled\n",
           report_count(n, buf, sizeof buf), HMAP_MIN_CAP, sizeof(struct hslot));
    printf("  %-34s %9s %7s %7s %10s\n", "operation", "count", "allocs", "frees", "bytes");
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        row(&r[i]);
    printf("  growths worked out from N: %u; slots at the end: %s\n", hmap_growths_for(n),
           report_count(m.cap, buf, sizeof buf));
    printf("  stale gets caught: %s of %s removed handles; live handles resolved: %s of %s\n",
           report_count(caught, buf, sizeof buf), report_count(n / 2, (char[32]){0}, 32),
           report_count(resolved, (char[32]){0}, 32), report_count(n + n / 2, (char[32]){0}, 32));
    if (r[0].d.mallocs != hmap_growths_for(n) || caught != n / 2 || resolved != n + n / 2 ||
        r[1].d.mallocs + r[2].d.mallocs + r[3].d.mallocs + r[4].d.mallocs != 0) {
        printf("handles: the counts are not the ones worked out: NO (a bug)\n");
        exit(1);
    }
    hmap_destroy(&m);
    free(h2);
    free(h);
}

int main(int argc, char **argv)
{
    uint64_t n = DEFAULT_N;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = cli_u64(PROG, "N", argv[1], MIN_N, MAX_N);

    printf("A slot map (handle.h): objects of %zu B in slots of %zu B, one array grown by\n"
           "doubling; a handle is a slot's index and its generation in one 64-bit word.\n\n",
           sizeof(struct hobj), sizeof(struct hslot));
    stale_reference();
    printf("\n");
    growth();
    printf("\n");
    allocations(n);
    return 0;
}
