/* exercise.h: lesson 01, fix: a growable byte buffer for big data. The caller writes up
 * to cap bytes at data and says how many it wrote in len; bigbuf_reserve makes room for
 * more, keeping the first len bytes; bigbuf_free gives the block back. An empty buffer is
 * {NULL, 0, 0}.
 *
 * The budget, per growth: one allocation of exactly the new capacity and one free of the
 * old block (counted as memcheck counts a realloc: one allocation and one free, even when
 * the block does not move), and no page of the old contents written: a block past glibc's
 * mmap threshold has pages of its own, which realloc moves with mremap(2) instead of
 * copying them (see "Growing a big block" in the lesson's README). Out of memory: -1,
 * errno ENOMEM, and the buffer as it was: the same data pointer, len, cap and bytes. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

struct bigbuf {
    unsigned char *data; /* cap bytes, NULL while cap is 0 */
    size_t len;          /* how many of them hold the caller's bytes, at most cap */
    size_t cap;
};

/* Room for cap bytes. cap <= b->cap: 0, and nothing allocated or freed. Otherwise one
 * block of exactly cap bytes whose first b->len bytes are the old block's, b->cap = cap:
 * 0; or -1, errno ENOMEM, *b and its bytes as they were. */
int bigbuf_reserve(struct bigbuf *b, size_t cap);

/* Free b's block (none when cap is 0) and leave b empty: {NULL, 0, 0}. */
void bigbuf_free(struct bigbuf *b);

#endif
