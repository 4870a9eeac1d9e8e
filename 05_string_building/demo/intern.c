/* intern.c: millions of strings, most of them repeats. N records whose name is one of K
 * distinct city names, built two ways: a strdup per record, and interned (intern.h: one
 * copy per distinct name, the records point at it). For each K: the allocations, the
 * bytes asked for, glibc's chunks for those blocks and the peak; then the compare that
 * interning turns into a pointer compare, counted. make intern-05; ARGS=N (default
 * 100,000). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <valgrind/valgrind.h>

#include "cli.h"
#include "countalloc.h"
#include "intern.h"
#include "platform.h"
#include "report.h"

#define PROG "intern"
#define N_DEFAULT 100000
#define N_MAX 1000000

static const size_t ks[] = {16, 256, 4096, 65536};

/* glibc serves the blocks (not Valgrind's or ASan's allocator): its chunks can be read. */
static int glibc_serves(void)
{
    return !RUNNING_ON_VALGRIND && countalloc_can_inject();
}

/* The chunk glibc gives a request of n bytes, asked of glibc itself once per size. */
static uint64_t chunk_for(size_t n)
{
    static uint64_t seen[512];
    void *p;

    if (n < 512 && seen[n] != 0)
        return seen[n];
    if ((p = __libc_malloc(n)) == NULL)
        cli_oom(PROG, "asking glibc for a chunk");
    uint64_t c = platform_chunk_of(p).size;
    __libc_free(p);
    if (n < 512)
        seen[n] = c;
    return c;
}

/* glibc's chunks for the names the records hold (the array left out). */
static uint64_t records_chunks(const struct records *rs)
{
    uint64_t c = 0;

    if (rs->way == RECORDS_DUP) {
        for (size_t i = 0; i < rs->n; i++)
            c += chunk_for(strlen(rs->r[i].name) + 1);
        return c;
    }
    for (size_t i = 0; i < rs->names.cap; i++)
        if (rs->names.slots[i] != NULL)
            c += chunk_for(intern_entry_size(rs->names.slots[i]->len));
    return c + chunk_for(rs->names.cap * sizeof *rs->names.slots);
}

struct way_cost {
    struct countalloc_stats d; /* the names: the build's allocations, bytes and peak, less
                                * the array of records (the same both ways) */
    uint64_t chunks;           /* glibc's chunks for what it keeps, 0 when not glibc */
};

static void build(size_t n, size_t k, enum records_way way, struct records *rs,
                  struct way_cost *out)
{
    struct countalloc_stats start;
    int rc;

    countalloc_measure_begin(&start);
    rc = records_build(rs, n, k, way);
    out->d = countalloc_measure_end(&start);
    if (rc != 0)
        cli_oom(PROG, "building the records");
    if (out->d.mallocs > 0) { /* 0 where Valgrind's allocator replaced the counting one */
        out->d.mallocs -= 1;
        out->d.total_alloc -= n * sizeof *rs->r;
        out->d.peak -= (int64_t)(n * sizeof *rs->r);
    }
    out->chunks = glibc_serves() ? records_chunks(rs) : 0;
}

static void row(const char *k, const char *way, const struct way_cost *c)
{
    char a[32], b[32], ch[32], pk[32];

    printf("  %9s  %-8s  %9s  %11s  %11s  %11s\n", k, way, report_count(c->d.mallocs, a, 32),
           report_bytes((double)c->d.total_alloc, b, 32),
           glibc_serves() ? report_bytes((double)c->chunks, ch, 32) : "-",
           report_bytes((double)c->d.peak, pk, 32));
}

int main(int argc, char **argv)
{
    size_t n = N_DEFAULT, hits[2], read[2];
    struct records rs;
    struct way_cost dup, in;
    char nb[32], kb[32], b1[32], b2[32], b3[32];
    char query[64];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = (size_t)cli_u64(PROG, "N", argv[1], 1, N_MAX);

    printf("%s records, record i taking name i %% K of K distinct city names; built with a\n"
           "strdup per record, then interned (one copy per distinct name, intern.h); the names\n"
           "only, without the array of records (%s, one allocation, the same both ways)\n%s",
           report_count(n, nb, 32), report_bytes((double)(n * sizeof rs.r[0]), b1, 32), glibc_serves() ? "" : "(no glibc chunks: another allocator serves the blocks here)\n");
    printf("  %9s  %-8s  %9s  %11s  %11s  %11s\n", "K", "way", "allocs", "bytes asked",
           "glibc chunks", "peak");
    for (size_t i = 0; i <= sizeof ks / sizeof ks[0]; i++) {
        /* the Ks below N, then K = N: every name distinct */
        size_t k = i < sizeof ks / sizeof ks[0] ? ks[i] : n;

        if (i < sizeof ks / sizeof ks[0] && k >= n)
            continue;
        build(n, k, RECORDS_DUP, &rs, &dup);
        records_free(&rs);
        build(n, k, RECORDS_INTERNED, &rs, &in);
        records_free(&rs);
        row(report_count(k, kb, 32), "strdup", &dup);
        row("", "interned", &in);
    }

    /* Who lives in the first city: strcmp per record against a pointer compare. */
    records_name(0, query, sizeof query);
    for (int w = 0; w < 2; w++) {
        if (records_build(&rs, n, ks[0], w == 0 ? RECORDS_DUP : RECORDS_INTERNED) != 0)
            cli_oom(PROG, "building the records");
        hits[w] = records_count_named(&rs, query, &read[w]);
        records_free(&rs);
    }
    printf("records named \"%s\" (K = %zu): strdup'ed, %s found by %s strcmp reading %s bytes;\n"
           "interned, %s found by 1 lookup and %s pointer compares reading %s bytes\n",
           query, ks[0], report_count(hits[0], kb, 32), report_count(n, nb, 32),
           report_count(read[0], b1, 32), report_count(hits[1], b2, 32), nb,
           report_count(read[1], b3, 32));
    if (hits[0] != hits[1]) {
        printf("the two counts differ: NO (a bug)\n");
        return 1;
    }
    return 0;
}
