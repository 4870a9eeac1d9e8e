/* uninit.c: struct uninit_rec's layout (uninit.h), its padding found from offsetof and
 * sizeof, and N records written to /dev/null three ways that leave no byte undefined:
 * calloc, memset, and the fields packed one after another. memcheck finds nothing here;
 * misuse/padding_leak.c is the way it does find something. make uninit-01.
 * Usage: uninit [N], N records each way (1,000 unless given). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "countalloc.h"
#include "report.h"
#include "uninit.h"

#include <valgrind/valgrind.h>

#define PROG "uninit"
#define MAX_N 1000000

/* The layout: each field's offset and size, then the padding, in runs of bytes. */
static void layout(void)
{
    size_t size = sizeof(struct uninit_rec), pad = 0;

    printf("struct uninit_rec { char tag; int64_t value; int16_t kind; }, as the compiler laid it out\n");
    printf("  %-7s %6s %5s\n", "field", "offset", "size");
    for (size_t f = 0; f < UNINIT_NFIELDS; f++)
        printf("  %-7s %6zu %5zu\n", uninit_fields[f].name, uninit_fields[f].offset, uninit_fields[f].size);
    printf("  padding bytes:");
    for (size_t i = 0; i < size; i++) {
        if (!uninit_is_padding(i) || (i > 0 && uninit_is_padding(i - 1)))
            continue;
        size_t end = i;
        while (end + 1 < size && uninit_is_padding(end + 1))
            end++;
        printf(" %zu-%zu", i, end);
        pad += end - i + 1;
    }
    printf("\n  sizeof %zu = %zu bytes of fields + %zu of padding\n", size, uninit_packed_size(), pad);
}

/* Whether every padding byte of *r is 0. */
static int padding_zero(const struct uninit_rec *r)
{
    const unsigned char *b = (const unsigned char *)r;

    for (size_t i = 0; i < sizeof *r; i++)
        if (uninit_is_padding(i) && b[i] != 0)
            return 0;
    return 1;
}

static void put(int fd, const void *p, size_t n, unsigned long long *written)
{
    if (write(fd, p, n) != (ssize_t)n) {
        perror(PROG ": write to /dev/null");
        exit(1);
    }
    *written += n;
}

static void row(const char *way, const struct countalloc_stats *d, unsigned long long written, const char *pad)
{
    char a[32], b[32], w[32];

    printf("  %-31s %9s %11s %13s   %s\n", way, report_count(d->mallocs, a, sizeof a),
           report_count(d->total_alloc, b, sizeof b), report_count(written, w, sizeof w), pad);
}

int main(int argc, char **argv)
{
    struct countalloc_stats start, d;
    unsigned long long written;
    size_t n = 1000;
    int fd, zero;
    char line[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc > 1)
        n = (size_t)cli_u64(PROG, "N", argv[1], 1, MAX_N);
    fd = open("/dev/null", O_WRONLY);
    if (fd < 0) {
        perror(PROG ": /dev/null");
        return 1;
    }

    layout();
    printf("\n%s records written to /dev/null three ways, no byte undefined\n",
           report_count(n, line, sizeof line));
    if (RUNNING_ON_VALGRIND)
        printf("under Valgrind its allocator serves the blocks and the counts below read 0\n");
    printf("  %-31s %9s %11s %13s   %s\n", "", "allocs", "bytes", "bytes written", "padding");

    written = 0, zero = 1;
    countalloc_measure_begin(&start);
    for (size_t i = 0; i < n; i++) {
        struct uninit_rec *r = uninit_new_zeroed('A', (int64_t)i, 7);

        if (r == NULL)
            cli_oom(PROG, "calloc'ing a record");
        zero &= padding_zero(r);
        put(fd, r, sizeof *r, &written);
        free(r);
    }
    d = countalloc_measure_end(&start);
    row("calloc, then the fields", &d, written, zero ? "written, all 0" : "written, NOT 0 (a bug)");

    written = 0, zero = 1;
    countalloc_measure_begin(&start);
    for (size_t i = 0; i < n; i++) {
        struct uninit_rec r;

        uninit_set_cleared(&r, 'A', (int64_t)i, 7);
        zero &= padding_zero(&r);
        put(fd, &r, sizeof r, &written);
    }
    d = countalloc_measure_end(&start);
    row("memset, then the fields", &d, written, zero ? "written, all 0" : "written, NOT 0 (a bug)");

    written = 0;
    countalloc_measure_begin(&start);
    for (size_t i = 0; i < n; i++) {
        struct uninit_rec r = {.tag = 'A', .value = (int64_t)i, .kind = 7};
        unsigned char *buf;
        size_t len;

        if (uninit_pack(&r, &buf, &len) != 0)
            cli_oom(PROG, "packing a record");
        put(fd, buf, len, &written);
        free(buf);
    }
    d = countalloc_measure_end(&start);
    row("the fields packed (uninit_pack)", &d, written, "none: fields only");
    close(fd);
    return 0;
}
