/* faults.h: page faults on the hot path, for lesson 01. Memory a process was granted is
 * not yet there: the first write to each page of a fresh anonymous mapping stops the
 * program, and the kernel finds a page, zeroes it and maps it (a minor fault, getrusage's
 * ru_minflt, counted here for the calling thread alone: RUSAGE_THREAD). A second pass over
 * the same pages faults nothing. Three things here, each measured rather than assumed:
 *   - a fresh mapping written one byte a page, twice (faults_first_touch);
 *   - the same mapping prepared before the pass, so that the pass faults nothing: by
 *     MAP_POPULATE, madvise(MADV_POPULATE_WRITE), a write to every page, mlock; and two
 *     that do not do it, MADV_POPULATE_READ and MADV_WILLNEED (faults_prepare);
 *   - a request loop on glibc's malloc, a block of B bytes each request: which requests
 *     fault, for each way of serving the block (faults_requests).
 *
 * Pages: every function turns transparent huge pages off for its process while it runs
 * (procfs_thp_off, the caller's setting put back), so that a fault maps one base page
 * (sysconf(_SC_PAGESIZE)) whatever the machine's THP mode, and faults count pages.
 *
 * Ownership: the regions are mmap'd and unmapped before the functions return; they take
 * no heap. faults_requests mallocs and frees its blocks, none left. Out of memory: -1 with
 * errno (ENOMEM from mmap or malloc), nothing left mapped or allocated. */
#ifndef FAULTS_H
#define FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "countalloc.h"

/* Write one byte in every page of [p, p + len): at p, at each page boundary after it, and
 * at the last byte, so that a block that does not start on a page boundary has every page
 * it overlaps written. Returns the pages written. Not instrumented by ASan, whose check of
 * each write would read a shadow page of its own and fault there too. */
size_t faults_touch(unsigned char *p, size_t len, unsigned char value);

/* The pages [p, p + len) overlaps, p being off bytes into its page: ceil((off + len) /
 * page). */
uint64_t faults_pages_spanned(size_t off, size_t len);

/* ---- 1. the first touch ---- */

/* A fresh anonymous mapping of bytes (a multiple of the page size), written one byte a
 * page, then again. */
struct faults_touch {
    uint64_t pages;         /* bytes / page */
    uint64_t first, second; /* minor faults of the first pass, and of the second */
    double first_ns, second_ns; /* each pass's wall time */
};
/* 0; or -1 with errno (EINVAL for 0 bytes or not a multiple of the page size, or what mmap
 * said), nothing left mapped. */
int faults_first_touch(size_t bytes, struct faults_touch *t);

/* ---- 2. paying up front ---- */

/* How a fresh mapping is prepared before its pass. */
enum faults_way {
    FAULTS_ON_DEMAND,      /* nothing: the pass pays */
    FAULTS_MAP_POPULATE,   /* mmap with MAP_POPULATE: the mmap call itself maps every page */
    FAULTS_POPULATE_WRITE, /* madvise(MADV_POPULATE_WRITE), where the kernel has it */
    FAULTS_POPULATE_READ,  /* madvise(MADV_POPULATE_READ): maps every page for reading */
    FAULTS_WRITE_FIRST,    /* a byte written in every page at start-up (faults_touch) */
    FAULTS_WILLNEED,       /* madvise(MADV_WILLNEED): read-ahead advice, for files */
    FAULTS_MLOCK,          /* mlock: every page resident and kept so, up to RLIMIT_MEMLOCK */
    FAULTS_WAYS
};
const char *faults_way_name(enum faults_way way); /* "mmap(MAP_POPULATE)", ... */

/* A fresh mapping of bytes prepared `way`, then written one byte a page, then unmapped. */
struct faults_prepared {
    uint64_t pages;       /* bytes / page */
    uint64_t prep_faults; /* minor faults of the preparing step */
    double prep_ns;       /* its wall time: the mmap call with MAP_POPULATE; otherwise the
                           * madvise, mlock or write pass after a plain mmap */
    uint64_t pass_faults; /* minor faults of the pass after it */
    double pass_ns;       /* its wall time */
    int err;              /* 0, or the errno of a preparing call the kernel refused (EINVAL:
                           * MADV_POPULATE_WRITE on a kernel without it; ENOMEM or EPERM: mlock
                           * past RLIMIT_MEMLOCK). The pass still runs: it pays instead */
};
/* 0; or -1 with errno (EINVAL for 0 bytes, not a multiple of the page size or no such
 * way; or what mmap said), nothing left mapped. A refused madvise or mlock is not a
 * failure: err says why. */
int faults_prepare(size_t bytes, enum faults_way way, struct faults_prepared *p);

/* ---- 3. a request loop on malloc ---- */

/* How each request gets its block of bytes. */
enum faults_policy {
    FAULTS_MALLOC_FREE, /* malloc(bytes), written, freed: glibc as it is */
    FAULTS_NO_MMAP,     /* the same after mallopt(M_MMAP_MAX, 0) and mallopt(M_TRIM_THRESHOLD,
                         * FAULTS_TRIM_KEEP): the block comes from the heap, and its pages
                         * stay there when it is freed. For the whole process, for good */
    FAULTS_KEPT,        /* one block for every request: malloc'd by the first, freed after
                         * the last */
    FAULTS_POLICIES
};
const char *faults_policy_name(enum faults_policy policy);

/* FAULTS_NO_MMAP's trim threshold: free space at the top of the heap up to this stays. */
#define FAULTS_TRIM_KEEP ((size_t)1 << 30)
#define FAULTS_REQUESTS_MAX 8

/* n requests (1 to FAULTS_REQUESTS_MAX), each: its block of bytes (policy), a byte written
 * in every page it overlaps (faults_touch, with the request's number), read back, and the
 * block freed (FAULTS_KEPT: kept). For each request, what the whole of it did. */
struct faults_requests {
    unsigned n;
    size_t bytes;
    uint64_t faults[FAULTS_REQUESTS_MAX];  /* minor faults: malloc, writes, reads, free */
    bool mmapped[FAULTS_REQUESTS_MAX];     /* glibc gave the block pages of its own: its count
                                            * of mmap'd blocks (mallinfo2's hblks) rose */
    size_t offset[FAULTS_REQUESTS_MAX];    /* where the block starts in its page */
    struct countalloc_stats d[FAULTS_REQUESTS_MAX]; /* what the request allocated (counted) */
    bool intact;                           /* every byte read back as written */
    int rc, err;                           /* faults_requests_child: the child's result */
};
/* Runs here, in this process: FAULTS_NO_MMAP's mallopt stays in force after it returns
 * (faults_requests_child keeps it in a child). 0; or -1 with errno (EINVAL for 0 bytes, n
 * out of range or no such policy; ENOMEM when a malloc failed, everything freed). */
int faults_requests(size_t bytes, unsigned n, enum faults_policy policy, struct faults_requests *r);

/* The same in a child process (common/child.h), so that mallopt, and whatever the heap
 * became, stay there; the result comes back in *r. 0; or -1 with errno: the child's (ENOMEM
 * when its malloc failed), or child_run's when it could not run. */
int faults_requests_child(size_t bytes, unsigned n, enum faults_policy policy,
                          struct faults_requests *r);

#endif
