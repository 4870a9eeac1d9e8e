/* exercise.h: lesson 02, fix: a service that holds a big buffer and runs a helper program
 * now and then, waiting for it each time. See "Starting a process from a big one" in the
 * lesson's README: fork copies the service's page tables and write-protects every page of
 * its buffer, in the child and in the service, so each run costs a copy of the tables and,
 * afterwards, one page fault for every page the service writes again, the helper long
 * gone. posix_spawn starts the helper in the service's address space (clone with
 * CLONE_VM | CLONE_VFORK): no table copied, no page write-protected.
 *
 * The goal: the service's writes to its buffer right after a helper has run take no page
 * fault; the helper's wait status comes back in *status; a helper that cannot be exec'd
 * is an error, with the exec's errno (ENOENT for a path that does not exist), not a child
 * that exits 127. */
#ifndef EXERCISE_H
#define EXERCISE_H

/* Run the program at path (argv[0] = path, then arg unless it is NULL) with the
 * service's environment, and wait for it: *status gets its wait status (WIFEXITED,
 * WEXITSTATUS). 0 when it ran and was reaped, whatever its status; -1 with errno when it
 * could not be started (the exec's error: ENOENT, EACCES) or waited for. Allocates
 * nothing. */
int run_helper(const char *path, const char *arg, int *status);

#endif
