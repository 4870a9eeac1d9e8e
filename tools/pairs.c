/* pairs.c: malloc+free pairs for make bench-common, built without the counting allocator
 * so that a preloaded one (build/libcountalloc.so) is the malloc it calls.
 *
 *   build/tools/pairs SIZE THREADS PAIRS
 *
 * Starts a thread first (glibc's malloc is slower once a process has had one, and the
 * benchmark compares like with like), then runs THREADS threads (1 or 2) of PAIRS pairs
 * of malloc(SIZE)+free at once and prints the CPU nanoseconds per pair per thread. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct job {
    size_t size;
    unsigned long pairs;
    pthread_barrier_t *start;
    double ns;
    void *volatile sink;
} __attribute__((aligned(128)));

static double cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void *loop(void *arg)
{
    struct job *j = arg;
    double t0;

    pthread_barrier_wait(j->start);
    t0 = cpu_ns();
    for (unsigned long i = 0; i < j->pairs; i++) {
        void *p = malloc(j->size);
        j->sink = p;
        free(p);
    }
    j->ns = (cpu_ns() - t0) / (double)j->pairs;
    return NULL;
}

static unsigned long arg(const char *name, const char *s, unsigned long lo, unsigned long hi)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || *s == '-' || v < lo || v > hi) {
        fprintf(stderr, "pairs: %s must be a number from %lu to %lu, got '%s'\n", name, lo, hi, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    struct job jobs[2];
    pthread_t tid[2];
    pthread_barrier_t start;
    unsigned long threads;
    double ns = 0;

    if (argc != 4) {
        fprintf(stderr, "pairs: expected 3 arguments: SIZE THREADS PAIRS\n");
        return 2;
    }
    threads = arg("THREADS", argv[2], 1, 2);
    pthread_barrier_init(&start, NULL, (unsigned)threads);
    for (unsigned long i = 0; i < threads; i++) {
        jobs[i] = (struct job){arg("SIZE", argv[1], 1, 1 << 20), arg("PAIRS", argv[3], 1, 1000000000),
                               &start, 0, NULL};
        if (pthread_create(&tid[i], NULL, loop, &jobs[i]) != 0) {
            fprintf(stderr, "pairs: cannot start a thread\n");
            return 1;
        }
    }
    for (unsigned long i = 0; i < threads; i++) {
        pthread_join(tid[i], NULL);
        ns += jobs[i].ns / (double)threads;
    }
    printf("%.4f\n", ns);
    return 0;
}
