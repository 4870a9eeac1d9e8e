/* allocif.c: the allocator as a parameter. One parser (allocif.h's kv_parse), written once
 * against struct allocif, turns N "key=value" lines into a table of records; the caller
 * hands it the heap, an arena or a fixed buffer of its own. Each run goes through a
 * counting decorator, so the table shows what the parser asked its allocator for beside
 * what the heap served (countalloc); then each run again, the arena after a reset and
 * the buffer emptied by the frees; then the smallest buffer that holds the N records.
 * make allocif-04.
 *
 * Usage: allocif [N]. N lines (default 1,000). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "allocif.h"
#include "arena.h"
#include "cli.h"
#include "countalloc.h"
#include "report.h"

#define PROG "allocif"
#define DEFAULT_N 1000
#define MAX_N 10000000 /* 250 MB of text, 480 MB of buffer */

static const char *text;
static size_t text_len;

static void row(const char *what, const struct allocif_count *c,
                const struct countalloc_stats *d)
{
    char a[32], f[32], b[32], ha[32], hf[32], hb[32];

    printf("  %-26s %9s %9s %11s   %9s %9s %11s\n", what, report_count(c->allocs, a, 32),
           report_count(c->frees, f, 32), report_count(c->bytes, b, 32),
           report_count(d->mallocs, ha, 32), report_count(d->frees, hf, 32),
           report_count(d->total_alloc, hb, 32));
}

/* Parse the text through inner, counted, and free the table (then reset the arena ar, if
 * given); the row of what it asked and what the heap served. */
static void measured(struct allocif inner, struct arena *ar, const char *what)
{
    struct allocif_count c;
    struct allocif a = allocif_count(&c, inner);
    struct kvtab t = KVTAB_INIT;
    struct countalloc_stats start, d;
    int rc;

    countalloc_measure_begin(&start);
    rc = kv_parse(&a, text, text_len, &t);
    kv_free(&a, &t);
    if (ar != NULL)
        arena_reset(ar);
    d = countalloc_measure_end(&start);
    if (rc != 0 && errno == ENOMEM)
        cli_oom(PROG, what);
    if (rc != 0) {
        printf("%s: the parse failed: NO (a bug)\n", what);
        exit(1);
    }
    row(what, &c, &d);
}

int main(int argc, char **argv)
{
    struct arena ar;
    struct allocif_buf b;
    uint64_t n = DEFAULT_N;
    size_t bound, high;
    char *mem, *buf;
    char nb[32], lb[32], hb[32], kb[32], label[32];
    struct kvtab t = KVTAB_INIT;
    int rc;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = cli_u64(PROG, "N", argv[1], 1, MAX_N);

    text_len = kv_sample(n, NULL, 0);
    /* The buffer's bound: the records block and each string rounded up to ALLOCIF_ALIGN */
    bound = n * sizeof(struct kv) + text_len + (2 * n + 1) * ALLOCIF_ALIGN;
    if ((mem = malloc(text_len + 1)) == NULL)
        cli_oom(PROG, "the text");
    if ((buf = malloc(bound)) == NULL) {
        free(mem);
        cli_oom(PROG, "the buffer");
    }
    kv_sample(n, mem, text_len + 1);
    text = mem;
    arena_init(&ar, 0);

    printf("%s lines \"key<i>=value<i*7>\" (%s B of text) parsed into %s records of %zu B,\n"
           "each with its key and value strings: one parser, given each allocator in turn.\n"
           "What the parser asked its allocator for (a counting decorator), and what the\n"
           "heap served (the counting allocator), from the parse to the free (and reset):\n\n",
           report_count(n, nb, 32), report_count(text_len, lb, 32), nb, sizeof(struct kv));
    printf("  %-26s %31s   %31s\n", "", "what the parser asked for", "what the heap served");
    printf("  %-26s %9s %9s %11s   %9s %9s %11s\n", "allocator", "allocs", "frees", "bytes",
           "allocs", "frees", "bytes");
    measured(allocif_heap(), NULL, "heap (malloc, free)");
    snprintf(label, sizeof label, "arena (%d KiB chunks)", ARENA_CHUNK / 1024);
    measured(allocif_arena(&ar), &ar, label);
    measured(allocif_arena(&ar), &ar, "arena, after its reset");
    measured(allocif_buf(&b, buf, bound), NULL, "fixed buffer");
    high = b.high;
    measured(allocif_buf(&b, buf, bound), NULL, "fixed buffer, again");
    arena_destroy(&ar);

    /* The smallest buffer: exactly what the first run used at its highest; a byte less
     * refuses, and the parse gives back what it took. */
    struct allocif a = allocif_buf(&b, buf, high);
    rc = kv_parse(&a, text, text_len, &t);
    kv_free(&a, &t);
    if (rc != 0 || b.used != 0) {
        printf("a buffer of %zu B: the parse failed: NO (a bug)\n", high);
        exit(1);
    }
    a = allocif_buf(&b, buf, high - 1);
    rc = kv_parse(&a, text, text_len, &t);
    if (rc == 0 || errno != ENOMEM || b.used != 0) {
        printf("a buffer of %zu B: the parse did not fail cleanly: NO (a bug)\n", high - 1);
        exit(1);
    }
    printf("\nthe smallest buffer that holds the %s records: %s B (%s B of strings and records,\n"
           "each block rounded up to %zu B); with %s B the parse fails, ENOMEM, the buffer empty.\n",
           nb, report_count(high, hb, 32),
           report_count(n * sizeof(struct kv) + text_len, kb, 32), (size_t)ALLOCIF_ALIGN,
           report_count(high - 1, lb, 32));
    free(buf);
    free(mem);
    return 0;
}
