/* bench: the C counterpart of `go test -bench . -benchmem`. A benchmark is a function
 * that runs its body b->n times; a program lists its benchmarks and hands them to
 * bench_main, which picks n as Go's testing package does and prints Go's format, so
 * that benchstat reads the output. The handle is owned by the harness; allocation
 * counts come from countalloc and pause with the timer.
 *
 *   static void bench_with_alloc(struct bench *b)
 *   {
 *       for (uint64_t i = 0; i < b->n; i++)
 *           bench_keep(malloc(1024)) ... free ...
 *   }
 *   static const struct bench_def defs[] = {{"WithAlloc", bench_with_alloc}};
 *   int main(int argc, char **argv)
 *   {
 *       return bench_main(argc, argv, "03_benchmem", defs, BENCH_COUNT(defs), NULL, 0);
 *   }
 *
 * Flags: -bench REGEX, -benchtime 1s|100x, -count N, -benchmem (default on), -list, -h.
 * Bad flags or values: one line on stderr and exit status 2. ALLOCATOR=jemalloc (or
 * mimalloc, tcmalloc, glibc) in the environment runs every benchmark of the program
 * under that allocator, still counted (see bench.c). */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

struct bench_state; /* the harness's private bookkeeping */

/* The handle a benchmark receives. */
struct bench {
    uint64_t n;               /* run the measured body this many times (Go's b.N) */
    struct bench_state *priv; /* the harness's; not for benchmarks */
};

/* A benchmark: name without the "Benchmark" prefix, and the function. */
struct bench_def {
    const char *name;
    void (*fn)(struct bench *b);
};

/* Two benchmarks of the same job, compared in the summary after the Go lines. */
struct bench_pair {
    const char *heavy;
    const char *light;
};

#define BENCH_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Go's b.ResetTimer, b.StopTimer, b.StartTimer: setup outside the timed region.
 * Allocation counts pause and resume with the timer; a reset also forgets the metrics
 * reported before it, as Go's does. */
void bench_reset_timer(struct bench *b);
void bench_stop_timer(struct bench *b);
void bench_start_timer(struct bench *b);

/* Go's b.SetBytes: bytes processed per iteration; adds the MB/s column. */
void bench_set_bytes(struct bench *b, uint64_t bytes);

/* Go's b.ReportMetric: a custom figure per op, printed as "value unit". */
void bench_report_metric(struct bench *b, double value, const char *unit);

/* Keep a value alive so the compiler cannot delete the work that made it
 * (Google Benchmark's DoNotOptimize). Costs no instruction. */
static inline void bench_keep(const void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* Parse the flags, run the benchmarks that match, print Go's format and, when pairs
 * are given, the heavy-vs-light summary. Returns the process exit status. */
int bench_main(int argc, char **argv, const char *pkg, const struct bench_def *defs,
               size_t ndefs, const struct bench_pair *pairs, size_t npairs);

/* Exposed for the harness's own tests. Go's predictN, in floating point where Go works
 * in whole nanoseconds (an n can differ by one): the n for the next run, given the goal,
 * the last run's n and time, and the largest n so far. */
uint64_t bench_predict_n(double goal_ns, uint64_t prev_n, double prev_ns, uint64_t last);

/* Go's prettyPrint: "%10.0f ns/op" for large values down to "%18.7f" for tiny ones. */
int bench_format_value(char *buf, size_t size, double x, const char *unit);

#endif
