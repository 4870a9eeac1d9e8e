/* freelist: a small general-purpose allocator over one region the caller gives it, an
 * answer to "how would you implement malloc?" that fits in one file. It allocates nothing
 * itself: the region is the caller's, before fl_init and after fl_destroy.
 *
 *   static _Alignas(16) char region[4096];
 *   struct fl a;
 *   fl_init(&a, region, sizeof region);  // one free block over the whole region
 *   char *p = fl_alloc(&a, 100);          // NULL: no free block is big enough
 *   char *q = fl_realloc(&a, p, 200);     // NULL: refused, and p is still yours
 *   if (q != NULL) p = q;                 // never p = fl_realloc(&a, p, n)
 *   fl_free(&a, p);                       // merged with its free neighbours at once
 *   fl_destroy(&a);                       // the region is the caller's again
 *
 * The design is glibc's chunks in small:
 *   - Every block starts with an 8-byte header: the block's size (header included, a
 *     multiple of 16) and two flags in its low bits, FL_USED (this block is in use) and
 *     FL_PREV_USED (the block before it is). The payload follows the header and is
 *     16-byte aligned (alignof(max_align_t)), so a block is at least FL_MIN_BLOCK bytes:
 *     a request of 1 byte takes 32, with 24 usable.
 *   - A free block also holds two links, to the next and previous free block (an
 *     explicit doubly-linked free list, the newest first), and a footer: a copy of its
 *     size in its last 8 bytes. A block in use has no footer: its payload runs to the
 *     next header.
 *   - fl_alloc is first fit: it walks the free list and takes the first block that is
 *     big enough, splitting off the rest as a free block of its own when the rest can
 *     hold a minimal block.
 *   - fl_free merges the block with a free neighbour at once, in O(1): the next block's
 *     header says whether it is free; FL_PREV_USED says whether the previous one is,
 *     and then its footer says where it starts. Two free blocks are never neighbours.
 *   - fl_realloc shrinks in place, splitting off the tail (merged with a free block after
 *     it), and grows in place into a free block after it; only when that block is in
 *     use, or too small, does it allocate, copy and free. It never slides a block
 *     backwards into a free block before it.
 *   - The region's first 8 bytes or so align the first payload; its last 8 bytes hold an
 *     end marker, a header that says "in use" so that nothing merges past the end.
 *
 * Requests: fl_alloc(a, 0) returns a minimal block, as glibc's malloc(0) does (a pointer
 * of its own, to be freed); a request too large for size_t arithmetic returns NULL with
 * errno ENOMEM, as does one that no free block fits. Not thread-safe.
 *
 * With MEMDEBUG (common/memdebug.h) on, the tools see exactly the n bytes fl_alloc or
 * fl_realloc handed out: a read of a freed block, or of a block's bytes past n (after a
 * shrink in place too), is reported (memcheck:
 * "Invalid read", for a freed block "inside a block of size n free'd"; ASan:
 * "use-after-poison"; make misuse-04). The headers stay readable: an overflow that
 * reaches the next header is not reported. */
#ifndef FREELIST_H
#define FREELIST_H

#include <stddef.h>

#include "memdebug.h"

#define FL_ALIGN _Alignof(max_align_t)  /* 16 on x86-64: every payload's alignment */
#define FL_HEADER sizeof(size_t)        /* 8: a block's size and flags */
#define FL_MIN_BLOCK (FL_HEADER + 2 * sizeof(void *) + sizeof(size_t)) /* 32: a free block's
                                         * header, two links and footer */
#define FL_USED ((size_t)1)      /* header flag: this block is in use */
#define FL_PREV_USED ((size_t)2) /* header flag: the block before this one is in use */

struct fl_free; /* a free block as fl_free's list sees it: private to freelist.c */

struct fl {
    char *region;         /* as the caller gave it */
    size_t size;
    char *first;          /* the first block's header */
    char *end;            /* the end marker's header, just past the last block */
    struct fl_free *free; /* the free list, the block freed (or split off) last first */
};

/* What the region holds now, block by block. Every byte of the region is in exactly one
 * of used_bytes, free_bytes, header_bytes and edge_bytes. */
struct fl_stats {
    size_t used_blocks;   /* blocks in use */
    size_t free_blocks;   /* blocks on the free list */
    size_t used_bytes;    /* what the blocks in use can hold: their sizes less the headers */
    size_t free_bytes;    /* what the free blocks could hold: their sizes less the headers */
    size_t largest_free;  /* the largest request fl_alloc can serve now (0: none) */
    size_t header_bytes;  /* FL_HEADER per block, in use or free */
    size_t edge_bytes;    /* outside every block: the alignment before the first one, the
                           * end marker, and what is left past the last multiple of 16 */
};

/* Make the region [region, region + size) one free block. 0, or -1 (errno EINVAL) when
 * it cannot hold one minimal block. Allocates nothing. */
int fl_init(struct fl *a, void *region, size_t size);

/* Forget every block: the region is the caller's again, to free or to fl_init anew. */
void fl_destroy(struct fl *a);

/* n bytes, 16-byte aligned, contents unspecified; or NULL (errno ENOMEM) when no free
 * block is big enough, or n is too large to add a header to. n == 0: a minimal block. */
void *fl_alloc(struct fl *a, size_t n);

/* Resize p's block (from fl_alloc or fl_realloc on a) to hold n bytes, keeping the first
 * min(old n, n) bytes. p == NULL: fl_alloc(a, n). In place (returns p) when n fits the
 * block, whose tail past n goes back to the free list, or when the free block after it
 * makes up the difference; otherwise a new block, the bytes copied, p freed. NULL (errno
 * ENOMEM) when no block is big enough: p and its bytes stay as they were. n == 0 shrinks
 * p to a minimal block in place, so NULL always means "refused, p is still yours". */
void *fl_realloc(struct fl *a, void *p, size_t n);

/* Give p (from fl_alloc or fl_realloc on a) back; NULL does nothing. A block freed twice,
 * or a pointer fl_alloc did not return, aborts the program with a message when its header
 * shows it (fl_realloc too). */
void fl_free(struct fl *a, void *p);

/* The bytes p's block can hold, at least what fl_alloc or fl_realloc was asked for. */
size_t fl_usable_size(const void *p);

/* The block fl_alloc(n) would take: n plus the header, rounded up to FL_ALIGN, at least
 * FL_MIN_BLOCK; 0 when that does not fit in a size_t. */
size_t fl_block_size(size_t n);

/* Walk every block and count (allocates nothing). */
struct fl_stats fl_stats(const struct fl *a);

/* Check the invariants: every block's size and flags, each free block's footer, no two
 * free blocks side by side, and the free list holding exactly the free blocks, its back
 * links right. NULL, or what is broken. Allocates nothing. */
const char *fl_check(const struct fl *a);

#endif
