/* guard.h: a guard-page allocator, lesson 02: each block gets a mapping of its own, the
 * pages it needs and one PROT_NONE page after them, the block placed to end at that page,
 * so the first byte past its end faults at once; freed, its pages become PROT_NONE and
 * stay so, so a use after free faults too. What that costs beside glibc's malloc: a
 * mapping and two pages for a 16-byte block, and two of the kernel's map entries.
 *
 * Ownership: a block is the caller's until guard_free; guard_free keeps its address
 * range mapped PROT_NONE for ever (never reused), its pages given back to the kernel.
 * Out of memory: no heap is used; when mmap or mprotect fails (ENOMEM: no address space,
 * or the process is at vm.max_map_count), guard_alloc returns NULL with errno and leaves
 * nothing mapped. */
#ifndef GUARD_H
#define GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The header in front of every block: the mapping's start and length, read back by
 * guard_free. It sits just before the block, in the same pages, so the block's size costs
 * no lookup; an overflow below the block (an underflow) writes into it, uncaught. */
#define GUARD_HDR 16

/* A block of n bytes whose address is a multiple of align (a power of two from 1 to 4096),
 * ending as close to the guard page as that allows: align 1 ends exactly at it; align 16
 * (what malloc must give) leaves n rounded up to 16 minus n bytes of slack before it, in
 * which an overflow is not caught. n = 0 gives a pointer to the guard page itself. One
 * mmap and one mprotect, no heap. NULL with errno: EINVAL for a bad align, ENOMEM for a
 * size that overflows or what mmap or mprotect said, nothing mapped. */
void *guard_alloc(size_t n, size_t align);

/* guard_alloc(n, 1): the block ends at the guard page. */
void *guard_malloc(size_t n);

/* Make p's pages PROT_NONE and give them back to the kernel (MADV_DONTNEED); its address
 * range stays mapped, so a later read or write of the block faults, and so does a second
 * guard_free of it (it reads the header). guard_free(NULL) does nothing. */
void guard_free(void *p);

/* The pages a block of n bytes at align maps, the guard page included. */
size_t guard_pages(size_t n, size_t align);

/* The bytes between the end of a block of n bytes at align and its guard page: 0 for
 * align 1, up to align - 1 otherwise. */
size_t guard_slack(size_t n, size_t align);

/* Read (write false) or write (write true, a 0 byte) the byte at addr with a SIGSEGV
 * handler in place: true if the access faulted, with the faulting address (si_addr)
 * into *fault; false if it went through. For a probe of memory the caller may touch or
 * owns the fault of: a write past a malloc'd block is undefined behaviour and corrupts
 * what lies there. */
bool guard_probe(void *addr, bool write, void **fault);

/* The lines of /proc/self/maps: the kernel's map entries (VMAs) of this process, the
 * count vm.max_map_count caps. Read a piece at a time, no allocation. -1 with errno. */
long guard_map_count(void);

/* The highest vm.max_map_count at which demo/guard --limit and its test make guard blocks
 * until the kernel refuses one: some systems raise the limit to millions, and as many
 * mappings would take minutes. Past it both say so and do not run. */
#define GUARD_LIMIT_MAX 262144L

/* What guard_limit saw: the child's map entries when it began, the guard blocks it made,
 * the errno of the one refused, and the map entries after the refusal. */
struct guard_limit {
    long before, made, after;
    int err;
};

#define GUARD_LIMIT_BLOCK 16 /* bytes: the blocks guard_limit makes */

/* In a child (child.h), guard_malloc(GUARD_LIMIT_BLOCK) until it fails, nothing freed: the child's
 * figures into *l. 0; or -1 with errno (the child could not run, or could not read its
 * maps). The caller checks vm.max_map_count against GUARD_LIMIT_MAX first. */
int guard_limit(struct guard_limit *l);

/* ---- what a batch of blocks costs, one way against another ---- */

enum guard_way {
    GUARD_LIBC, /* glibc's malloc as it is (__libc_malloc, not counted): its chunks */
    GUARD_END,  /* guard_malloc: each block ends at its guard page */
    GUARD_16,   /* guard_alloc(n, 16): 16-byte aligned, the slack before the guard */
    GUARD_WAYS
};

const char *guard_way_name(enum guard_way way);

/* The process's memory from /proc/self/status and getrusage, and its map entries. */
struct guard_mem {
    uint64_t vmsize;  /* VmSize: address space */
    uint64_t vmrss;   /* VmRSS: resident pages */
    uint64_t minflt;  /* minor page faults so far */
    long maps;        /* guard_map_count */
};

struct guard_cost {
    uint64_t taken;        /* glibc: its chunks' sizes, summed; guard: the pages mapped */
    struct guard_mem start;
    struct guard_mem held; /* with every block allocated and written */
    struct guard_mem left; /* after every block was freed */
};

/* Allocate n blocks of size bytes one way into ptrs[0..n) (the caller's array) and write
 * every byte of each; *taken gets what they take (glibc's chunks, or the pages mapped). No
 * heap of the counting allocator's. 0; or -1 with errno, every block taken freed. */
int guard_fill(enum guard_way way, void **ptrs, size_t n, size_t size, uint64_t *taken);
/* Free ptrs[0..n), as guard_fill made them. */
void guard_empty(enum guard_way way, void **ptrs, size_t n);

/* guard_fill, then guard_empty, and the samples above. 0; or -1 with errno (a block could
 * not be had, /proc could not be read), every block taken freed. */
int guard_measure(enum guard_way way, void **ptrs, size_t n, size_t size, struct guard_cost *c);

#endif
