/* hidden.c: see hidden.h. Each probe brackets exactly one call with HIDDEN_MEASURE. */
#include "hidden.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

/* stmt's allocation deltas into *d. */
#define HIDDEN_MEASURE(d, stmt)                                                 \
    do {                                                                        \
        struct countalloc_stats s_;                                             \
        countalloc_measure_begin(&s_);                                          \
        stmt;                                                                   \
        *(d) = countalloc_measure_end(&s_);                                     \
    } while (0)

#define QSORT_N 1000000 /* int64_t: 8 MB, past glibc's on-stack limit for qsort */

static int probe_strdup(struct countalloc_stats *d)
{
    char *s;

    HIDDEN_MEASURE(d, s = strdup("user000042"));
    free(s);
    return s == NULL ? -1 : 0;
}

static int probe_fopen(struct countalloc_stats *d)
{
    FILE *f;

    HIDDEN_MEASURE(d, f = fopen("/dev/null", "r"));
    if (f == NULL)
        return -1;
    fclose(f);
    return 0;
}

static int probe_first_read(struct countalloc_stats *d)
{
    FILE *f = fopen("/dev/null", "r");
    int c;

    if (f == NULL)
        return -1;
    HIDDEN_MEASURE(d, c = getc(f));
    (void)c;
    fclose(f);
    return 0;
}

static int probe_fclose(struct countalloc_stats *d)
{
    FILE *f = fopen("/dev/null", "r");

    if (f == NULL)
        return -1;
    (void)getc(f);
    HIDDEN_MEASURE(d, fclose(f));
    return 0;
}

static int probe_getline(struct countalloc_stats *d)
{
    char text[] = "user000042,1234\n", iobuf[64];
    FILE *f = fmemopen(text, sizeof text - 1, "r");
    char *line = NULL;
    size_t size = 0;
    ssize_t n;

    if (f == NULL)
        return -1;
    setvbuf(f, iobuf, _IOFBF, sizeof iobuf); /* the stream's own buffer: not counted */
    HIDDEN_MEASURE(d, n = getline(&line, &size, f));
    free(line);
    fclose(f);
    return n < 0 ? -1 : 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static int probe_qsort(struct countalloc_stats *d, size_t n)
{
    int64_t small[100];
    int64_t *v = n <= 100 ? small : malloc(n * sizeof *v);

    if (v == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        v[i] = (int64_t)((n - i) * 7919u % n);
    HIDDEN_MEASURE(d, qsort(v, n, sizeof *v, cmp_i64));
    if (v != small)
        free(v);
    return 0;
}

static int probe_qsort_small(struct countalloc_stats *d) { return probe_qsort(d, 100); }
static int probe_qsort_large(struct countalloc_stats *d) { return probe_qsort(d, QSORT_N); }

static int probe_asprintf(struct countalloc_stats *d)
{
    char *s;
    int n;

    HIDDEN_MEASURE(d, n = asprintf(&s, "user%06d", 42));
    if (n < 0)
        return -1;
    free(s);
    return 0;
}

static int probe_snprintf(struct countalloc_stats *d)
{
    char buf[32];
    int n;

    HIDDEN_MEASURE(d, n = snprintf(buf, sizeof buf, "user%06d", 42));
    return n < 0 ? -1 : 0;
}

static int probe_memstream(struct countalloc_stats *d)
{
    char *s = NULL;
    size_t len = 0;
    int rc = 0;

    HIDDEN_MEASURE(d, {
        FILE *f = open_memstream(&s, &len);
        if (f == NULL || fprintf(f, "user%06d", 42) < 0)
            rc = -1;
        if (f != NULL && fclose(f) != 0)
            rc = -1;
    });
    free(s);
    return rc;
}

static int probe_localtime(struct countalloc_stats *d)
{
    time_t t = 0;
    struct tm *tm;

    HIDDEN_MEASURE(d, tm = localtime(&t));
    return tm == NULL ? -1 : 0;
}

static int probe_setlocale(struct countalloc_stats *d)
{
    char *name;

    HIDDEN_MEASURE(d, name = setlocale(LC_ALL, ""));
    return name == NULL ? -1 : 0;
}

const struct hidden_probe hidden_probes[] = {
    {"strdup(s)", "the copy (Go: strings.Clone)", probe_strdup},
    {"fopen(path, \"r\")", "the FILE (Go: os.Open)", probe_fopen},
    {"getc(f), first read", "the stream's buffer (Go: bufio.NewReader)", probe_first_read},
    {"fclose(f)", "frees both", probe_fclose},
    {"getline(&line, &n, f)", "line = NULL: a buffer you free (Python: for line in f)",
     probe_getline},
    {"qsort, 100 int64_t", "sorts on the stack (Go: sort.Ints)", probe_qsort_small},
    {"qsort, 1,000,000 int64_t", "a merge-sort buffer as large as the array",
     probe_qsort_large},
    {"asprintf(&s, fmt, ...)", "an exact copy of a working buffer (Go: fmt.Sprintf)",
     probe_asprintf},
    {"snprintf(buf, size, fmt, ...)", "the caller's buffer", probe_snprintf},
    {"open_memstream + fprintf + fclose", "(Go: bytes.Buffer; Python: io.StringIO)",
     probe_memstream},
    {"localtime(&t), first call", "reads the time zone (TZ, /etc/localtime)",
     probe_localtime},
    {"setlocale(LC_ALL, \"\")", "loads the locale the environment names", probe_setlocale},
};

const size_t hidden_nprobes = sizeof hidden_probes / sizeof hidden_probes[0];

void hidden_print_head(FILE *out)
{
    fprintf(out, "%-36s %7s %6s %11s %11s  %s\n", "call", "allocs", "frees", "bytes",
            "left live", "what allocates");
}

void hidden_print_row(FILE *out, const char *call, const struct countalloc_stats *d,
                      const char *note)
{
    char bytes[32], live[32];

    if (d->heap_alloc < 0)
        snprintf(live, sizeof live, "-%s",
                 report_bytes((double)-d->heap_alloc, (char[32]){0}, 32));
    else
        report_bytes((double)d->heap_alloc, live, sizeof live);
    fprintf(out, "%-36s %7llu %6llu %11s %11s  %s\n", call, (unsigned long long)d->mallocs,
            (unsigned long long)d->frees, report_bytes((double)d->total_alloc, bytes, sizeof bytes),
            live, note);
}
