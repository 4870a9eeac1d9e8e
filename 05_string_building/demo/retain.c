/* retain.c: a short view pins a big buffer. MESSAGES messages of SIZE bytes read one after
 * another, 4 fields of 16 bytes kept from each (retain.h): as views (a pointer and a
 * length into the message's buffer, which then stays allocated) and as copies (the fields
 * packed into one block per message, the buffer freed). For each way: the blocks and bytes
 * still live at the end, the peak, the bytes kept per message and per byte of field
 * wanted, the allocations. make retain-05; ARGS="MESSAGES SIZE" (default 1000 16384). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "countalloc.h"
#include "report.h"
#include "retain.h"

#define PROG "retain"
#define K 4
#define M_DEFAULT 1000
#define M_MAX 100000
#define S_DEFAULT 16384
#define S_MIN (K * RETAIN_FIELD_LEN)
#define S_MAX (1u << 20)
#define TOTAL_MAX (1ull << 30) /* the views keep every message: at most 1 GiB of them */

static const char *const names[2] = {"views", "copies"};
static struct retain stores[2]; /* freed at exit, after an allocation that failed too */

static void free_stores(void)
{
    retain_free(&stores[0]);
    retain_free(&stores[1]);
}

/* Read m messages into st (made empty for them first); the reads' counts. */
static struct countalloc_stats fill(struct retain *st, enum retain_way way, size_t m, size_t s)
{
    struct countalloc_stats start, d;
    int rc = 0;

    if (retain_init(st, way, m, s, K) != 0)
        cli_oom(PROG, "the store's entries");
    countalloc_measure_begin(&start);
    while (rc == 0 && st->count < m)
        rc = retain_read(st);
    d = countalloc_measure_end(&start);
    if (rc != 0)
        cli_oom(PROG, names[way]);
    return d;
}

static void row(const char *way, const struct countalloc_stats *d, size_t m, uint64_t wanted)
{
    char lb[32], in[32], pk[32], per[32], al[32];

    printf("  %-6s  %11s  %10s  %10s  %16s  %12.2fx  %7s\n", way,
           report_count((uint64_t)d->heap_objects, lb, 32), report_bytes((double)d->heap_alloc, in, 32),
           report_bytes((double)d->peak, pk, 32), report_bytes((double)d->heap_alloc / (double)m, per, 32),
           (double)d->heap_alloc / (double)wanted, report_count(d->mallocs, al, 32));
}

/* Every field of every message the same bytes both ways. */
static int same_fields(const struct retain *a, const struct retain *b)
{
    for (size_t i = 0; i < a->count; i++)
        for (size_t j = 0; j < a->k; j++) {
            size_t la, lb;
            const char *pa = retain_field(a, i, j, &la), *pb = retain_field(b, i, j, &lb);

            if (la != lb || memcmp(pa, pb, la) != 0)
                return 0;
        }
    return a->count == b->count;
}

int main(int argc, char **argv)
{
    size_t m = M_DEFAULT, s = S_DEFAULT;
    struct countalloc_stats d[2];
    char mb[32], sb[32], wb[32], eb[32];
    uint64_t wanted;
    int same;

    cli_close_stdout_at_exit(PROG);
    atexit(free_stores);
    cli_max_args(PROG, argc, 2, "[MESSAGES [SIZE]]");
    if (argc > 1)
        m = (size_t)cli_u64(PROG, "MESSAGES", argv[1], 1, M_MAX);
    if (argc > 2)
        s = (size_t)cli_u64(PROG, "SIZE", argv[2], S_MIN, S_MAX);
    if ((uint64_t)m * s > TOTAL_MAX) {
        fprintf(stderr, "%s: MESSAGES x SIZE must be at most %llu (1 GiB), not %zu x %zu\n",
                PROG, TOTAL_MAX, m, s);
        return 2;
    }
    wanted = (uint64_t)m * K * RETAIN_FIELD_LEN;

    printf("%s messages of %s read one after another, %d fields of %d B kept from each\n"
           "(%s of fields wanted in all): views keep a pointer and a length into each\n"
           "message's buffer; copies pack a message's fields into one block and free the\n"
           "buffer. The store's array of entries (%s, one allocation) is the same both\n"
           "ways and left out of the rows.\n",
           report_count(m, mb, 32), report_bytes((double)s, sb, 32), K, RETAIN_FIELD_LEN,
           report_bytes((double)wanted, wb, 32),
           report_bytes((double)(m * sizeof(struct retain_msg)), eb, 32));
    printf("  %-6s  %11s  %10s  %10s  %16s  %13s  %7s\n", "way", "live blocks", "in use",
           "peak", "kept per message", "kept / wanted", "allocs");
    for (int w = 0; w < 2; w++) {
        d[w] = fill(&stores[w], w == 0 ? RETAIN_VIEWS : RETAIN_COPIES, m, s);
        row(names[w], &d[w], m, wanted);
    }
    same = same_fields(&stores[0], &stores[1]);
    printf("the same fields both ways: %s\n", same ? "yes" : "NO (a bug)");
    return same ? 0 : 1;
}
