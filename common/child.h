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

#endif
