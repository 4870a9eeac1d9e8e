/* spawner.c: see spawner.h. */
#include "spawner.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "procfs.h"
#include "report.h"

extern char **environ;

static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

const char *spawn_way_name(enum spawn_way way)
{
    static const char *const names[] = {
        [SPAWN_FORK] = "fork + execve",
        [SPAWN_VFORK] = "vfork + execve",
        [SPAWN_POSIX_SPAWN] = "posix_spawn",
        [SPAWN_SYSTEM] = "system()",
        [SPAWN_POPEN] = "popen()",
    };

    return way < SPAWN_WAYS ? names[way] : "?";
}

/* ---- starting a child ---- */

/* A word the shell reads as itself: no quoting, no expansion, no splitting. */
static bool plain_word(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-=+,:", *s) == NULL)
            return false;
    return true;
}

/* argv joined by spaces into cmd[SPAWN_CMD_MAX]: 0, or -1 with errno. */
static int command_line(const char *const argv[], char *cmd)
{
    size_t used = 0;

    cmd[0] = '\0';
    for (int i = 0; argv[i] != NULL; i++) {
        size_t len = strlen(argv[i]);

        if (!plain_word(argv[i])) {
            errno = EINVAL;
            return -1;
        }
        if (used + (i > 0) + len + 1 > SPAWN_CMD_MAX) {
            errno = ENAMETOOLONG;
            return -1;
        }
        if (i > 0)
            cmd[used++] = ' ';
        memcpy(cmd + used, argv[i], len + 1);
        used += len;
    }
    return 0;
}

static int reap(pid_t pid, int *status)
{
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

/* popen's way: the command's output read to its end (so that it never blocks on a full
 * pipe), then pclose's status. */
static int run_popen(const char *cmd, int *status)
{
    char buf[512];
    FILE *f = popen(cmd, "r");
    int rc;

    if (f == NULL)
        return -1;
    while (fread(buf, 1, sizeof buf, f) > 0)
        ;
    if ((rc = pclose(f)) == -1)
        return -1;
    *status = rc;
    return 0;
}

int spawn_run(enum spawn_way way, const char *const argv[], int *status)
{
    char *const *args = (char *const *)argv;
    char cmd[SPAWN_CMD_MAX];
    pid_t pid;
    int n = 0, rc;

    *status = -1;
    while (argv != NULL && argv[n] != NULL && n <= SPAWN_ARGS_MAX)
        n++;
    if (n == 0 || n > SPAWN_ARGS_MAX || way >= SPAWN_WAYS) {
        errno = EINVAL;
        return -1;
    }
    switch (way) {
    case SPAWN_FORK:
        if ((pid = fork()) < 0)
            return -1;
        if (pid == 0) {
            execve(argv[0], args, environ);
            _exit(127);
        }
        return reap(pid, status);
    case SPAWN_VFORK:
        /* The child shares the parent's memory and runs on its stack: execve or _exit,
         * nothing else, not even a write to a variable. */
        if ((pid = vfork()) < 0)
            return -1;
        if (pid == 0) {
            execve(argv[0], args, environ);
            _exit(127);
        }
        return reap(pid, status);
    case SPAWN_POSIX_SPAWN:
        if ((rc = posix_spawn(&pid, argv[0], NULL, NULL, args, environ)) != 0) {
            errno = rc; /* the error itself: no child is left to reap */
            return -1;
        }
        return reap(pid, status);
    case SPAWN_SYSTEM:
        if (command_line(argv, cmd) != 0)
            return -1;
        if ((rc = system(cmd)) == -1)
            return -1;
        *status = rc;
        return 0;
    case SPAWN_POPEN:
        if (command_line(argv, cmd) != 0)
            return -1;
        return run_popen(cmd, status);
    default:
        errno = EINVAL;
        return -1;
    }
}

/* ---- what the parent pays after the start ---- */

PROCFS_UNSHADOWED __attribute__((noinline))
static uint64_t write_pages(unsigned char *p, size_t len, unsigned char value)
{
    size_t page = page_size();
    uint64_t n = 0;

    for (size_t i = 0; i < len; i += page, n++)
        ((volatile unsigned char *)p)[i] = value;
    return n;
}

/* After a fork the kernel's own writes to this process's memory fault too, and count as
 * the thread's: the thread's rseq area (glibc 2.35 and later register one with the
 * kernel), which the kernel writes when it returns to a thread it preempted or moved to
 * another CPU. Its page is written here first, with the one store user space may make to
 * it outside a critical section (rseq_cs set to NULL, as it is already), so that a
 * preemption during the writes below is not a fault among them. Nothing where no rseq
 * area is registered (under Valgrind). */
static void rseq_page_written(void)
{
    if (__rseq_size > 0) {
        struct rseq *r = (struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);

        __atomic_store_n(&r->rseq_cs, 0, __ATOMIC_RELAXED);
    }
}

/* The buffer written once a page, its faults alone: the calls around it made once first at
 * the same depth, so that the stack and the code they write are resident and the parent's
 * own (after a fork, the stack's pages are write-protected too). */
static uint64_t faults_writing(unsigned char *p, size_t len, unsigned char value, uint64_t *pages)
{
    uint64_t f0;

    rseq_page_written();
    write_pages(p, 0, value);
    procfs_thread_minor_faults();
    f0 = procfs_thread_minor_faults();
    *pages = write_pages(p, len, value);
    return procfs_thread_minor_faults() - f0;
}

/* The frame numbers of n pages from p, from /proc/self/pagemap (bits 0-54 of each entry,
 * 0 where the kernel hides them or the page is not present), into frames[0..n). 0, or -1
 * with errno. */
#define FRAMES_AT_ONCE 512
static int read_frames(const unsigned char *p, size_t n, uint64_t *frames)
{
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    size_t page = page_size(), done = 0;

    if (fd < 0)
        return -1;
    while (done < n) {
        uint64_t entry[FRAMES_AT_ONCE];
        size_t k = n - done < FRAMES_AT_ONCE ? n - done : FRAMES_AT_ONCE;
        off_t at = (off_t)(((uintptr_t)p / page + done) * sizeof entry[0]);
        ssize_t got = pread(fd, entry, k * sizeof entry[0], at);

        if (got != (ssize_t)(k * sizeof entry[0])) {
            int err = got < 0 ? errno : EIO;
            close(fd);
            errno = err;
            return -1;
        }
        for (size_t i = 0; i < k; i++)
            frames[done + i] = entry[i] & ((UINT64_C(1) << 55) - 1);
        done += k;
    }
    close(fd);
    return 0;
}

static uint64_t private_dirty(const void *p)
{
    char text[4096];

    return procfs_mapping("/proc/self/smaps", p, text, sizeof text) == 0
               ? procfs_kib(text, "\nPrivate_Dirty:")
               : UINT64_MAX;
}

static bool bad_bytes(size_t bytes)
{
    return bytes == 0 || bytes % page_size() != 0;
}

static int map_buffer(struct hugepage_region *r, size_t bytes, enum hugepage_advice advice)
{
    return hugepage_region_map(r, (bytes + SPAWN_TABLE_SPAN - 1) / SPAWN_TABLE_SPAN,
                               SPAWN_TABLE_SPAN, advice);
}

/* The frames: kept is how many of the n pages have the same frame in before and after;
 * -1 when no frame number is visible. */
static int64_t frames_kept(const uint64_t *before, const uint64_t *after, size_t n)
{
    int64_t kept = 0;
    bool seen = false;

    for (size_t i = 0; i < n; i++) {
        seen |= before[i] != 0 || after[i] != 0;
        kept += before[i] == after[i];
    }
    return seen ? kept : -1;
}

/* Start the child `when`, write the buffer, measure: the body of spawn_parent_faults with
 * the buffer mapped and the frame arrays allocated (mmap'd). */
static int measure(enum spawn_way way, enum spawn_when when, unsigned char *p, size_t len,
                   uint64_t *before, uint64_t *after, struct spawn_faults *f)
{
    static const char *const child[] = {SPAWN_TRUE, NULL};
    size_t n = len / page_size();
    int fd[2] = {-1, -1}, rc = 0, err = 0;
    pid_t pid = -1;

    if (when == SPAWN_REAPED) {
        if (spawn_run(way, child, &f->status) != 0)
            return -1;
    } else {
        if (pipe2(fd, O_CLOEXEC) != 0)
            return -1;
        if ((pid = fork()) < 0) {
            err = errno;
            close(fd[0]);
            close(fd[1]);
            errno = err;
            return -1;
        }
        if (pid == 0) { /* the parent's copy, alive until the parent has written */
            char c;

            close(fd[1]);
            while (read(fd[0], &c, 1) < 0 && errno == EINTR)
                ;
            execve(child[0], (char *const *)child, environ);
            _exit(127);
        }
        close(fd[0]);
    }
    f->dirty_before = private_dirty(p);
    if (read_frames(p, n, before) != 0)
        rc = -1, err = errno;
    f->faults = faults_writing(p, len, 2, &f->pages);
    f->dirty_after = private_dirty(p);
    if (rc == 0 && read_frames(p, n, after) != 0)
        rc = -1, err = errno;
    if (pid > 0) {
        close(fd[1]); /* the child reads its end of file, and execs */
        if (reap(pid, &f->status) != 0 && rc == 0)
            rc = -1, err = errno;
    }
    if (rc == 0 && (f->dirty_before == UINT64_MAX || f->dirty_after == UINT64_MAX))
        rc = -1, err = ENOENT;
    if (rc != 0) {
        errno = err;
        return -1;
    }
    f->frames_kept = frames_kept(before, after, n);
    return 0;
}

int spawn_parent_faults(enum spawn_way way, enum spawn_when when, size_t bytes,
                        struct spawn_faults *f)
{
    struct hugepage_region r;
    uint64_t *frames;
    size_t n = bytes / page_size(), frames_len = 2 * n * sizeof frames[0];
    int was, rc, err;

    *f = (struct spawn_faults){.status = -1};
    if (bad_bytes(bytes) || way >= SPAWN_WAYS || when >= SPAWN_WHENS ||
        (when == SPAWN_BEFORE_EXEC && way != SPAWN_FORK)) {
        errno = EINVAL;
        return -1;
    }
    was = procfs_thp_off();
    if (map_buffer(&r, bytes, HUGEPAGE_NONE) != 0)
        goto failed;
    /* the frame numbers, before and after, in a mapping of their own (no heap) */
    frames = mmap(NULL, frames_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (frames == MAP_FAILED) {
        err = errno;
        hugepage_region_unmap(&r);
        errno = err;
        goto failed;
    }
    write_pages(r.p, bytes, 1);
    rc = measure(way, when, r.p, bytes, frames, frames + n, f);
    err = errno;
    munmap(frames, frames_len);
    hugepage_region_unmap(&r);
    procfs_thp_restore(was);
    errno = err;
    return rc;
failed:
    err = errno;
    procfs_thp_restore(was);
    errno = err;
    return -1;
}

/* ---- the page tables ---- */

uint64_t spawn_table_pages(size_t bytes)
{
    const size_t pte_span = 512 * (size_t)4096; /* 2 MiB: 512 entries of 4 KiB pages */

    return (bytes + pte_span - 1) / pte_span + (bytes + SPAWN_TABLE_SPAN - 1) / SPAWN_TABLE_SPAN;
}

static uint64_t vmpte(void)
{
    return procfs_status_bytes("\nVmPTE:");
}

static int child_tables(void *ctx)
{
    *(uint64_t *)ctx = vmpte();
    return 0;
}

int spawn_tables_measure(size_t bytes, struct spawn_tables *t)
{
    struct hugepage_region r;
    size_t quarter = bytes / 4 / page_size() * page_size();
    int was, err;

    *t = (struct spawn_tables){0};
    if (bad_bytes(bytes)) {
        errno = EINVAL;
        return -1;
    }
    was = procfs_thp_off();
    if (map_buffer(&r, bytes, HUGEPAGE_NONE) != 0)
        goto failed;
    t->pages = bytes / page_size();
    t->before = vmpte();
    write_pages(r.p, quarter, 1);
    t->quarter = vmpte();
    write_pages(r.p + quarter, bytes - quarter, 1);
    t->whole = vmpte();
    if (child_run(child_tables, &t->child, sizeof t->child) != 0) {
        err = errno;
        hugepage_region_unmap(&r);
        errno = err;
        goto failed;
    }
    hugepage_region_unmap(&r);
    t->after = vmpte();
    procfs_thp_restore(was);
    return 0;
failed:
    err = errno;
    procfs_thp_restore(was);
    errno = err;
    return -1;
}

/* ---- timed ---- */

int spawn_time(enum spawn_way way, unsigned runs, double *times)
{
    static const char *const child[] = {SPAWN_TRUE, NULL};

    if (runs == 0) {
        errno = EINVAL;
        return -1;
    }
    for (unsigned i = 0; i < runs; i++) {
        double t0 = report_now_ns();
        int status;

        if (spawn_run(way, child, &status) != 0)
            return -1;
        times[i] = report_now_ns() - t0;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            errno = EINVAL;
            return -1;
        }
    }
    return 0;
}
