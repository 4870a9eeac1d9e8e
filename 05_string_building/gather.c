/* gather.c: a message of pieces written whole, built into one block, a write per piece,
 * or gathered by writev; and the pipe that makes every blocked write short (gather.h). */
#include "gather.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"
#include "procfs.h"

size_t gather_total(const struct iovec *pieces, size_t k)
{
    size_t total = 0;

    for (size_t i = 0; i < k; i++) {
        if (pieces[i].iov_len > SIZE_MAX - total)
            return SIZE_MAX;
        total += pieces[i].iov_len;
    }
    return total;
}

/* Count a call that returned w, asked for n > 0 bytes: w when it wrote some, 0 when a
 * signal ended it first (call again), -1 when it failed (errno says why). */
static ssize_t counted(ssize_t w, size_t n, struct gather_cost *c)
{
    c->calls++;
    if (w < 0 && errno == EINTR) {
        c->eintr++;
        return 0;
    }
    if (w <= 0) {
        if (w == 0)
            errno = EIO; /* n > 0 bytes asked, none written, no error said */
        return -1;
    }
    if ((size_t)w < n)
        c->shorts++;
    return w;
}

/* write(2) until all of p[0..n) is written: short writes continued, EINTR retried. */
static int write_all(int fd, const char *p, size_t n, struct gather_cost *c)
{
    while (n > 0) {
        ssize_t w = counted(write(fd, p, n), n, c);

        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* ---- build: one block, one copy of every byte, one write ---- */

int gather_build(int fd, const struct iovec *pieces, size_t k, struct gather_cost *c)
{
    size_t total = gather_total(pieces, k), at = 0;
    char *buf;
    int rc, saved;

    if (total == 0)
        return 0;
    if (total == SIZE_MAX) {
        errno = ENOMEM;
        return -1;
    }
    if ((buf = malloc(total)) == NULL)
        return -1;
    for (size_t i = 0; i < k; i++) {
        memcpy(buf + at, pieces[i].iov_base, pieces[i].iov_len);
        at += pieces[i].iov_len;
    }
    c->copied += total;
    rc = write_all(fd, buf, total, c);
    saved = errno;
    free(buf);
    errno = saved;
    return rc;
}

/* ---- piecewise: a write per piece, nothing copied ---- */

int gather_piecewise(int fd, const struct iovec *pieces, size_t k, struct gather_cost *c)
{
    for (size_t i = 0; i < k; i++)
        if (write_all(fd, pieces[i].iov_base, pieces[i].iov_len, c) != 0)
            return -1;
    return 0;
}

/* ---- gather: writev of the pieces as they are ---- */

/* Step the window win[*at..n) past w bytes written: whole entries skipped, the first one
 * not written whole moved on by what was (the pieces themselves are not touched). */
static void advance(struct iovec *win, size_t *at, size_t n, size_t w)
{
    while (*at < n && w >= win[*at].iov_len) {
        w -= win[*at].iov_len;
        (*at)++;
    }
    if (w > 0) {
        win[*at].iov_base = (char *)win[*at].iov_base + w;
        win[*at].iov_len -= w;
    }
}

int gather_writev(int fd, const struct iovec *pieces, size_t k, struct gather_cost *c)
{
    struct iovec stack[GATHER_STACK_IOV], *win = stack;
    size_t cap = k < IOV_MAX ? k : IOV_MAX;
    size_t next = 0;         /* the first piece not yet in the window */
    size_t at = 0, n = 0;    /* the entries still to write: win[at..n) */
    size_t left = 0;         /* and their bytes */
    int rc = 0, saved;

    if (gather_total(pieces, k) == 0)
        return 0;
    if (cap > GATHER_STACK_IOV && (win = malloc(cap * sizeof *win)) == NULL)
        return -1;
    for (;;) {
        ssize_t w;

        if (left == 0) { /* the window is written: the next IOV_MAX pieces, if any */
            if (next == k)
                break;
            n = k - next < cap ? k - next : cap;
            memcpy(win, pieces + next, n * sizeof *win);
            left = gather_total(win, n);
            next += n;
            at = 0;
            continue;
        }
        if ((w = counted(writev(fd, win + at, (int)(n - at)), left, c)) < 0) {
            rc = -1;
            break;
        }
        left -= (size_t)w;
        advance(win, &at, n, (size_t)w);
    }
    saved = errno;
    if (win != stack)
        free(win);
    errno = saved;
    return rc;
}

uint64_t gather_syscw(void)
{
    char buf[512];
    const char *at;

    if (procfs_read("/proc/thread-self/io", buf, sizeof buf) != 0 ||
        (at = strstr(buf, "\nsyscw:")) == NULL)
        return 0;
    return strtoull(at + 7, NULL, 10);
}

uint64_t gather_fd_digest(int fd, uint64_t *bytes)
{
    char buf[65536];
    uint64_t h = HASH_FNV_START;
    ssize_t r;
    off_t at = 0;

    *bytes = 0;
    while ((r = pread(fd, buf, sizeof buf, at)) > 0) {
        h = hash_fnv(h, buf, (size_t)r);
        *bytes += (uint64_t)r;
        at += r;
    }
    return h;
}

/* ---- the message ---- */

#define STATUS "HTTP/1.1 200 OK\r\n"
#define TRAILER "X-Trailer: end\r\n"
#define FIELD_MAX 40 /* longer than any header line, blank line included */

static int field(size_t i, size_t h, char *buf, size_t size)
{
    return snprintf(buf, size, "X-Field-%03zu: %zu\r\n%s", i + 1, i * 37 % 1000,
                    i + 1 == h ? "\r\n" : "");
}

int gather_msg_make(size_t h, size_t body, struct gather_msg *m)
{
    size_t k = h + 3, bytes = sizeof STATUS - 1 + body + sizeof TRAILER - 1;
    char fbuf[FIELD_MAX], *p;
    struct iovec *iov;

    for (size_t i = 0; i < h; i++)
        bytes += (size_t)field(i, h, fbuf, sizeof fbuf);
    if (h > SIZE_MAX / 2 / sizeof *iov || bytes > SIZE_MAX / 2) {
        errno = ENOMEM;
        return -1;
    }
    if ((iov = malloc(k * sizeof *iov + bytes)) == NULL)
        return -1;
    p = (char *)(iov + k);
    iov[0] = (struct iovec){memcpy(p, STATUS, sizeof STATUS - 1), sizeof STATUS - 1};
    p += sizeof STATUS - 1;
    for (size_t i = 0; i < h; i++) {
        int len = field(i, h, fbuf, sizeof fbuf);

        iov[1 + i] = (struct iovec){memcpy(p, fbuf, (size_t)len), (size_t)len};
        p += len;
    }
    for (size_t j = 0; j < body; j++)
        p[j] = (char)('a' + j % 26);
    iov[h + 1] = (struct iovec){p, body};
    p += body;
    iov[h + 2] = (struct iovec){memcpy(p, TRAILER, sizeof TRAILER - 1), sizeof TRAILER - 1};
    *m = (struct gather_msg){iov, k, bytes};
    return 0;
}

void gather_msg_free(struct gather_msg *m)
{
    free(m->piece);
    *m = (struct gather_msg){NULL, 0, 0};
}

/* ---- the slow pipe ---- */

#define SLOW_PAGE 4096 /* the pipe's size: one page, the least F_SETPIPE_SZ gives */
#define SLOW_SIG SIGUSR2

#define SLOW_ACK SIGUSR1 /* the handler's word back to the watcher: kill(2), not a write */

static volatile sig_atomic_t slow_rfd = -1, slow_watcher = -1;
static uint64_t slow_skip, slow_bytes, slow_digest; /* the handler's, while a pipe is open */

/* Drain what the pipe holds (its read end does not block), fold it, and tell the watcher. */
static void slow_drain(void)
{
    unsigned char buf[SLOW_PAGE];
    ssize_t r;

    while ((r = read(slow_rfd, buf, sizeof buf)) > 0) {
        size_t skip = slow_skip < (uint64_t)r ? (size_t)slow_skip : (size_t)r;

        slow_skip -= skip;
        slow_bytes += (uint64_t)r - skip;
        slow_digest = hash_fnv(slow_digest, buf + skip, (size_t)r - skip);
    }
}

static void slow_handler(int sig)
{
    int saved = errno;

    (void)sig;
    if (slow_rfd >= 0) {
        slow_drain();
        kill(slow_watcher, SLOW_ACK); /* the watcher waits for it */
    }
    errno = saved;
}

/* The watcher: each time thread tid of pid sleeps, signal it, and wait for its ack. */
static _Noreturn void slow_watch(pid_t pid, pid_t tid, const sigset_t *ack)
{
    char path[64], stat[512];
    const struct timespec nap = {0, 50000};

    snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
    for (;;) {
        int fd = open(path, O_RDONLY);
        ssize_t n = fd < 0 ? -1 : read(fd, stat, sizeof stat - 1);
        const char *st;

        if (fd >= 0)
            close(fd);
        if (n <= 0)
            _exit(0); /* the thread is gone */
        stat[n] = '\0';
        st = strrchr(stat, ')'); /* "pid (comm) S ...": the state after the name */
        if (st != NULL && st[1] == ' ' && st[2] == 'S') {
            if (tgkill(pid, tid, SLOW_SIG) != 0)
                _exit(0);
            if (sigwaitinfo(ack, NULL) != SLOW_ACK)
                _exit(0);
        }
        nanosleep(&nap, NULL);
    }
}

int gather_slow_open(struct gather_slow *s)
{
    static const char fill[SLOW_PAGE];
    struct sigaction sa;
    sigset_t ack, old;
    pid_t pid = getpid(), tid = gettid(), w;
    int data[2], saved;

    if (pipe2(data, O_CLOEXEC) != 0)
        return -1;
    if (fcntl(data[1], F_SETPIPE_SZ, SLOW_PAGE) != SLOW_PAGE ||
        fcntl(data[0], F_SETFL, O_NONBLOCK) != 0 ||
        write(data[1], fill, SLOW_PAGE) != SLOW_PAGE) /* full: the first write waits */
        goto out;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = slow_handler; /* no SA_RESTART: a signal ends the write it interrupts */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SLOW_SIG, &sa, NULL) != 0)
        goto out;
    slow_skip = SLOW_PAGE;
    slow_bytes = 0;
    slow_digest = HASH_FNV_START;
    sigemptyset(&ack);
    sigaddset(&ack, SLOW_ACK);
    sigprocmask(SIG_BLOCK, &ack, &old); /* the watcher starts with its ack blocked */
    w = fork();
    if (w == 0) {
        close(data[0]);
        close(data[1]);
        slow_watch(pid, tid, &ack);
    }
    saved = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    if (w < 0)
        goto out;
    slow_watcher = w;
    slow_rfd = data[0];
    *s = (struct gather_slow){data[1], w};
    return 0;
out:
    saved = errno;
    close(data[0]);
    close(data[1]);
    errno = saved;
    return -1;
}

int gather_slow_close(struct gather_slow *s, uint64_t *bytes, uint64_t *digest)
{
    sigset_t block, old;
    int status, rc = 0;

    sigemptyset(&block);
    sigaddset(&block, SLOW_SIG);
    sigprocmask(SIG_BLOCK, &block, &old); /* the handler does not run while this drains */
    kill(s->pid, SIGKILL);
    while (waitpid(s->pid, &status, 0) < 0)
        if (errno != EINTR) {
            rc = -1;
            break;
        }
    slow_drain();
    *bytes = slow_bytes;
    *digest = slow_digest;
    close(slow_rfd);
    close(s->wfd);
    slow_rfd = slow_watcher = -1;
    sigprocmask(SIG_SETMASK, &old, NULL); /* a signal still pending finds no pipe */
    s->wfd = -1;
    return rc;
}
