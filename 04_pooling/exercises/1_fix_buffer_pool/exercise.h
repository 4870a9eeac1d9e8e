/* exercise.h: lesson 04's first exercise, a tiny pool of fixed-size buffers.
 * The handle lives on the caller's stack; the pool owns the free buffers it keeps, the
 * caller owns a buffer from bufpool_get until bufpool_put. Out of memory: bufpool_get
 * returns NULL and the pool is unchanged.
 *
 * The goal: a request loop that gets and puts buffers makes no allocation at all once
 * the pool is warm, and bufpool_destroy leaves nothing behind. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

struct bufpool {
    size_t size;     /* bytes per buffer: at least sizeof(void *), to hold the link */
    size_t cap;      /* most free buffers the pool keeps */
    size_t nfree;    /* free buffers held now */
    void *free_list; /* the free buffers, linked through their first word */
};

/* Set up an empty pool of `size`-byte buffers keeping at most `cap`. Allocates nothing. */
void bufpool_init(struct bufpool *p, size_t size, size_t cap);

/* A buffer of p->size bytes (contents unspecified), or NULL when out of memory. */
void *bufpool_get(struct bufpool *p);

/* Give buf back. The pool keeps it if it holds fewer than cap, else frees it. */
void bufpool_put(struct bufpool *p, void *buf);

/* Free every buffer the pool holds. */
void bufpool_destroy(struct bufpool *p);

#endif
