/* onealloc.c: a record and its name in one allocation or two (onealloc.h): what each way
 * asks of malloc for N records, counted, and what glibc's chunks make of it; and the
 * size one block needs, offsetof against sizeof. make onealloc-01. Usage: onealloc [N],
 * N records of each name (1,000 unless given). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "onealloc.h"
#include "report.h"

#include <valgrind/valgrind.h>

#define PROG "onealloc"
#define MAX_N 1000000

static _Noreturn void oom(void)
{
    cli_oom(PROG, "making the records");
}

static void row(const char *what, const struct onealloc_tally *t)
{
    char a[32], f[32], b[32], c[32];

    printf("  %-40s %8s %8s %12s %15s\n", what, report_count(t->mallocs, a, sizeof a),
           report_count(t->frees, f, sizeof f), report_count(t->bytes, b, sizeof b),
           report_count(t->chunks, c, sizeof c));
}

static void records(size_t n, const char *name, size_t len, const char *label)
{
    struct onealloc_tally two, one;
    size_t c_struct = onealloc_chunk(sizeof(struct onealloc_two)), c_name = onealloc_chunk(len + 1);
    size_t c_one = onealloc_chunk(onealloc_one_size(len));
    char nbuf[32], head[80];

    if (onealloc_tally(false, name, len, n, &two) != 0 || onealloc_tally(true, name, len, n, &one) != 0 ||
        c_struct == 0 || c_name == 0 || c_one == 0)
        oom();
    snprintf(head, sizeof head, "%s records named %s", report_count(n, nbuf, sizeof nbuf), label);
    printf("\n%-42s %8s %8s %12s %15s\n", head, "allocs", "frees", "bytes asked", "glibc's chunks");
    row("two: the struct, then the name", &two);
    row("one: the struct with the name", &one);
    printf("  a record in glibc's chunks: two %zu + %zu, one %zu: %zu bytes saved, and an allocation\n",
           c_struct, c_name, c_one, c_struct + c_name - c_one);
}

int main(int argc, char **argv)
{
    static const char alice[] = "alice";
    char longer[101];
    size_t n = 1000, head = offsetof(struct onealloc_one, name), len = strlen(alice);

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = cli_u64(PROG, "N", argv[1], 1, MAX_N);
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';

    printf("a record that owns its name, two ways (onealloc.h):\n");
    printf("  struct onealloc_two { size_t len; uint32_t id; char *name; }  sizeof %zu, the name a block of its own\n",
           sizeof(struct onealloc_two));
    printf("  struct onealloc_one { size_t len; uint32_t id; char name[]; } sizeof %zu, name[] at offset %zu\n",
           sizeof(struct onealloc_one), head);
    printf("\none block for a name of %zu bytes (%zu with its '\\0'):\n", len, len + 1);
    printf("  offsetof(struct onealloc_one, name) + len + 1   %3zu   exact: the name starts where the members end\n",
           onealloc_one_size(len));
    printf("  sizeof(struct onealloc_one) + len + 1           %3zu   %zu more: sizeof counts the padding that name[] overlaps\n",
           sizeof(struct onealloc_one) + len + 1, sizeof(struct onealloc_one) - head);

    if (RUNNING_ON_VALGRIND)
        printf("\nunder Valgrind, whose blocks have no glibc header, \"glibc's chunks\" are each request + 8\n");
    records(n, alice, len, "\"alice\" (5 bytes)");
    records(n, longer, sizeof longer - 1, "\"xx...x\" (100 bytes)");
    return 0;
}
