/* report: measure a job's allocations and time, and print heavy vs light side by side,
 * the table every lesson's `make run-NN` shows. Figures for people: "4.0 KiB",
 * "1,000,000", "12.3 ms". Columns have fixed widths, so the lines that carry no time
 * are the same from run to run (tools/docs.sh compares them against the READMEs). */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "countalloc.h"

/* One measured run of a job. */
struct report_run {
    const char *name;           /* column heading: "heavy", "light", ... */
    struct countalloc_stats d;  /* what the job allocated; peak = its own high point */
    double ns;                  /* wall time of the job */
    int rc;                     /* the job's return value (0: success) */
};

/* Run fn(ctx) once and fill *out: the allocation deltas, the peak above the starting
 * heap, the wall time. Returns fn's return value. Allocates nothing itself. */
int report_measure(const char *name, int (*fn)(void *ctx), void *ctx, struct report_run *out);

/* Print runs[0..n) as columns, rows allocs, frees, bytes allocated, peak heap, live
 * after, time, with a last column runs[0]/runs[n-1] when n >= 2. */
void report_table(FILE *out, const struct report_run *runs, size_t n);

/* "512 B", "4.0 KiB", "1.5 MiB", "2.0 GiB" into buf; returns buf. */
char *report_bytes(double bytes, char *buf, size_t size);

/* "850 ns", "12.3 us", "4.56 ms", "1.23 s" into buf; returns buf. */
char *report_duration(double ns, char *buf, size_t size);

/* "1,000,000" into buf; returns buf. */
char *report_count(unsigned long long n, char *buf, size_t size);

/* Monotonic clock in nanoseconds. */
double report_now_ns(void);

#endif
