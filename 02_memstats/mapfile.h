/* mapfile.h: reading a whole file three ways, lesson 02: into one malloc'd block sized by
 * fstat, through mmap, or a fixed buffer at a time; the same job on each (count the lines,
 * fold the bytes into FNV-1a, common/hash.h), so the three are shown to agree.
 *
 * Ownership: each way's handle is the caller's, on its stack; what it holds (the block,
 * the mapping, the buffer and its descriptor) goes back with its close or free. Out of
 * memory: mapfile_whole_read and mapfile_reader_open return -1 with ENOMEM, having closed
 * the file; mmap itself allocates nothing on the heap. */
#ifndef MAPFILE_H
#define MAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "countalloc.h"

/* (c)'s buffer: 64 KiB. Half of glibc's first mmap threshold (128 KiB), so it comes from
 * the heap and is reused; 16 pages a read(2), so a 1 MiB file is 16 reads and the cost of
 * a call is spread over 64 KiB copied; small enough to stay in a core's L2 cache. */
#define MAPFILE_BUF (64u << 10)

/* The job's result: bytes seen, lines ('\n' bytes), and their FNV-1a digest. */
struct mapfile_sum {
    uint64_t bytes;
    uint64_t lines;
    uint64_t digest;
};

void mapfile_sum_init(struct mapfile_sum *s);
/* Fold p[0..n) into s: a piece at a time gives what the whole gives. */
void mapfile_fold(struct mapfile_sum *s, const void *p, size_t n);

/* ---- (a) the whole file in one malloc'd block ---- */

struct mapfile_whole {
    unsigned char *p; /* the bytes, malloc'd; NULL for an empty file */
    size_t len;       /* what was read: fstat's size, less if the file shrank meanwhile */
    unsigned reads;   /* read(2) calls made */
};

/* Open path, size a block by fstat, read into it until it is full or the file ends
 * (short reads and EINTR go round again), close. One allocation of st_size bytes; none
 * for an empty file (fstat's 0: /proc files read as empty). 0; or -1 with errno, nothing
 * held (ENOMEM when the block could not be had). */
int mapfile_whole_read(const char *path, struct mapfile_whole *w);
void mapfile_whole_free(struct mapfile_whole *w); /* 1 free; nothing for an empty one */

/* ---- (b) the file mapped ---- */

struct mapfile_map {
    const unsigned char *p; /* PROT_READ, MAP_PRIVATE; NULL for an empty file */
    size_t len;             /* fstat's size */
};

/* Open path, mmap its fstat size read-only, close the descriptor (the mapping keeps the
 * file). No heap allocation. An empty file maps nothing: mmap refuses a length of 0.
 * 0; or -1 with errno, nothing held. */
int mapfile_map_open(const char *path, struct mapfile_map *m);
void mapfile_map_close(struct mapfile_map *m); /* munmap; nothing for an empty one */

/* ---- (c) a buffer at a time ---- */

struct mapfile_reader {
    int fd;
    unsigned char *buf;
    size_t size;
    unsigned reads; /* read(2) calls made, the last one's 0 included */
};

/* Open path with a buffer of size bytes (1 or more): one allocation of size bytes. 0; or
 * -1 with errno (EINVAL for size 0), nothing held. */
int mapfile_reader_open(const char *path, size_t size, struct mapfile_reader *r);
/* The next piece: *p points into the buffer, valid until the next call. Returns its
 * length, 0 at the end of the file, or -1 with errno. One read(2), EINTR retried. */
ssize_t mapfile_reader_next(struct mapfile_reader *r, const unsigned char **p);
void mapfile_reader_close(struct mapfile_reader *r); /* 1 free and a close */

/* ---- the job done each way, start to end ---- */

enum mapfile_way { MAPFILE_WHOLE, MAPFILE_MAP, MAPFILE_STREAM, MAPFILE_WAYS };

const char *mapfile_way_name(enum mapfile_way way);
/* Sum the file at path one way (bufsize: (c)'s buffer). 0, or -1 with errno. */
int mapfile_sum_file(enum mapfile_way way, const char *path, size_t bufsize,
                     struct mapfile_sum *s);

/* ---- the input, and what the process's memory did ---- */

/* Where the input goes: $TMPDIR, or /var/tmp without it (a disk, where /tmp may be a
 * tmpfs, whose pages a mapping counts as RssShmem, not RssFile). */
const char *mapfile_dir(void);

/* Make a file of len bytes of text lines in dir (dir/mapfile-XXXXXX, its name into
 * path[size]), written from a stack buffer and fsync'ed, so its pages in the page cache
 * are clean. No allocation. 0; or -1 with errno, no file left. */
int mapfile_make(const char *dir, uint64_t len, char *path, size_t size);

/* The process's memory, from /proc/self/status and getrusage, read without allocating. */
struct mapfile_mem {
    uint64_t anon;   /* RssAnon: resident anonymous pages (the heap, malloc's mmaps) */
    uint64_t file;   /* RssFile: resident pages mapped from files (code, mmap'ed files) */
    uint64_t shmem;  /* RssShmem: shared memory, tmpfs files mapped */
    uint64_t minflt; /* minor page faults so far: a page mapped without I/O */
    uint64_t majflt; /* major faults: the page had to be read from the disk */
};

int mapfile_mem_read(struct mapfile_mem *m); /* 0, or -1 with errno */

/* One way measured, start to end. */
struct mapfile_cost {
    struct countalloc_stats heap; /* what the way allocated and freed */
    struct mapfile_mem start;     /* before it opened the file */
    struct mapfile_mem held;      /* after the job, what it holds still held */
    struct mapfile_mem paged;     /* then after madvise(MADV_PAGEOUT) of what it holds */
    struct mapfile_mem left;      /* after it gave everything back */
    unsigned reads;               /* read(2) calls; 0 for the mapping */
    struct mapfile_sum sum;
};

/* Do the job one way and take the samples above; with pageout, ask the kernel to reclaim
 * the pages that way holds (the block, the mapping, the buffer) before releasing them, as
 * memory pressure would (else paged is held). Allocates what the way does. 0, or -1 with
 * errno: the way failed (ENOMEM: out of memory), or /proc could not be read. */
int mapfile_measure(enum mapfile_way way, const char *path, size_t bufsize, bool pageout,
                    struct mapfile_cost *c);

#endif
