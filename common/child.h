/* child: run a function in a child process and bring its result back. An experiment that
 * could hurt the process that runs it (an address-space limit, mallopt, threads that
 * make arenas) runs in a fork instead, and only its result, a plain struct, comes back
 * through a pipe; the parent is left as it was.
 *
 * Nothing here allocates. */
#ifndef CHILD_H
#define CHILD_H

#include <stddef.h>

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

#endif
