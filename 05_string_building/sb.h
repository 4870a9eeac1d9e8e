/* sb: a string builder, the C counterpart of Go's strings.Builder. The handle lives
 * where the caller puts it (struct sb b = SB_INIT;); the builder owns its buffer until
 * sb_detach hands it to the caller or sb_free releases it. When memory runs out (or a
 * size would overflow size_t) a call returns -1 with errno set and the builder is
 * exactly as it was: the caller loses nothing already written.
 *
 *   struct sb b = SB_INIT;                    // no allocation yet
 *   sb_reserve(&b, 4096);                     // Go's b.Grow(4096): optional, one malloc
 *   sb_append(&b, part, n);                   // b.Write(part)
 *   sb_puts(&b, "x"); sb_putc(&b, ',');       // b.WriteString("x"), b.WriteByte(',')
 *   sb_printf(&b, "%d", 42);                  // fmt.Fprintf(&b, "%d", 42)
 *   char *s = sb_detach(&b, &len);            // b.String(); s is yours to free
 *
 * How it grows: one policy, sb_grow_cap: the first buffer holds SB_MIN_CAP bytes, each
 * growth at least doubles it (SB_GROWTH), so n appends of total T bytes make about
 * log2(T / SB_MIN_CAP) + 1 allocations, and the growths move fewer than 2T bytes even
 * if every realloc moves, instead of n allocations and T * n / 2 bytes copied for
 * `s = concat(s, part)`.
 *
 * The terminator: cap counts it. The content fits while len + 1 <= cap, and buf[len] is
 * always '\0' once buf exists, so sb_str(&b) is a C string at any time.
 *
 * Pointer stability: any call that grows the builder may move buf (realloc). Keep
 * offsets into it, not pointers, across appends. */
#ifndef SB_H
#define SB_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#define SB_MIN_CAP 64 /* bytes of the first buffer, terminator included */
#define SB_GROWTH 2   /* each growth multiplies the capacity by at least this */

struct sb {
    char *buf;  /* the bytes, NUL-terminated; NULL until the first growth */
    size_t len; /* bytes written, terminator not included */
    size_t cap; /* bytes allocated at buf, terminator included; 0 when buf is NULL */
};

#define SB_INIT {NULL, 0, 0}

/* ---- the growth policy ---- */

/* The capacity to grow to from `cap` when `need` bytes (terminator included) must fit:
 * SB_MIN_CAP at first, then cap * SB_GROWTH, or `need` itself when that is larger or the
 * multiplication would overflow. Pure arithmetic; allocates nothing. */
size_t sb_grow_cap(size_t cap, size_t need);

/* ---- lifecycle ---- */

/* Release the buffer and make b empty again (SB_INIT). sb_free(NULL) does nothing. */
void sb_free(struct sb *b);

/* Empty the builder but keep its buffer: the next appends up to cap - 1 bytes allocate
 * nothing. Go's strings.Builder.Reset drops the buffer; this one keeps it, for reuse in a
 * loop, as bytes.Buffer.Reset does. */
void sb_reset(struct sb *b);

/* Hand the string to the caller (who frees it) and make b empty (SB_INIT); *len, if
 * len is not NULL, gets its length. An empty builder that never allocated returns a
 * fresh "" (one allocation of 1 byte). NULL when out of memory, b unchanged. */
char *sb_detach(struct sb *b, size_t *len);

/* ---- growing ---- */

/* Make room for n more bytes, so that the next appends of n bytes in all allocate
 * nothing (Go's Grow). A builder that never allocated gets exactly n + 1 bytes (at
 * least SB_MIN_CAP); otherwise the policy applies, so reserving in a loop still grows
 * geometrically. 0, or -1 with errno ENOMEM or EOVERFLOW. */
int sb_reserve(struct sb *b, size_t n);

/* The slow path of sb_append: grow, then copy. Call sb_append instead. */
int sb_append_slow(struct sb *b, const void *p, size_t n);

/* ---- appending: each returns 0, or -1 (errno ENOMEM / EOVERFLOW) with b unchanged ---- */

/* Append n bytes from p (may contain '\0'; p must not point into b's own buffer when
 * b has to grow). The fast path, when the bytes fit, is a compare, a memcpy and a store. */
static inline int sb_append(struct sb *b, const void *p, size_t n)
{
    if (n < b->cap - b->len) { /* room for n bytes and the terminator */
        memcpy(b->buf + b->len, p, n);
        b->len += n;
        b->buf[b->len] = '\0';
        return 0;
    }
    return sb_append_slow(b, p, n);
}

/* Append the C string s, without its terminator. */
static inline int sb_puts(struct sb *b, const char *s)
{
    return sb_append(b, s, strlen(s));
}

/* Append one byte. */
static inline int sb_putc(struct sb *b, char c)
{
    return sb_append(b, &c, 1);
}

/* Append printf-style output. Formats once into the free room; if it did not fit, grows
 * to the exact need (by the policy) and formats again: at most one allocation. An
 * output error from vsnprintf also returns -1 (errno EOVERFLOW) with b unchanged. */
int sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sb_vprintf(struct sb *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* ---- reading ---- */

/* The content as a C string: valid until the next call that may grow or free b; "" for
 * a builder that never allocated. */
static inline const char *sb_str(const struct sb *b)
{
    return b->buf != NULL ? b->buf : "";
}

/* Bytes that fit before the next growth (the terminator's byte excluded). */
static inline size_t sb_avail(const struct sb *b)
{
    return b->cap > b->len ? b->cap - b->len - 1 : 0;
}

#endif
