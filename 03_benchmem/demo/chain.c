/* chain.c: chaining or open addressing. N keys put into a chained table (chaintab.h: a
 * node malloc'd per key) and into an open-addressed one (maptab.h: keys in the slot array),
 * each made with no size hint and with a hint of N: the allocations, frees and bytes
 * asked (counted), the bytes held after, per key, and glibc's chunk for a node; then the
 * memory reads of N lookups of keys put and N of keys never put, counted exactly (fixed
 * keys, fixed hash). make chain-03; ARGS=N (default 100,000). */
#include <stdint.h>
#include <stdio.h>

#include "chaintab.h"
#include "cli.h"
#include "countalloc.h"
#include "maptab.h"
#include "platform.h"
#include "report.h"

#include <valgrind/valgrind.h>

#define PROG "chain"
#define N_DEFAULT 100000
#define N_MAX 10000000 /* 240 MB of nodes, 128 MiB of buckets, 512 MiB of slots at the peak */

/* What one build counted, from its first allocation (or init) to its last put. */
struct build {
    struct countalloc_stats d;
    size_t size; /* buckets or slots at the end */
};

/* The chunk glibc makes of a request of n bytes: its header and its rounding (under
 * Valgrind, whose blocks have no glibc header: n + 8). 0 when no block could be had. */
static size_t chunk_of(size_t n)
{
    void *p = __libc_malloc(n);
    size_t chunk;

    if (p == NULL)
        return 0;
    chunk = RUNNING_ON_VALGRIND ? n + sizeof(size_t) : platform_chunk_of(p).size;
    __libc_free(p);
    return chunk;
}

static void chain_build(struct chaintab *t, size_t n, size_t hint, struct build *out)
{
    struct countalloc_stats start;

    countalloc_measure_begin(&start);
    if (chaintab_init(t, hint) != 0 || chaintab_fill(t, n) != 0)
        cli_oom(PROG, "filling the chained table");
    out->d = countalloc_measure_end(&start);
    out->size = t->nbuckets;
}

static void open_build(struct maptab *t, size_t n, size_t hint, struct build *out)
{
    struct countalloc_stats start;

    countalloc_measure_begin(&start);
    if (maptab_init(t, hint) != 0 || maptab_fill(t, n) != 0)
        cli_oom(PROG, "filling the open-addressed table");
    out->d = countalloc_measure_end(&start);
    out->size = t->cap;
}

static void row(const char *name, const struct build *b, const char *size_name, size_t n)
{
    char a[32], f[32], by[32], h[32], s[32];

    printf("  %-26s %9s %-7s %9s %6s %12s %12s %8.1f\n", name, report_count(b->size, s, 32),
           size_name, report_count(b->d.mallocs, a, 32), report_count(b->d.frees, f, 32),
           report_count(b->d.total_alloc, by, 32), report_count((uint64_t)b->d.heap_alloc, h, 32),
           (double)b->d.heap_alloc / (double)n);
}

/* The memory reads of lookups of keys 1..n (present) and n+1..2n (never put): a chained
 * lookup reads the bucket's head, then each node it visits; an open-addressed one reads
 * each slot up to the key's or a free one. */
struct reads {
    uint64_t present, absent;
};

static struct reads chain_reads(const struct chaintab *t, size_t n)
{
    struct reads r = {0, 0};

    for (size_t i = 1; i <= n; i++) {
        r.present += 1 + chaintab_probes(t, maptab_key(i));
        r.absent += 1 + chaintab_probes(t, maptab_key(n + i));
    }
    return r;
}

static struct reads open_reads(const struct maptab *t, size_t n)
{
    struct reads r = {0, 0};

    for (size_t i = 1; i <= n; i++) {
        r.present += maptab_probes(t, maptab_key(i));
        r.absent += maptab_probes(t, maptab_key(n + i));
    }
    return r;
}

/* Both tables hold keys 1..n with value i, and no key n+1..2n. */
static int agree(const struct chaintab *c, const struct maptab *m, size_t n)
{
    for (size_t i = 1; i <= n; i++) {
        uint64_t a = 0, b = 0;

        if (!chaintab_get(c, maptab_key(i), &a) || !maptab_get(m, maptab_key(i), &b) || a != i ||
            b != i || chaintab_get(c, maptab_key(n + i), NULL) || maptab_get(m, maptab_key(n + i), NULL))
            return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    struct chaintab cg = CHAINTAB_INIT, ch;
    struct maptab mg = MAPTAB_INIT, mh;
    struct build b[4];
    struct reads rc, ro;
    size_t n = N_DEFAULT, node = sizeof(struct chaintab_node), chunk = chunk_of(node);
    char nb[32], cb[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = (size_t)cli_u64(PROG, "N", argv[1], 1, N_MAX);
    if (chunk == 0)
        cli_oom(PROG, "asking glibc for a node's chunk");

    printf("%s keys (maptab_key(1..N), uint64 -> uint64, one hash: maptab_hash) put into\n"
           "  chaining (chaintab.h): %zu-byte bucket heads, doubled past 1 key per bucket;\n"
           "    a %zu-byte node (key, value, next) malloc'd per key\n"
           "  open addressing (maptab.h): %zu-byte slots (key, value), doubled past 3/4 full\n"
           "each made empty (grown) and with a hint of N (hinted); bytes asked, as counted\n\n",
           report_count(n, nb, 32), sizeof(struct chaintab_node *), node,
           sizeof(struct maptab_slot));

    chain_build(&cg, n, 0, &b[0]);
    chain_build(&ch, n, n, &b[1]);
    open_build(&mg, n, 0, &b[2]);
    open_build(&mh, n, n, &b[3]);
    printf("  %-26s %17s %9s %6s %12s %12s %8s\n", "", "size", "allocs", "frees", "bytes asked",
           "bytes held", "held/key");
    row("chaining, grown", &b[0], "buckets", n);
    row("chaining, hinted", &b[1], "buckets", n);
    row("open addressing, grown", &b[2], "slots", n);
    row("open addressing, hinted", &b[3], "slots", n);

    printf("\nglibc's chunk for a %zu-byte node: %zu bytes (header and rounding), so the nodes\n"
           "take %s bytes of heap, %zu per key, besides the bucket array\n",
           node, chunk, report_count((uint64_t)chunk * n, cb, 32), chunk);

    rc = chain_reads(&cg, n);
    ro = open_reads(&mg, n);
    printf("\nmemory reads per lookup, the mean over %s keys put and %s never put (the grown\n"
           "tables; chaining: the bucket head and each node visited; open addressing: each slot)\n",
           report_count(n, nb, 32), report_count(n, cb, 32));
    printf("  %-26s %10s %10s\n", "", "present", "absent");
    printf("  %-26s %10.3f %10.3f\n", "chaining", (double)rc.present / (double)n,
           (double)rc.absent / (double)n);
    printf("  %-26s %10.3f %10.3f\n", "open addressing", (double)ro.present / (double)n,
           (double)ro.absent / (double)n);

    if (!agree(&cg, &mg, n) || !agree(&ch, &mh, n)) {
        printf("the tables differ: NO (a bug)\n");
        return 1;
    }
    printf("\nevery table holds every key with its value, and no key never put\n");
    chaintab_free(&cg);
    chaintab_free(&ch);
    maptab_free(&mg);
    maptab_free(&mh);
    return 0;
}
