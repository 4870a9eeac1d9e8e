/* report.c: see report.h. */
#include "report.h"

#include <time.h>

#define COL 14 /* width of a figure column */

double report_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int report_measure(const char *name, int (*fn)(void *ctx), void *ctx, struct report_run *out)
{
    struct countalloc_stats before, after;
    double t0, t1;

    countalloc_read(&before);
    countalloc_peak_reset();
    t0 = report_now_ns();
    out->rc = fn(ctx);
    t1 = report_now_ns();
    countalloc_read(&after);
    out->name = name;
    out->d = countalloc_diff(&after, &before);
    out->ns = t1 - t0;
    return out->rc;
}

char *report_bytes(double bytes, char *buf, size_t size)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;

    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%.0f B", bytes);
    else
        snprintf(buf, size, "%.1f %s", bytes, unit[u]);
    return buf;
}

char *report_duration(double ns, char *buf, size_t size)
{
    if (ns < 1e3)
        snprintf(buf, size, "%.0f ns", ns);
    else if (ns < 1e6)
        snprintf(buf, size, "%.1f us", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, size, "%.2f ms", ns / 1e6);
    else
        snprintf(buf, size, "%.2f s", ns / 1e9);
    return buf;
}

char *report_count(unsigned long long n, char *buf, size_t size)
{
    return countalloc_group(n, buf, size);
}

/* The heavy/light ratio cell: "1,000x", "2.5x", "-" when it means nothing. */
static char *ratio(double a, double b, char *buf, size_t size)
{
    if (b <= 0 || a <= 0)
        snprintf(buf, size, "-");
    else if (a / b >= 100)
        snprintf(buf, size, "%sx", report_count((unsigned long long)(a / b + 0.5), (char[32]){0}, 32));
    else
        snprintf(buf, size, "%.1fx", a / b);
    return buf;
}

enum row { ALLOCS, FREES, BYTES, PEAK, LIVE, TIME, NROWS };

static const char *const row_name[NROWS] = {
    "allocs", "frees", "bytes allocated", "peak heap", "live after", "time",
};

static double value(const struct report_run *r, enum row row)
{
    switch (row) {
    case ALLOCS: return (double)r->d.mallocs;
    case FREES: return (double)r->d.frees;
    case BYTES: return (double)r->d.total_alloc;
    case PEAK: return (double)r->d.peak;
    case LIVE: return (double)r->d.heap_alloc;
    default: return r->ns;
    }
}

static char *cell(const struct report_run *r, enum row row, char *buf, size_t size)
{
    switch (row) {
    case ALLOCS:
    case FREES: return report_count((unsigned long long)value(r, row), buf, size);
    case TIME: return report_duration(r->ns, buf, size);
    case LIVE:
        if (r->d.heap_alloc < 0) {
            char tmp[32];
            snprintf(buf, size, "-%s", report_bytes((double)-r->d.heap_alloc, tmp, sizeof tmp));
            return buf;
        }
        return report_bytes(value(r, row), buf, size);
    default: return report_bytes(value(r, row), buf, size);
    }
}

void report_table(FILE *out, const struct report_run *runs, size_t n)
{
    char buf[64];

    fprintf(out, "%-16s", "");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%*s", COL, runs[i].name);
    if (n >= 2) {
        snprintf(buf, sizeof buf, "%s/%s", runs[0].name, runs[n - 1].name);
        fprintf(out, "%*s", COL + 2, buf);
    }
    fputc('\n', out);
    for (int row = 0; row < NROWS; row++) {
        fprintf(out, "%-16s", row_name[row]);
        for (size_t i = 0; i < n; i++)
            fprintf(out, "%*s", COL, cell(&runs[i], (enum row)row, buf, sizeof buf));
        if (n >= 2 && row != LIVE)
            fprintf(out, "%*s", COL + 2,
                    ratio(value(&runs[0], (enum row)row), value(&runs[n - 1], (enum row)row), buf, sizeof buf));
        fputc('\n', out);
    }
}
