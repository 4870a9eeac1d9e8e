/* slab.c: freed but not given back. N objects of SLAB_DEMO_SIZE bytes from a slab pool
 * (slab.h), then all freed but one in k: how many slabs the survivors keep, and the frees
 * the drops made (countalloc); the same with the survivors from a pool of their own; then
 * glibc's malloc on the same pattern, each k in a process of its own: the resident set
 * after each phase, malloc_trim(0) included. make slab-04.
 *
 * Usage: slab [N [K]]. N objects (default 20,000); K one survivor in K (default: the
 * table's 2, 16, 64 and 512). */
#include <errno.h>
#include <gnu/libc-version.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "child.h"
#include "cli.h"
#include "countalloc.h"
#include "report.h"
#include "slab.h"

#define PROG "slab"
#define SLAB_DEMO_SIZE 64
#define DEFAULT_N 20000
#define MAX_N 10000000
#define MAX_K 1000000

static const uint64_t table_k[] = {2, 16, 64, 512};

struct glibc_job {
    uint64_t n, k;
    int err; /* errno of a failed run, 0 */
    struct slab_glibc g;
};

static int glibc_job(void *arg)
{
    struct glibc_job *j = arg;

    j->err = slab_glibc_run(SLAB_DEMO_SIZE, j->n, j->k, &j->g) == 0 ? 0 : errno;
    return 0;
}

static void run_glibc(struct glibc_job *j)
{
    fflush(stdout);
    if (child_run(glibc_job, j, sizeof *j) != 0) {
        fprintf(stderr, "%s: the process running glibc's side failed\n", PROG);
        exit(1);
    }
    if (j->err == ENOMEM)
        cli_oom(PROG, "running glibc's side");
}

static char *count(uint64_t c, char *buf) { return report_count(c, buf, 32); }

static char *kib(size_t b, char *buf) { return report_count(b / 1024, buf, 32); }

/* One pool for everything: the slabs it makes, holds after the drop, and the frees of
 * each drop (countalloc's, which are slabs freed). */
static void one_pool(void **obj, uint64_t n, uint64_t k)
{
    struct slab_pool p;
    struct countalloc_stats start, drop, last;
    uint64_t made, held;
    char a[32], b[32], c[32], d[32], e[32], f[32];

    slab_init(&p, SLAB_DEMO_SIZE);
    if (slab_fill(&p, obj, n) != 0)
        cli_oom(PROG, "filling the pool");
    made = p.made;
    countalloc_measure_begin(&start);
    slab_drop(obj, n, k);
    drop = countalloc_measure_end(&start);
    held = p.slabs;
    if (!slab_survivors_intact(obj, n, k)) {
        fprintf(stderr, "%s: a survivor was overwritten (a bug)\n", PROG);
        exit(1);
    }
    countalloc_measure_begin(&start);
    slab_drop_survivors(obj, n, k);
    last = countalloc_measure_end(&start);
    printf("  %7s %10s %11s %11s %10s %14s\n", count(k, a), count((n + k - 1) / k, b), count(made, c),
           count(held, d), count(drop.frees, e), count(last.frees, f));
    slab_destroy(&p);
}

/* The survivors from keep, the others from temp. */
static void two_pools(void **obj, uint64_t n, uint64_t k)
{
    struct slab_pool keep, temp;
    struct countalloc_stats start, drop;
    uint64_t temp_made;
    char a[32], b[32], c[32], d[32], e[32], f[32];

    slab_init(&keep, SLAB_DEMO_SIZE);
    slab_init(&temp, SLAB_DEMO_SIZE);
    if (slab_fill_split(&keep, &temp, obj, n, k) != 0)
        cli_oom(PROG, "filling the two pools");
    temp_made = temp.made;
    countalloc_measure_begin(&start);
    slab_drop(obj, n, k);
    drop = countalloc_measure_end(&start);
    printf("  %7s %10s %11s %11s %10s %14s\n", count(k, a), count(keep.slabs, b), count(temp_made, c),
           count(temp.slabs, d), count(drop.frees, e), count(keep.slabs + temp.slabs, f));
    slab_drop_survivors(obj, n, k);
    slab_destroy(&keep);
    slab_destroy(&temp);
}

int main(int argc, char **argv)
{
    uint64_t n = DEFAULT_N, ks[sizeof table_k / sizeof table_k[0]];
    size_t nk = sizeof table_k / sizeof table_k[0];
    struct glibc_job jobs[sizeof table_k / sizeof table_k[0]];
    struct slab_pool shape;
    void **obj;
    char a[32], b[32], c[32], d[32], e[32], f[32], h[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 2, "[N [K]]");
    if (argc >= 2)
        n = cli_u64(PROG, "N", argv[1], 1, MAX_N);
    for (size_t i = 0; i < nk; i++)
        ks[i] = table_k[i];
    if (argc >= 3) {
        ks[0] = cli_u64(PROG, "K", argv[2], 1, MAX_K);
        nk = 1;
    }
    /* glibc's side first, while this process's heap has freed nothing its mallocs reuse */
    for (size_t i = 0; i < nk; i++) {
        jobs[i] = (struct glibc_job){.n = n, .k = ks[i]};
        run_glibc(&jobs[i]);
    }
    slab_init(&shape, SLAB_DEMO_SIZE);
    obj = malloc(n * sizeof *obj);
    if (obj == NULL)
        cli_oom(PROG, "allocating the object pointers");

    printf("%s: %s objects of %d B, then all freed but one in k (the survivors), then the\n"
           "survivors. A slab pool (slab.h): slabs of %s B, one aligned_alloc each, %zu B of\n"
           "header, %zu objects a slab; a slab is freed with its last object\n\n", PROG,
           count(n, a), SLAB_DEMO_SIZE, count(SLAB_BYTES, b), slab_header_bytes, shape.per_slab);
    printf("one pool for everything (frees: counted in each drop; each is a slab)\n");
    printf("  %7s %10s %11s %11s %10s %14s\n", "k", "survivors", "slabs made", "held after",
           "frees in", "frees with");
    printf("  %7s %10s %11s %11s %10s %14s\n", "", "", "", "the drop", "the drop", "the survivors");
    for (size_t i = 0; i < nk; i++)
        one_pool(obj, n, ks[i]);
    printf("\nthe remedy: the survivors from a pool of their own, the others from another\n");
    printf("  %7s %10s %11s %11s %10s %14s\n", "k", "survivors'", "the others'", "theirs held",
           "frees in", "slabs held");
    printf("  %7s %10s %11s %11s %10s %14s\n", "", "slabs", "slabs made", "after drop", "the drop",
           "in all");
    for (size_t i = 0; i < nk; i++)
        two_pools(obj, n, ks[i]);
    free(obj);

    printf("\nglibc %s's malloc(%d), the same objects, each k in a process of its own: of\n"
           "the pages the blocks span, those still resident (mincore) after each phase; and\n"
           "mallinfo2's heap and the free bytes it keeps, after the drop\n",
           gnu_get_libc_version(), SLAB_DEMO_SIZE);
    printf("  %7s %7s %9s %9s %9s %9s %11s %11s\n", "k", "span", "built", "dropped", "trimmed",
           "all freed", "heap (KiB)", "kept (KiB)");
    for (size_t i = 0; i < nk; i++) {
        const struct slab_glibc *g = &jobs[i].g;
        char g_[32];
        printf("  %7s %7s %9s %9s %9s %9s %11s %11s\n", count(ks[i], a), count(g->span, g_),
               count(g->resident[SLAB_BUILT], c), count(g->resident[SLAB_DROPPED], d),
               count(g->resident[SLAB_TRIMMED], e), count(g->resident[SLAB_EMPTY], f),
               kib(g->heap[SLAB_DROPPED], h), kib(g->kept[SLAB_DROPPED], b));
    }
    return 0;
}
