/* sbsmall: a string builder with an inline buffer (a small-buffer optimisation). The
 * struct holds SBS_INLINE bytes of its own: a text that fits there, terminator included,
 * is built without any allocation, in the struct, wherever the caller put it (on the
 * stack: struct sbs b = SBS_INIT;). The first append that does not fit moves the text to
 * a heap block (one malloc, the inline bytes copied over) and from then on the builder
 * grows as struct sb does, by sb_grow_cap (sb.h): the first block holds SB_MIN_CAP bytes
 * (2 * SBS_INLINE), and each growth doubles it.
 *
 *   struct sbs b = SBS_INIT;      // no allocation
 *   sbs_puts(&b, "user:42");      // still none: 8 bytes fit inline
 *   use(sbs_str(&b), sbs_len(&b));
 *   sbs_free(&b);                 // frees the heap block, if there is one
 *
 * So a text of length L costs 0 allocations while L + 1 <= SBS_INLINE, and above that
 * 1 + the doublings from SB_MIN_CAP to L + 1; struct sb pays that 1 even for "x".
 *
 * Failure: an append that cannot grow (or whose size would overflow size_t) returns -1
 * with errno ENOMEM or EOVERFLOW, and the builder is exactly as it was.
 *
 * Pointer stability: sbs_str's pointer is valid until the next append, reset or free.
 * While the text is inline it points inside the struct itself; the append that moves the
 * text to the heap leaves it pointing at the old inline bytes, and each later growth may
 * move the heap block (realloc). Keep offsets, not pointers, across appends.
 *
 * Copying: the builder is used through a pointer. A struct copy of a builder on the heap
 * would share its block (two owners, one free too many). */
#ifndef SBSMALL_H
#define SBSMALL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define SBS_INLINE 32 /* bytes inside the struct, terminator included */

struct sbs {
    char *heap;              /* the heap block, or NULL while the text is inline */
    size_t len;              /* bytes written, terminator not included */
    size_t cap;              /* bytes at sbs_str, terminator included: SBS_INLINE while
                              * inline */
    char small[SBS_INLINE];  /* the inline text, NUL-terminated, while heap is NULL */
};

#define SBS_INIT {NULL, 0, SBS_INLINE, ""}

/* Release the heap block, if any, and make b empty again (SBS_INIT). sbs_free(NULL) does
 * nothing. */
void sbs_free(struct sbs *b);

/* Empty the builder but keep its heap block, if it has one: building the same length
 * again allocates nothing (as sb_reset). */
void sbs_reset(struct sbs *b);

/* The slow path of sbs_append: move to the heap or grow, then copy. */
int sbs_append_slow(struct sbs *b, const void *p, size_t n);

/* The text: inline, or in the heap block. */
static inline char *sbs_buf_(struct sbs *b)
{
    return b->heap != NULL ? b->heap : b->small;
}

/* Append n bytes from p (p must not point into b's own text). 0, or -1 with b unchanged.
 * The fast path, while the bytes fit, is a compare, a memcpy and a store. */
static inline int sbs_append(struct sbs *b, const void *p, size_t n)
{
    if (n < b->cap - b->len) { /* room for n bytes and the terminator */
        char *d = sbs_buf_(b);

        memcpy(d + b->len, p, n);
        b->len += n;
        d[b->len] = '\0';
        return 0;
    }
    return sbs_append_slow(b, p, n);
}

/* Append the C string s, without its terminator. */
static inline int sbs_puts(struct sbs *b, const char *s)
{
    return sbs_append(b, s, strlen(s));
}

/* Append one byte. */
static inline int sbs_putc(struct sbs *b, char c)
{
    return sbs_append(b, &c, 1);
}

/* The text as a C string (see "Pointer stability" above). */
static inline const char *sbs_str(const struct sbs *b)
{
    return b->heap != NULL ? b->heap : b->small;
}

/* Its length, terminator not included. */
static inline size_t sbs_len(const struct sbs *b)
{
    return b->len;
}

/* Whether the text is still in the struct's inline buffer. */
static inline bool sbs_is_inline(const struct sbs *b)
{
    return b->heap == NULL;
}

#endif
