/* aligned.h: how to get an aligned block and what it costs, lesson 02. malloc's blocks are
 * aligned for any object type (_Alignof(max_align_t), 16 on x86-64 glibc); more takes
 * aligned_alloc, posix_memalign or memalign, which glibc serves by taking a chunk of the
 * size plus the alignment plus a minimum chunk and splitting off what lies before and
 * after the aligned block; or malloc's block over-allocated and rounded up by hand.
 *
 * Ownership: aligned_own_alloc's block belongs to the caller until aligned_own_free; the
 * other functions free what they took before they return. Out of memory: they return
 * NULL or -1 having freed what they took. */
#ifndef ALIGNED_H
#define ALIGNED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The allocation calls compared, each with the same (alignment, size). */
enum aligned_call {
    ALIGNED_MALLOC,         /* malloc(size): the alignment is malloc's own */
    ALIGNED_ALIGNED_ALLOC,  /* aligned_alloc(align, size) (C11) */
    ALIGNED_POSIX_MEMALIGN, /* posix_memalign(&p, align, size) (POSIX) */
    ALIGNED_MEMALIGN,       /* memalign(align, size) (obsolete, glibc and others) */
    ALIGNED_OWN,            /* aligned_own_alloc(align, size): malloc rounded up by hand */
    ALIGNED_CALLS
};

const char *aligned_call_name(enum aligned_call c);

/* The largest power of two that divides the address (0 for NULL): the alignment a block
 * has, whatever was asked. */
size_t aligned_of(const void *p);

/* ---- doing it yourself on top of malloc ---- */

/* The bytes aligned_own_alloc asks malloc for: size + align - 1 for the rounding, and
 * room for the pointer to malloc's block. 0 if that overflows. */
size_t aligned_own_request(size_t align, size_t size);

/* A block of `size` bytes at a multiple of align (a power of two): one malloc of
 * aligned_own_request bytes, rounded up, with malloc's pointer stored just before the
 * block. NULL with errno EINVAL for a bad alignment, ENOMEM when malloc fails. */
void *aligned_own_alloc(size_t align, size_t size);
/* Free a block aligned_own_alloc returned: the pointer before it, to free. NULL does
 * nothing. */
void aligned_own_free(void *p);

/* ---- counted: what the program's own calls cost (the counting allocator) ---- */

/* One block through the public call c (the counting allocator's, in this build): NULL
 * if it failed, with *err the error (posix_memalign's return value, errno for the
 * others). Free it with aligned_free(c, p). */
void *aligned_call(enum aligned_call c, size_t align, size_t size, int *err);
void aligned_free(enum aligned_call c, void *p);

/* The alignment malloc guarantees, as seen: the lowest set bit of every address that
 * malloc(1), malloc(2), ... malloc(max_size) returned (each block freed before the next
 * call). -1 if out of memory. */
int aligned_malloc_seen(size_t max_size, size_t *align);

/* ---- glibc's own (not counted): its chunks, and what it leaves between them ---- */

/* Whether glibc's own malloc serves the calls below: not under Valgrind, nor in a
 * sanitizer build (their allocators keep no glibc chunk headers). */
bool aligned_glibc_serves(void);

/* What glibc's malloc does with n blocks of call c, one after another, in a child process
 * forked for the purpose, on a thread of its own whose first malloc gives it a new, empty
 * arena (in a process that has had no other thread): every row starts from the same heap.
 * From glibc's chunk headers (platform_chunk_of), mallinfo2() before and after, and where
 * the top chunk begins after the row. taken = chunks + parked + binned. */
struct aligned_footprint {
    uint64_t chunk;       /* the first block's chunk, header included */
    uint64_t chunks;      /* the n blocks' chunks, summed */
    uint64_t taken;       /* what the arena's top gave up for them */
    int64_t parked;       /* uordblks - chunks: split-off pieces in the thread's cache
                             (mallinfo2 counts tcache chunks as in use) */
    int64_t binned;       /* taken - uordblks: split-off pieces free in the bins */
    int64_t free_chunks;  /* ordblks + smblks: free chunks in the bins and fastbins */
    bool aligned;         /* every block at a multiple of the alignment */
};

/* 0 with *out filled, or -1: not glibc's malloc serving (errno ENOTSUP), a block
 * refused (errno ENOMEM or EINVAL), or the child or its thread could not run (ECHILD, or
 * pthread_create's error, EAGAIN when its allocation failed). n >= 1. */
int aligned_footprint(enum aligned_call c, size_t align, size_t size, unsigned n,
                      struct aligned_footprint *out);

/* What one of glibc's own calls did with an (alignment, size) it may refuse: its return
 * value, errno around it, and for posix_memalign whether it wrote *memptr. */
struct aligned_outcome {
    bool block;          /* it returned a block (freed at once) */
    size_t block_align;  /* the block's alignment, aligned_of */
    int ret;             /* posix_memalign's return value; 0 for the others */
    int err;             /* errno after the call, set to 0 before it */
    bool wrote_memptr;   /* posix_memalign: *memptr changed */
};

/* c is ALIGNED_ALIGNED_ALLOC, ALIGNED_POSIX_MEMALIGN or ALIGNED_MEMALIGN. 0, or -1
 * where glibc's malloc is not the one serving (errno ENOTSUP). */
int aligned_glibc_outcome(enum aligned_call c, size_t align, size_t size, struct aligned_outcome *out);

#endif
