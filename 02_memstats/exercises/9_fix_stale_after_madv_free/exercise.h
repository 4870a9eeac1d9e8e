/* exercise.h: lesson 02, fix: a cache of equal buffers, carved from one anonymous mapping,
 * that a service takes one of for each request and gives back when the request is done.
 * Between bursts most buffers sit idle, so a buffer given back hands its pages back to the
 * kernel, for the service's RSS to fall; and a buffer handed out must read as zeros, every
 * byte, as a fresh mapping does: the requests rely on it. See "Giving pages back" in the
 * lesson's README: madvise(MADV_FREE) only marks the pages lazily free (LazyFree in smaps),
 * and until the kernel runs short of memory they stay resident, counted in Rss, with the
 * old bytes in them; madvise(MADV_DONTNEED) drops them at once, and the next read of a
 * private anonymous page finds zeros.
 *
 * The goal: a buffer handed out again reads zeros in every byte, whatever its last owner
 * wrote; a buffer given back leaves the mapping's Rss at once; nothing allocated. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

#define CACHE_MAX 64 /* buffers a cache can hold */

struct cache {
    unsigned char *base; /* count x size bytes, one private anonymous mapping */
    size_t size;         /* a buffer's bytes: whole pages */
    size_t count;        /* its buffers, 1 to CACHE_MAX */
    size_t idle[CACHE_MAX]; /* the buffers not handed out, by index: a stack */
    size_t nidle;
};

/* Map count buffers of size bytes, all idle and reading zeros (cache.c). 0; or -1 with
 * errno: EINVAL for a count of 0 or past CACHE_MAX, or a size that is not whole pages;
 * ENOMEM (mmap's), nothing mapped. */
int cache_init(struct cache *c, size_t count, size_t size);
/* Unmap the buffers (cache.c); nothing for a cache that was never set up. */
void cache_destroy(struct cache *c);

/* An idle buffer, the one given back last first: size bytes that read as zeros. NULL with
 * EAGAIN when every buffer is out. Allocates nothing. */
unsigned char *cache_get(struct cache *c);

/* Give a buffer back: it is idle again and its pages go back to the kernel. 0; or -1 with
 * EINVAL for a pointer that is not the start of one of c's buffers handed out. Allocates
 * nothing. */
int cache_put(struct cache *c, unsigned char *buf);

#endif
