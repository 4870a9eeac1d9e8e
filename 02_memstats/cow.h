/* cow.h: what fork costs in memory, lesson 02. After fork the child shares every page of
 * its parent copy-on-write: reading one costs nothing, the first write to one copies that
 * page (4 KiB) into the writer; each process's RSS still counts the shared pages.
 *
 * cow_fork_measure forks; the child reads a buffer whole, writes one byte per page of it,
 * then makes a few small mallocs, and after each step reads its own and its parent's
 * /proc/PID/smaps_rollup and its minor page faults; the parent reads its own before the
 * fork and after the child has ended. Ownership: the caller owns the buffer. Out of
 * memory: cow_buf_new and cow_small_allocs return -1 having freed what they took; a child
 * that ran out reports ENOMEM to cow_fork_measure, which returns -1. */
#ifndef COW_H
#define COW_H

#include <stddef.h>
#include <stdint.h>

#define COW_SMALL_ALLOCS 4   /* step (c): the child's mallocs, then as many frees */
#define COW_SMALL_SIZE 64    /* bytes each */

/* A filled buffer: byte i is cow_fill_byte(i). One malloc of len bytes. */
struct cow_buf {
    unsigned char *p;
    size_t len;
};

int cow_buf_new(struct cow_buf *b, size_t len); /* 1 allocation of len bytes; 0, or -1 */
void cow_buf_free(struct cow_buf *b);           /* 1 free; nothing for an empty one */
unsigned char cow_fill_byte(size_t i);          /* the pattern: never 0, so no page is zero */
/* Whether every byte still holds the pattern (reads every byte). */
int cow_buf_intact(const struct cow_buf *b);

/* The sum of the bytes at p[0..len): reads every byte, writes none. */
uint64_t cow_sum(const unsigned char *p, size_t len);
/* Change one byte in each page that p[0..len) spans; returns the pages written. */
size_t cow_write_pages(unsigned char *p, size_t len);
/* The pages p[0..len) spans (its first and last may be shared with other data). */
size_t cow_pages_spanned(const void *p, size_t len);

/* COW_SMALL_ALLOCS mallocs of COW_SMALL_SIZE bytes, each written, then all freed: 0, or
 * -1 when one failed (the others freed first). */
int cow_small_allocs(void);

/* One process's memory, from /proc/PID/smaps_rollup, in bytes. */
struct cow_mem {
    uint64_t rss;           /* resident: every page it maps, shared ones counted whole */
    uint64_t pss;           /* proportional: each page divided by the processes mapping it */
    uint64_t private_dirty; /* written pages no other process maps: what it alone costs */
};

/* The whole process: path is /proc/PID/smaps_rollup (Linux 4.14 and later). Without
 * allocating; 0, or -1 with errno. */
int cow_mem_read(const char *path, struct cow_mem *m);
/* One mapping, the one holding addr: path is /proc/PID/smaps. A block past glibc's mmap
 * threshold has a mapping of its own, so this is the block's pages alone. */
int cow_mem_read_mapping(const char *path, const void *addr, struct cow_mem *m);

enum cow_step {
    COW_FORKED, /* the child's first look, right after fork */
    COW_READ,   /* (a) it read every byte of the buffer */
    COW_WRITE,  /* (b) it changed one byte in each page of the buffer */
    COW_SMALL,  /* (c) it made COW_SMALL_ALLOCS small mallocs and freed them */
    COW_STEPS
};

struct cow_sample {
    struct cow_mem child;      /* the child, whole */
    struct cow_mem parent;     /* the parent, whole, read by the child at the same moment */
    struct cow_mem child_buf;  /* the buffer's mapping in the child */
    struct cow_mem parent_buf; /* and in the parent */
    uint64_t minflt;           /* the child's minor page faults since fork (getrusage) */
};

struct cow_report {
    struct cow_sample at[COW_STEPS]; /* after each step */
    size_t pages;                    /* pages step (b) wrote one byte of */
    uint64_t sum_read;               /* the child's cow_sum of the buffer, step (a) */
    uint64_t sum_written;            /* the same after step (b) */
    uint64_t small_mallocs;          /* step (c) as the child's counting allocator saw it */
    uint64_t small_frees;
    uint64_t small_bytes;
    struct cow_mem parent_before;    /* the parent, whole, before the fork */
    struct cow_mem parent_buf_before;/* the buffer's mapping in the parent, before the fork */
    struct cow_mem parent_after;     /* the parent, whole, after the child has ended */
    struct cow_mem parent_buf_after; /* the buffer's mapping then */
    uint64_t parent_sum_before;      /* the parent's cow_sum before the fork */
    uint64_t parent_sum_after;       /* and after the child has ended */
    int parent_intact;               /* the parent's buffer still holds the pattern */
    int error;                       /* 0, or the errno of what failed in the child */
};

/* Fork and take the samples above; the child takes one sample first and throws it away,
 * so that what the sampling itself touches (its stack, its code) is not in the steps.
 * The parent allocates nothing; the child makes COW_SMALL_ALLOCS allocations in step (c).
 * 0, or -1 with errno: the fork, the pipe or a /proc read failed, or the child ran out of
 * memory (ENOMEM). */
int cow_fork_measure(const struct cow_buf *b, struct cow_report *r);

#endif
