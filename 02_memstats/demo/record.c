/* record.c: what one record costs (record.h): the same six fields in two orders, their
 * holes, and what n records of each cost on the heap, as one array or one malloc each.
 *
 *   record [N]    N records (default 100,000)
 *
 * make record-02 runs it. */
#include <stdio.h>

#include "cli.h"
#include "record.h"
#include "report.h"

#define PROG "record"
#define DEFAULT_N 100000
#define MAX_N 1000000

static void layout(const struct record_type *t)
{
    printf("%s: %zu B, aligned to %zu: %zu B of fields, %zu B of padding\n", t->name, t->size,
           t->align, record_field_bytes(t), record_padding(t));
    printf("  %6s %5s  %s\n", "offset", "size", "field");
    for (size_t i = 0; i < RECORD_FIELDS; i++) {
        const struct record_field *f = &t->field[i];
        size_t hole = record_hole_after(t, i);

        printf("  %6zu %5zu  %s\n", f->offset, f->size, f->decl);
        if (hole > 0)
            printf("  %6zu %5zu  %s\n", f->offset + f->size, hole,
                   i + 1 < RECORD_FIELDS ? "(hole)" : "(padding at the end)");
    }
}

static void chunk(const struct record_type *t)
{
    size_t c, u;

    if (record_chunk(t->size, &c, &u) != 0)
        cli_oom(PROG, "reading glibc's chunk");
    if (c == 0)
        printf("  malloc(%zu): glibc's malloc is not the one serving here (Valgrind)\n", t->size);
    else
        printf("  malloc(%zu) for a %s: a %zu B chunk, %zu B of it usable\n", t->size,
               t->name + sizeof "struct " - 1, c, u);
}

static void row(const char *what, const struct record_cost *c, uint64_t n)
{
    char a[32], b[32], g[32];

    printf("  %-28s %11s %10s %8.1f B", what, report_count(c->allocs, a, sizeof a),
           report_bytes((double)c->bytes, b, sizeof b), (double)c->bytes / (double)n);
    if (c->glibc)
        printf(" %14s %8.1f B\n", report_bytes((double)c->chunk_bytes, g, sizeof g),
               (double)c->chunk_bytes / (double)n);
    else
        printf(" %14s %10s\n", "-", "-");
}

int main(int argc, char **argv)
{
    const struct record_type *type[2] = {&record_loose, &record_tight};
    struct record_cost array[2], each[2];
    uint64_t n = DEFAULT_N;
    char nb[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc == 2)
        n = cli_u64(PROG, "N", argv[1], 1, MAX_N);

    printf("%s: the same six fields in two orders, and what a record costs on the heap\n\n", PROG);
    layout(&record_loose);
    layout(&record_tight);

    printf("\none record from glibc's own malloc: the request plus its 8-byte size field,\n"
           "rounded up to 16\n");
    chunk(&record_loose);
    chunk(&record_tight);

    for (int k = 0; k < 2; k++)
        if (record_array_cost(type[k]->size, n, &array[k]) != 0 ||
            record_each_cost(type[k]->size, n, &each[k]) != 0)
            cli_oom(PROG, "allocating the records");
    printf("\n%s records on the heap, counted (asked for) and in glibc's chunks\n",
           report_count(n, nb, sizeof nb));
    printf("  %-28s %11s %10s %10s %14s %10s\n", "", "allocations", "asked for", "a record",
           "glibc's chunks", "a record");
    row("rec_loose[n], one array", &array[0], n);
    row("rec_loose, one malloc each", &each[0], n);
    row("rec_tight[n], one array", &array[1], n);
    row("rec_tight, one malloc each", &each[1], n);
    printf("  (one malloc each: the records, and the array of n pointers that holds them)\n");
    if (!each[0].glibc)
        printf("  (glibc's chunks: not read, glibc's malloc is not the one serving here)\n");
    return 0;
}
