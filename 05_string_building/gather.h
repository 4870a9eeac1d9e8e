/* gather: one message made of k pieces (a status line, h header lines, a body, a
 * trailer), written whole to a file descriptor three ways:
 *
 *   gather_build: the pieces copied into one malloc'd block of their total size, then
 *     write(2) until all of it is written. 1 allocation, every byte copied once, 1 call.
 *   gather_piecewise: a write(2) per non-empty piece. No allocation, no copy, a call each.
 *   gather_writev: writev(2) of the pieces as they are. No allocation and 1 call while
 *     k <= GATHER_STACK_IOV (the window of iovecs is on the stack); past that, one malloc'd
 *     window of min(k, IOV_MAX) iovecs, and a writev per IOV_MAX pieces.
 *
 * Each way continues a short write from the byte it stopped at and retries a call that
 * EINTR ended; the fd must block (EAGAIN is an error). A failed call returns -1 with its
 * errno, after freeing what the way took; the pieces are never changed. */
#ifndef GATHER_H
#define GATHER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#define GATHER_STACK_IOV 64 /* iovecs gather_writev keeps on its stack: 1 KiB */

/* What a way did; each way adds to it, a failed one too. */
struct gather_cost {
    uint64_t calls;  /* write(2) / writev(2) calls made, failed ones included */
    uint64_t shorts; /* calls that wrote some of what they were asked, not all */
    uint64_t eintr;  /* calls that a signal ended before they wrote a byte */
    uint64_t copied; /* bytes of the message copied in user space */
};

int gather_build(int fd, const struct iovec *pieces, size_t k, struct gather_cost *c);
int gather_piecewise(int fd, const struct iovec *pieces, size_t k, struct gather_cost *c);
int gather_writev(int fd, const struct iovec *pieces, size_t k, struct gather_cost *c);

/* The sum of the pieces' lengths; SIZE_MAX when it does not fit a size_t. */
size_t gather_total(const struct iovec *pieces, size_t k);

/* This thread's write-family system calls so far: the kernel's own count, syscw in
 * /proc/thread-self/io, read without allocating (open and read(2) are not counted in it).
 * 0 when it cannot be read. */
uint64_t gather_syscw(void);

/* What fd holds from offset 0, read back with pread (the offset is left alone): its
 * digest (FNV-1a, hash.h), and its size into *bytes. */
uint64_t gather_fd_digest(int fd, uint64_t *bytes);

/* ---- the message: made in memory, the same on every run ---- */

struct gather_msg {
    struct iovec *piece; /* k = h + 3 pieces pointing into one block */
    size_t k;
    size_t total;        /* bytes in all */
};

/* Status line "HTTP/1.1 200 OK\r\n", h header lines ("X-Field-001: 1\r\n", the last
 * followed by a blank line), a body of `body` bytes ('a' to 'z' over and over) and a
 * trailer line: one allocation holding the iovecs and the bytes. 0, or -1 (ENOMEM). */
int gather_msg_make(size_t h, size_t body, struct gather_msg *m);
void gather_msg_free(struct gather_msg *m);

/* ---- a pipe that makes every blocked write short ---- */

/* A pipe of one page (F_SETPIPE_SZ) that this thread writes and a signal handler on this
 * thread reads. A forked watcher sends the signal each time the thread sleeps, and waits
 * for the handler to drain the pipe and say so before it looks again: a blocking write
 * that fills the pipe and has to wait is ended by exactly one signal, short if it wrote
 * some (a page), EINTR if it wrote nothing. The pipe starts full, so the first write waits.
 * What the handler drains after that is counted and folded into FNV-1a. One at a time.
 * 0, or -1 with errno. Nothing allocated. */
struct gather_slow {
    int wfd;   /* write the message here */
    pid_t pid; /* the watcher */
};
int gather_slow_open(struct gather_slow *s);
/* Stop the watcher, drain the rest, close: the bytes and digest of what was written. */
int gather_slow_close(struct gather_slow *s, uint64_t *bytes, uint64_t *digest);

#endif
