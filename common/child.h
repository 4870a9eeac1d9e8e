/* child: run a function in a child process and bring its result back. An experiment that
 * could hurt the process that runs it (an address-space limit, mallopt, threads that
 * make arenas) runs in a fork instead, and only its result, a plain struct, comes back
 * through a pipe; the parent is left as it was.
 *
 * Nothing here allocates. */
#ifndef CHILD_H
#define CHILD_H

#include <stddef.h>
#include <stdint.h>

/* Fork; the child runs fn(ctx) and, if fn returned 0, writes the len bytes at ctx back
 * to the parent, which reads them into its own ctx. Returns 0 when they came back
 * whole; -1 when the pipe or the fork failed (errno says why), or the child crashed, fn
 * failed or the bytes came back short. ctx is the parent's result only on 0. */
int child_run(int (*fn)(void *ctx), void *ctx, size_t len);

/* One piece of a child's result: len bytes at p, in the child's memory and then the
 * parent's. */
struct child_part {
    void *p;
    size_t len;
};

/* child_run with the result in pieces, sent in order, and the child's end: *status gets
 * its wait status (WIFEXITED, WEXITSTATUS), or -1 when it never ran or could not be
 * waited for (errno says why). The lesson driver forks each side with it. */
int child_run_parts(int (*fn)(void *arg), void *arg, const struct child_part *parts, size_t n,
                    int *status);

/* What child_run_capped saw in its child. */
struct child_capped {
    int err;              /* the attempt's errno when it was refused; 0 when it succeeded */
    uint64_t size_before; /* VmSize when the limit was set, in bytes */
    uint64_t size_after;  /* VmSize after the attempt */
};

/* An attempt with no address space left, in a child: RLIMIT_AS set at this process's
 * VmSize plus slack bytes, then attempt(ctx), which returns 0 when it got what it asked
 * for, else -1 with errno set. *out says what the child saw, and the len bytes at ctx
 * come back as child_run brings them (0: none). Returns 0 when the child ran to the end,
 * the attempt refused or not; -1 when VmSize could not be read, the limit could not be
 * set, or child_run failed. A test checks a refusal that leaves nothing mapped as
 * err == ENOMEM and size_after == size_before. Not under Valgrind, which maps the
 * address space itself, nor with ASan, whose shadow memory lies past any limit. */
int child_run_capped(uint64_t slack, int (*attempt)(void *ctx), void *ctx, size_t len,
                     struct child_capped *out);

#endif
