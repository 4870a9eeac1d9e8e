/* bench_countalloc: what counting costs. malloc+free pairs at 64 B and 4 KiB, timed
 * through glibc directly (__libc_malloc / __libc_free) and through the counting
 * allocator, with 1 and 2 threads, in the same run, so only ratios are compared.
 *
 *   build/common/bench_countalloc [PAIRS]     PAIRS per measurement (default 2,000,000)
 *
 * Each figure is the median of 7 rounds; with 2 threads both run the same loop at once
 * and the figure is nanoseconds per pair per thread. Targets: counting adds at most
 * 2 ns per pair, and 2 threads scale as well counted as they do on plain glibc. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "countalloc.h"
#include "report.h"

void *__libc_malloc(size_t n);
void __libc_free(void *p);

#define ROUNDS 7
#define TARGET_NS 2.0

/* One thread's work. Aligned apart so that two threads share no cache line: each
 * writes its own sink, which keeps the compiler from deleting the pairs. */
struct job {
    int counted;      /* 1: malloc/free (counted), 0: __libc_malloc/__libc_free */
    size_t size;
    uint64_t pairs;
    pthread_barrier_t *start;
    double ns;        /* out: nanoseconds per pair */
    void *volatile sink;
} __attribute__((aligned(128)));

static void *loop(void *arg)
{
    struct job *j = arg;
    double t0;

    if (j->start != NULL)
        pthread_barrier_wait(j->start);
    t0 = report_now_ns();
    if (j->counted) {
        for (uint64_t i = 0; i < j->pairs; i++) {
            void *p = malloc(j->size);
            j->sink = p;
            free(p);
        }
    } else {
        for (uint64_t i = 0; i < j->pairs; i++) {
            void *p = __libc_malloc(j->size);
            j->sink = p;
            __libc_free(p);
        }
    }
    j->ns = (report_now_ns() - t0) / (double)j->pairs;
    return NULL;
}

/* One round: `threads` threads (1 or 2) at once; nanoseconds per pair per thread. */
static double round_ns(int counted, size_t size, int threads, uint64_t pairs)
{
    struct job jobs[2];
    pthread_t tid[2];
    pthread_barrier_t start;
    double ns = 0;

    pthread_barrier_init(&start, NULL, (unsigned)threads);
    for (int i = 0; i < threads; i++) {
        jobs[i] = (struct job){counted, size, pairs, threads > 1 ? &start : NULL, 0, NULL};
        if (threads == 1)
            loop(&jobs[i]);
        else if (pthread_create(&tid[i], NULL, loop, &jobs[i]) != 0)
            cli_oom("bench_countalloc", "starting a thread");
    }
    for (int i = 0; threads > 1 && i < threads; i++)
        pthread_join(tid[i], NULL);
    for (int i = 0; i < threads; i++)
        ns += jobs[i].ns / threads;
    pthread_barrier_destroy(&start);
    return ns;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median over ROUNDS of glibc and counted, interleaved so both see the same machine. */
static void measure(size_t size, int threads, uint64_t pairs, double *glibc, double *counted)
{
    double g[ROUNDS], c[ROUNDS];

    for (int r = 0; r < ROUNDS; r++) {
        g[r] = round_ns(0, size, threads, pairs);
        c[r] = round_ns(1, size, threads, pairs);
    }
    qsort(g, ROUNDS, sizeof *g, cmp_double);
    qsort(c, ROUNDS, sizeof *c, cmp_double);
    *glibc = g[ROUNDS / 2];
    *counted = c[ROUNDS / 2];
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {64, 4096};
    uint64_t pairs = 2000000;
    double g1[2], c1[2], g2[2], c2[2];
    int met = 1;

    cli_close_stdout_at_exit(argv[0]);
    cli_max_args("bench_countalloc", argc, 1, "[PAIRS]");
    if (argc == 2)
        pairs = cli_u64("bench_countalloc", "PAIRS", argv[1], 1000, 1000000000);

    /* Start a thread first: glibc's malloc is slower once a process has ever had one,
     * so every measurement below runs in that same state. */
    round_ns(1, 64, 2, 1000);

    printf("the cost of counting: ns per malloc+free pair, median of %d rounds of %s pairs\n\n",
           ROUNDS, report_count(pairs, (char[32]){0}, 32));
    printf("%-8s %-8s %10s %10s %10s %8s\n", "size", "threads", "glibc", "counted", "added", "ratio");
    for (int s = 0; s < 2; s++) {
        measure(sizes[s], 1, pairs, &g1[s], &c1[s]);
        measure(sizes[s], 2, pairs, &g2[s], &c2[s]);
        for (int t = 1; t <= 2; t++) {
            double g = t == 1 ? g1[s] : g2[s], c = t == 1 ? c1[s] : c2[s];
            char size[16];
            printf("%-8s %-8d %7.2f ns %7.2f ns %+7.2f ns %7.2fx\n",
                   report_bytes((double)sizes[s], size, sizeof size), t, g, c, c - g, c / g);
            met &= c - g <= TARGET_NS;
        }
    }
    printf("\n2-thread scaling (ns per pair with 2 threads / with 1; 1.00x is perfect)\n");
    for (int s = 0; s < 2; s++) {
        char size[16];
        printf("  %-8s glibc %5.2fx   counted %5.2fx\n",
               report_bytes((double)sizes[s], size, sizeof size), g2[s] / g1[s], c2[s] / c1[s]);
    }
    printf("\ntarget: counting adds at most %.0f ns per pair: %s\n", TARGET_NS,
           met ? "met in every row" : "MISSED in a row above");
    return 0;
}
