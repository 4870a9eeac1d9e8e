/* exercise.h: lesson 01, fix: a request handler that needs a big scratch buffer. Each
 * request says how many bytes of scratch it needs (need) and how many of them it fills
 * (used, at most need); the handler fills them, a byte in every page, from the request's
 * seed, and returns a checksum of what it wrote. A handler starts empty, {NULL, 0}, and
 * handler_free gives back whatever it holds.
 *
 * The budget: after the first request, a request that needs no more scratch than the
 * handler holds makes no allocation and no page fault: the scratch is kept across
 * requests, in the handler, and grown (one allocation of exactly the new need, one free
 * of the old buffer) when a request needs more. A buffer malloc'd and freed per request
 * is, past glibc's mmap threshold, fresh pages every time: a fault on every page written
 * (see "Page faults on the hot path" in the lesson's README). Out of memory: -1, errno
 * ENOMEM, the handler as it was (the same scratch pointer and cap), nothing left
 * allocated. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>
#include <stdint.h>

struct handler {
    unsigned char *scratch; /* cap bytes, NULL while cap is 0 */
    size_t cap;
};

struct request {
    size_t need;   /* scratch bytes the request needs, at least 1 */
    size_t used;   /* how many of them it fills, at most need */
    uint64_t seed; /* what it fills them from */
};

/* The byte a request writes at offset i of its scratch, and the checksum of a request:
 * the sum of (i / page + 1) x byte for the bytes it writes (handler_fill). */
unsigned char handler_byte(uint64_t seed, size_t i);

/* Write handler_byte(rq->seed, i) at the offsets i of scratch[0, rq->used) that start a
 * page (i a multiple of the page size) and at the last one, and return their checksum read
 * back from scratch. Given: it allocates nothing. */
uint64_t handler_fill(unsigned char *scratch, const struct request *rq);

/* Serve one request: scratch for rq->need bytes, handler_fill on it, *sum its checksum.
 * 0; or -1, errno ENOMEM, *h as it was. */
int handler_serve(struct handler *h, const struct request *rq, uint64_t *sum);

/* Free h's scratch (none when cap is 0) and leave h empty: {NULL, 0}. */
void handler_free(struct handler *h);

#endif
