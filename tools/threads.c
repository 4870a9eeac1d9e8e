/* threads.c: a threaded program for tools/crosscheck.sh. It starts THREADS threads that
 * each make 20,000 allocations of 1 to 200 bytes and free them, and joins them.
 *
 *   build/crosscheck/threads [THREADS]     THREADS from 1 to 64 (default 4)
 *
 * Under the LD_PRELOAD shim and under memcheck, every figure of the heap summary must be
 * the same: glibc's own per-thread allocations (each thread's dynamic thread vector, sized
 * by the number of TLS modules) included, and freed before the report, as memcheck does. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define PER_THREAD 20000

static void *volatile sink;

static void *work(void *arg)
{
    for (int i = 0; i < PER_THREAD; i++) {
        void *p = malloc((size_t)(i % 200) + 1);
        if (p == NULL)
            return arg;
        sink = p;
        free(p);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t[64];
    long n = 4;
    char *end;

    if (argc > 2) {
        fprintf(stderr, "threads: expected at most 1 argument, THREADS (1 to 64)\n");
        return 2;
    }
    if (argc == 2) {
        errno = 0;
        n = strtol(argv[1], &end, 10);
        if (errno != 0 || end == argv[1] || *end != '\0' || n < 1 || n > 64) {
            fprintf(stderr, "threads: THREADS must be a number from 1 to 64, got '%s'\n", argv[1]);
            return 2;
        }
    }
    for (long i = 0; i < n; i++) {
        int rc = pthread_create(&t[i], NULL, work, &t[i]);
        if (rc != 0) {
            fprintf(stderr, "threads: starting thread %ld failed (error %d)\n", i + 1, rc);
            return 1;
        }
    }
    for (long i = 0; i < n; i++) {
        void *failed;
        pthread_join(t[i], &failed);
        if (failed != NULL) {
            fprintf(stderr, "threads: out of memory in thread %ld\n", i + 1);
            return 1;
        }
    }
    return 0;
}
