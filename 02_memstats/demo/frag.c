/* frag.c: fragmentation, seen through lesson 02's three views (frag.h has the job).
 *
 *   frag [N]    N records (default 20,000)
 *
 * mixed and arena each run in a process of their own, so that the kernel's figures are
 * the side's own; each reads the views after the load, when the load is done (the
 * scratch freed), and after malloc_trim(0). make frag-02 runs it. */
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "frag.h"
#include "memstats.h"
#include "report.h"

#define PROG "frag"
#define DEFAULT_N 20000
#define MAX_N 2000000

enum phase { LOADED, DONE, TRIMMED, NPHASES };
static const char *const phase_name[NPHASES] = {"loaded", "load done", "malloc_trim(0)"};

struct side {
    bool arena;
    uint64_t n;
    struct views v[NPHASES];
    uint64_t rss_start;            /* VmRSS before the load */
    size_t free_chunks[NPHASES];   /* mallinfo2's ordblks: free chunks in the bins */
    uint64_t digest;
};

static void look(struct side *s, enum phase p)
{
    if (views_read(&s->v[p]) != 0) {
        fprintf(stderr, "%s: cannot read /proc/self/status\n", PROG);
        exit(1);
    }
    s->free_chunks[p] = mallinfo2().ordblks;
}

static void run_side(struct side *s)
{
    struct frag_mixed m;
    struct frag_arena a;
    struct views start;

    if (views_read(&start) != 0) {
        fprintf(stderr, "%s: cannot read /proc/self/status\n", PROG);
        exit(1);
    }
    s->rss_start = start.os.rss;
    if (s->arena ? frag_arena_load(&a, s->n, 0) : frag_mixed_load(&m, s->n))
        cli_oom(PROG, s->arena ? "loading the arena side's records" : "loading the mixed side's records");
    look(s, LOADED);
    s->arena ? frag_arena_done(&a) : frag_mixed_done(&m);
    look(s, DONE);
    malloc_trim(0);
    look(s, TRIMMED);
    s->digest = s->arena ? frag_digest(a.entry, a.n) : frag_digest(m.entry, m.n);
    s->arena ? frag_arena_free(&a) : frag_mixed_free(&m);
}

/* One side in a child process; its views come back through a pipe. */
static void run_forked(struct side *s)
{
    int fd[2], status;
    ssize_t got;
    pid_t pid;

    fflush(stdout);
    if (pipe(fd) != 0 || (pid = fork()) < 0) {
        perror(PROG ": cannot start a process");
        exit(1);
    }
    if (pid == 0) {
        close(fd[0]);
        run_side(s);
        _exit(write(fd[1], s, sizeof *s) == (ssize_t)sizeof *s ? 0 : 1);
    }
    close(fd[1]);
    got = read(fd[0], s, sizeof *s);
    close(fd[0]);
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        exit(WIFEXITED(status) && WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : 1);
    if (got != (ssize_t)sizeof *s) {
        fprintf(stderr, "%s: a side's process sent no result\n", PROG);
        exit(1);
    }
}

static char *bytes(double b, char *buf) { return report_bytes(b, buf, 32); }
static char *count(double c, char *buf) { return report_count((unsigned long long)c, buf, 32); }
static char *mib(double b, char *buf) /* whole MiB: VmRSS is kept approximately */
{
    snprintf(buf, 32, "%.0f MiB", b / (1024.0 * 1024.0));
    return buf;
}

#define ROW(label, fmt, expr)                                                            \
    do {                                                                                 \
        printf("%-32s", label);                                                          \
        for (int p_ = 0; p_ < NPHASES; p_++)                                             \
            for (int k_ = 0; k_ < 2; k_++) {                                             \
                const struct side *s_ = &side[k_];                                       \
                const struct views *v = &s_->v[p_];                                      \
                char b_[32];                                                             \
                (void)v;                                                                 \
                printf("%10s%s", fmt(expr, b_), k_ == 0 || p_ == NPHASES - 1 ? "" : "  ");                    \
            }                                                                            \
        printf("\n");                                                                    \
    } while (0)

int main(int argc, char **argv)
{
    struct side side[2];
    uint64_t n = DEFAULT_N;
    char a[32], b[32], c[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    if (argc == 2)
        n = cli_u64(PROG, "N", argv[1], 1, MAX_N);
    side[0] = (struct side){.arena = false, .n = n};
    side[1] = (struct side){.arena = true, .n = n};
    printf("%s: %s records, each parsed in %s B of scratch that lives until the load ends,\n"
           "  and %s B kept per record\n", PROG, count((double)n, a), count(FRAG_SCRATCH, b),
           count(FRAG_ENTRY, c));
    printf("  mixed: scratch and entries from malloc in turn   arena: the scratch from %s arena "
           "chunks\n\n", bytes(FRAG_ARENA_CHUNK, a));
    run_forked(&side[0]);
    run_forked(&side[1]);
    printf("%-32s", "");
    for (int p = 0; p < NPHASES; p++)
        printf("%20s%s", phase_name[p], p == NPHASES - 1 ? "" : "  ");
    printf("\n%-32s", "");
    for (int p = 0; p < NPHASES; p++)
        printf("%10s%10s%s", "mixed", "arena", p == NPHASES - 1 ? "" : "  ");
    printf("\nthe program's (countalloc)\n");
    ROW("  heap_alloc    HeapAlloc", bytes, (double)v->program.heap_alloc);
    ROW("  heap_objects  HeapObjects", count, (double)v->program.heap_objects);
    printf("the allocator's (glibc mallinfo2)\n");
    ROW("  in use        uordblks", bytes, (double)v->allocator.in_use);
    ROW("  free, kept    fordblks", bytes, (double)v->allocator.free);
    ROW("  free chunks   ordblks", count, (double)s_->free_chunks[p_]);
    ROW("  heap (brk)    arena", bytes, (double)v->allocator.arena);
    ROW("  mmap'd        hblkhd", bytes, (double)v->allocator.mmapped);
    printf("the operating system's (/proc/self/status)\n");
    ROW("  resident, added by the load", mib, (double)v->os.rss - (double)s_->rss_start);
    printf("same entries from both: %s\n", side[0].digest == side[1].digest ? "yes" : "NO (a bug)");
    return 0;
}
