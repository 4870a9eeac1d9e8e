/* exercise.h: lesson 04, fix: a small malloc over one region the caller gives it, like
 * freelist.h but simpler: no list of free blocks, a walk over every block instead. It
 * allocates nothing itself: everything it knows is kept inside the region.
 *
 *   static _Alignas(16) char region[4096];
 *   struct mm m;
 *   mm_init(&m, region, sizeof region);   // one free block: the whole region
 *   char *p = mm_alloc(&m, 100);           // 16-byte aligned; NULL: no free block fits
 *   mm_free(&m, p);
 *
 * The tests use only these four functions and struct mm_stats: how a block is laid out
 * inside the region (its header, a footer, a flag) is exercise.c's to change. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

#define MM_ALIGN 16 /* every pointer mm_alloc returns is a multiple of this */

struct mm {
    char *first; /* the first block's header */
    char *end;   /* just past the last block */
};

/* What the region holds now, found by walking every block. */
struct mm_stats {
    size_t used_blocks;  /* blocks in use */
    size_t free_blocks;  /* free blocks */
    size_t free_bytes;   /* what the free blocks could hold, headers not counted */
    size_t largest_free; /* the largest request mm_alloc can serve now (0: none) */
};

/* Make [region, region + size) one free block. 0, or -1 (errno EINVAL) when it is too
 * small to hold a block. Allocates nothing. */
int mm_init(struct mm *m, void *region, size_t size);

/* n bytes, MM_ALIGN-aligned, contents unspecified; NULL (errno ENOMEM) when no free
 * block is big enough. n == 0: a minimal block of its own. */
void *mm_alloc(struct mm *m, size_t n);

/* Give p (from mm_alloc on m) back; NULL does nothing. */
void mm_free(struct mm *m, void *p);

/* Walk every block and count (allocates nothing). */
struct mm_stats mm_stats(const struct mm *m);

#endif
