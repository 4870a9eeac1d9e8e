/* report: measure a job's allocations and time, and print heavy vs light side by side,
 * the table every lesson's `make run-NN` shows. Figures for people: "4.0 KiB",
 * "1,000,000", "12.3 ms". Columns have fixed widths, so the lines that carry no time
 * are the same from run to run (tools/docs.sh compares them against the READMEs). */
#ifndef REPORT_H
#define REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "countalloc.h"

/* One measured job. */
struct report_run {
    const char *name;           /* column heading: "heavy", "light", ... */
    struct countalloc_stats d;  /* what the job allocated; peak = its own high point */
    double ns;                  /* wall time of the job: the median of `runs` runs */
    int rc;                     /* the job's return value (0: success) */
    double ns_min, ns_max;      /* the fastest and the slowest of those runs */
    unsigned runs;              /* how many runs were timed */
};

/* Run fn(ctx) and fill *out: the allocation deltas, the peak above the starting heap, the
 * wall time. Returns fn's return value. Allocates nothing itself.
 *
 * The time is the median of REPORT_RUNS runs (5 unless the environment variable says
 * 1 to 100), or as many as fit in about 3 s: the repeats run first, each in a forked
 * child that starts from the state the job would start from and is thrown away, then the
 * job runs here, once, for real. The counts come from that last run; a repeat that counts
 * differently is reported on stderr. Under Valgrind, and while COUNTALLOC_FAIL_AT injects
 * a failure, the job runs once. */
int report_measure(const char *name, int (*fn)(void *ctx), void *ctx, struct report_run *out);

/* Print runs[0..n) as columns, rows allocs, frees, bytes allocated, peak heap, live
 * after, time (the median) and its spread (fastest - slowest run), with a last column
 * runs[0]/runs[n-1] when n >= 2. A time ratio whose spread crosses 1.0 reads "~1x": no
 * measurable difference. */
void report_table(FILE *out, const struct report_run *runs, size_t n);

/* Whether the fastest and slowest runs of a and b leave their ratio on both sides of 1:
 * no measurable difference. */
bool report_runs_overlap(const struct report_run *a, const struct report_run *b);

/* The time ratio of two runs, a / b, as report_table's last column shows it: "2.5x", or
 * "~1x" where report_runs_overlap. */
char *report_time_ratio(const struct report_run *a, const struct report_run *b, char *buf,
                        size_t size);

/* "12.3 ms (11.9 - 13.1)": a run's median time and spread, into buf; returns buf. */
char *report_time_spread(const struct report_run *r, char *buf, size_t size);

/* "512 B", "4.0 KiB", "1.5 MiB", "2.0 GiB" into buf; returns buf. */
char *report_bytes(double bytes, char *buf, size_t size);

/* "850 ns", "12.3 us", "4.56 ms", "1.23 s" into buf; returns buf. */
char *report_duration(double ns, char *buf, size_t size);

/* "1,234,567": n grouped by commas as Valgrind prints it, into buf; returns buf. 27 bytes
 * hold any 64-bit value. Allocates nothing, so the allocator's at-exit report uses it. */
char *report_count(unsigned long long n, char *buf, size_t size);

/* The median of v[0..n), n >= 1, which it sorts in place (ascending, report_cmp_double),
 * so that v[0] and v[n - 1] are then the least and the greatest: for odd n the middle
 * value, v[n / 2]; for even n the mean of the two middle values, (v[n/2 - 1] + v[n/2]) / 2.
 * report_measure's time is this median of its runs, and so is common/bench's summary. */
double report_median(double *v, size_t n);

/* qsort's comparison for doubles, ascending: the order report_median sorts in. */
int report_cmp_double(const void *a, const void *b);

/* Monotonic clock in nanoseconds. */
double report_now_ns(void);
/* The calling thread's CPU time in nanoseconds (CLOCK_THREAD_CPUTIME_ID): time the
 * machine gives to other processes does not count. */
double report_thread_ns(void);

#endif
