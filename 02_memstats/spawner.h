/* spawner.h: starting a process from a big one, lesson 02. fork copies the parent's page
 * tables (a page-table entry for every resident page, VmPTE in /proc/self/status) and
 * write-protects every writable page in both processes, so the parent then takes a minor
 * fault on the first write to each page, even after the child has exec'd or exited (the
 * kernel then reuses the page in place instead of copying it). vfork and posix_spawn
 * start the child in the parent's address space (clone with CLONE_VM | CLONE_VFORK):
 * nothing copied, nothing write-protected, the parent suspended until the child has
 * exec'd. glibc's system() and popen() start /bin/sh -c the same way as posix_spawn: the
 * faults below tell the ways apart, measured, not assumed.
 *
 * The buffer is a region of hugepage.h aligned to 1 GiB, so that the page tables its
 * pages need are the region's alone: a PTE table (4 KiB) for each 2 MiB touched and a
 * PMD table for each 1 GiB, exactly; a PUD table only where it opens a new 512 GiB of
 * address space. Pages: the functions that count faults turn transparent huge pages off
 * for their process while they run (procfs_thp_off), so that a fault maps one base page.
 *
 * Ownership: the caller's buffer is read and written, never freed. Out of memory:
 * spawn_run's popen way mallocs (glibc's FILE) and frees it in pclose; a failed popen
 * is -1 with ENOMEM, nothing held. The other functions allocate nothing on the heap: the
 * regions are mmap'd, and a refused mmap is -1 with errno, nothing left mapped.
 *
 * The file is spawner.h, not spawn.h: the lesson's files are compiled with -I02_memstats,
 * where a spawn.h would hide the C library's <spawn.h> from every one of them. */
#ifndef SPAWNER_H
#define SPAWNER_H

#include <stddef.h>
#include <stdint.h>

#include "hugepage.h"

#define SPAWN_TRUE "/bin/true"   /* the child the measurements start: exits 0 */
#define SPAWN_FALSE "/bin/false" /* exits 1 */
#define SPAWN_ARGS_MAX 4         /* arguments of a child, its path (argv[0]) included */
#define SPAWN_CMD_MAX 256        /* system's and popen's command line, its '\0' included */
#define SPAWN_TABLE_SPAN ((size_t)1 << 30) /* the buffer's alignment: what a PMD table maps */

/* The ways of starting a child and waiting for it. */
enum spawn_way {
    SPAWN_FORK,        /* fork, then execve in the child; waitpid */
    SPAWN_VFORK,       /* vfork, then execve in the child (which may call nothing else but
                        * _exit: it runs on the parent's stack, the parent suspended) */
    SPAWN_POSIX_SPAWN, /* posix_spawn, no file actions, no attributes; waitpid */
    SPAWN_SYSTEM,      /* system(command): /bin/sh -c command, and its wait */
    SPAWN_POPEN,       /* popen(command, "r"), its output read to the end, pclose */
    SPAWN_WAYS
};
const char *spawn_way_name(enum spawn_way way); /* "fork + execve", ..., "popen()" */

/* Start argv[0] with the arguments argv (at most SPAWN_ARGS_MAX, NULL-ended) one way,
 * and wait for it: *status gets its wait status (WIFEXITED, WEXITSTATUS). fork, vfork and
 * posix_spawn execve argv[0] itself, with this process's environment; system and popen
 * run /bin/sh -c with the arguments joined by spaces, so each must be a plain word for
 * the shell (letters, digits and / . _ - = + , :). A child of fork or vfork that cannot
 * exec exits 127; so does the shell of system and popen that cannot find the program.
 * 0 when a child was started and reaped, whatever its status; -1 with errno: posix_spawn's
 * error (ENOENT: no such file, EACCES: not executable; no child is left), EINVAL for no
 * path, too many arguments or one the shell would read, ENAMETOOLONG for a command past
 * SPAWN_CMD_MAX, ENOMEM from popen, or what fork, vfork, system or waitpid said. */
int spawn_run(enum spawn_way way, const char *const argv[], int *status);

/* ---- what the parent pays after the start ---- */

/* When the parent writes its buffer. */
enum spawn_when {
    SPAWN_BEFORE_EXEC, /* fork alone: the child is alive and has not exec'd yet (it waits on
                        * a pipe until the parent has written, then execs SPAWN_TRUE) */
    SPAWN_REAPED,      /* any way: the child (SPAWN_TRUE) has run and been reaped */
    SPAWN_WHENS
};

/* The parent writing one byte in every page of its buffer, right after starting a child. */
struct spawn_faults {
    uint64_t pages;          /* pages written */
    uint64_t faults;         /* the parent's minor faults while it wrote them (RUSAGE_THREAD) */
    uint64_t dirty_before;   /* the buffer mapping's Private_Dirty before the writes, bytes:
                              * 0 while the child shares every page, all of them once not */
    uint64_t dirty_after;    /* and after them */
    int64_t frames_kept;     /* pages whose physical frame the write kept (reused in place
                              * rather than copied), from /proc/self/pagemap; -1 where the
                              * kernel hides frame numbers (without CAP_SYS_ADMIN) */
    int status;              /* the child's wait status */
};

/* A buffer of bytes (a multiple of the page size, at least one page) as a region aligned
 * to SPAWN_TABLE_SPAN, THP off, every page written once; then a child started `way` and
 * the buffer written again one byte a page, `when` (SPAWN_BEFORE_EXEC with SPAWN_FORK
 * only), measured; then unmapped. 0; or -1 with errno (EINVAL for a bad size or way and
 * when, or what mmap, spawn_run, fork or /proc said), nothing left mapped. */
int spawn_parent_faults(enum spawn_way way, enum spawn_when when, size_t bytes,
                        struct spawn_faults *f);

/* ---- the page tables ---- */

/* VmPTE (the process's page tables, bytes) around a buffer of bytes written in two steps,
 * first its first quarter (rounded down to a page), then the rest; and a child's, forked
 * with the whole buffer written. */
struct spawn_tables {
    uint64_t pages;       /* the buffer's pages */
    uint64_t before;      /* VmPTE with the region mapped, nothing written yet */
    uint64_t quarter;     /* after its first quarter was written */
    uint64_t whole;       /* after every page was written */
    uint64_t child;       /* the forked child's VmPTE, read by the child first thing */
    uint64_t after;       /* VmPTE after the region was unmapped */
};
/* 0; or -1 with errno (EINVAL for a bad size, or what mmap, fork or /proc said), nothing
 * left mapped. THP off while it runs. */
int spawn_tables_measure(size_t bytes, struct spawn_tables *t);
/* The page-table pages that map the first bytes of a region aligned to SPAWN_TABLE_SPAN:
 * a PTE table a 2 MiB (512 pages of 4 KiB), a PMD table a 1 GiB; 0 for 0 bytes. */
uint64_t spawn_table_pages(size_t bytes);

/* ---- timed ---- */

/* runs starts and reaps of SPAWN_TRUE `way` from this process as it is: the wall time of
 * each, in ns (times[0..runs)). 0; or -1 with errno (spawn_run's, or EINVAL for no runs
 * or a status other than exit 0). */
int spawn_time(enum spawn_way way, unsigned runs, double *times);

#endif
