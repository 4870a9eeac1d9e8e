/* madv.h: giving pages back to the kernel, lesson 02. madvise(MADV_DONTNEED) drops a range's
 * pages at once: Rss falls by them, and the next read finds zeros (the shared zero page) and
 * the next write a fresh page, a fault each. madvise(MADV_FREE) (Linux 4.5) drops nothing:
 * it marks the pages lazily free, LazyFree in smaps, and the kernel takes them only when it
 * needs memory; until then they stay in Rss (and in RssAnon, and in what a container's
 * monitoring reads), a read may still find the old bytes, and a write takes no fault and
 * cancels the free for its page. madvise(MADV_PAGEOUT) (Linux 5.4) reclaims a range as
 * memory pressure would: lazily free pages are dropped, dirty anonymous ones go to swap,
 * or stay where there is none.
 *
 * A region here is hugepage.h's region of pages (span = a page, MADV_NOHUGEPAGE): mapped
 * on its own between PROT_NONE pages, so its smaps entry is its pages alone, and with
 * transparent huge pages off for the process while it is measured (procfs_thp_off), so
 * that a fault maps one page whatever the machine's THP mode.
 *
 * The kernel marks pages lazily free, and puts newly faulted pages on its lists, through
 * per-CPU batches (31 pages on Linux 6.18): a batch left on another CPU is not on the
 * lists yet, and madvise there skips its pages. So the measurements run with the thread
 * pinned to the CPU it is on (sched_setaffinity, put back after), and madv_free advises
 * twice: the second call's drain of this CPU's batches flags the last pages of the first.
 *
 * Ownership: everything is mmap'd and unmapped before a function returns, but for
 * madv_glibc, which mallocs (below). Out of memory: -1 with errno, nothing left mapped or
 * allocated. */
#ifndef MADV_H
#define MADV_H

#include <stddef.h>
#include <stdint.h>

/* The figures of the region's smaps entry, in bytes. */
struct madv_mem {
    uint64_t rss;      /* Rss: its resident pages, lazily free ones included */
    uint64_t lazyfree; /* LazyFree: pages told MADV_FREE and not written since */
    uint64_t swap;     /* Swap: pages written out to swap (0 without swap) */
};

/* The smaps figures of the mapping that holds addr: 0, or -1 with errno (procfs_mapping's). */
int madv_mem_read(const void *addr, struct madv_mem *m);

/* Write value in the first byte of each page of p[0..len): the pages written. Not
 * instrumented by ASan (PROCFS_UNSHADOWED). */
uint64_t madv_write(unsigned char *p, size_t len, unsigned char value);
/* Read the first byte of each page of p[0..len): the pages that read value; those that
 * read 0 into *zeros. */
uint64_t madv_read(const unsigned char *p, size_t len, unsigned char value, uint64_t *zeros);

/* madvise(MADV_FREE) on [p, p + len), twice (above): 0, or -1 with errno (EINVAL: a kernel
 * before 4.5). */
int madv_free(void *p, size_t len);

/* One step of madv_measure: the region's figures after it, and for a pass over its pages
 * the minor faults it took and what it read. */
struct madv_step {
    struct madv_mem mem;
    uint64_t faults; /* the calling thread's minor faults during the step */
    uint64_t old;    /* a read pass: pages that read the byte last written there */
    uint64_t zeros;  /* a read pass: pages that read 0 */
};

enum madv_steps {
    MADV_WRITTEN,        /* a byte written a page (value 1) */
    MADV_DONTNEED_CALL,  /* madvise(MADV_DONTNEED) on the whole region */
    MADV_DONTNEED_READ,  /* each page read */
    MADV_DONTNEED_WRITE, /* a byte written a page again (value 2) */
    MADV_FREE_CALL,      /* madv_free on the whole region */
    MADV_FREE_READ,      /* each page read */
    MADV_FREE_WRITE,     /* a byte written a page in the first half (value 3) */
    MADV_PAGEOUT_CALL,   /* madvise(MADV_PAGEOUT) on the whole region */
    MADV_PAGEOUT_READ,   /* each page read */
    MADV_PAGEOUT_WRITE,  /* a byte written a page (value 4): every page dirty again */
    MADV_PAGEOUT_DIRTY,  /* madvise(MADV_PAGEOUT) on the whole region, every page dirty */
    MADV_STEPS
};

/* A step's name for a table ("madvise(MADV_FREE)", "read each page", ...). */
const char *madv_step_name(enum madv_steps s);

struct madv_report {
    uint64_t pages;          /* the region's pages */
    uint64_t half;           /* the pages of its first half, pages / 2 */
    struct madv_step step[MADV_STEPS];
    int pageout_err;         /* 0, or madvise(MADV_PAGEOUT)'s errno (EINVAL: a kernel before
                              * 5.4); the steps from MADV_PAGEOUT_CALL on are then zero */
    uint64_t swap_total;     /* /proc/meminfo's SwapTotal, bytes: 0 without swap */
};

/* A region of len bytes (a multiple of the page size, at least two pages), through the
 * steps above in order, then unmapped. Nothing allocated. 0; or -1 with errno (EINVAL for a
 * bad len or a kernel without MADV_FREE, or what mmap, madvise or procfs_mapping said),
 * nothing left mapped. */
int madv_measure(size_t len, struct madv_report *r);

/* glibc's malloc giving pages back: a block of big bytes past the mmap threshold, a byte
 * written a page, then freed; then blocks blocks of MADV_GLIBC_SMALL bytes written whole
 * with one of MADV_GLIBC_PIN above them, all freed but that one, then malloc_trim(0).
 * After each, the whole process's Anonymous and LazyFree (/proc/self/smaps_rollup). */
#define MADV_GLIBC_SMALL 1000
#define MADV_GLIBC_PIN 4096

struct madv_rollup {
    uint64_t anon;     /* Anonymous: resident anonymous pages, lazily free ones included */
    uint64_t lazyfree; /* LazyFree */
};

struct madv_glibc {
    struct madv_rollup start, big_written, big_freed, small_written, small_freed, trimmed;
    int trim_rc; /* malloc_trim's return: 1 when it gave memory back */
};

/* The whole process's figures now: 0, or -1 with errno. */
int madv_rollup_read(struct madv_rollup *m);

/* The steps above. blocks + 3 allocations (the array of pointers, the big block, the
 * small ones and the pin), all freed before it returns. 0; or -1 with errno (ENOMEM when
 * a malloc failed, every block taken freed; EINVAL for no blocks or a big of 0). */
int madv_glibc(size_t blocks, size_t big, struct madv_glibc *g);

/* What each advice costs: a region of len bytes, a byte written a page, then the
 * madvise timed, then the next write pass timed, with its faults (the thread's CPU time,
 * report_thread_ns). */
struct madv_timing {
    uint64_t pages;  /* the region's pages, written before the madvise */
    double advise_ns;  /* the madvise call */
    double write_ns;   /* the write pass after it */
    uint64_t faults;   /* the write pass's minor faults */
};

/* advice: MADV_DONTNEED or MADV_FREE (a single call; no drain). 0, or -1 with errno
 * (EINVAL for another advice or a bad len), nothing left mapped. */
int madv_time(size_t len, int advice, struct madv_timing *t);

#endif
