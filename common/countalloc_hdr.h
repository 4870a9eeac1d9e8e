/* countalloc_hdr.h: the malloc family of the back-ends that put a header before each
 * block (countalloc_libc.c, countalloc_next.c). Each includes this file once, after
 * defining real_malloc, real_calloc, real_realloc, real_memalign and real_free: the
 * allocator underneath. Function definitions in a header, so that the fast path calls
 * the allocator underneath directly, with nothing chosen at run time.
 *
 * Layout of a counted block: a 16-byte header (requested size, then a 32-bit word that is
 * the block's tag or, for an aligned block, the offset back to the allocator's block,
 * then a magic number) sits just before the pointer handed out, so free knows how many
 * bytes leave the heap without a lookup table. What it costs is at the top of
 * countalloc.c. */
#ifndef COUNTALLOC_HDR_H
#define COUNTALLOC_HDR_H

#include "countalloc_int.h"

#include <errno.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The malloc family is what a program, or a preloaded shim, exports; the shim is built
 * with everything else hidden. */
#define CA_PUBLIC __attribute__((visibility("default")))

/* HDR, the magics and struct hdr, the block layout, are in countalloc_int.h. */

bool countalloc_can_inject(void)
{
    return true;
}

static inline struct hdr *header(void *p)
{
    return (struct hdr *)p - 1;
}

uint32_t *countalloc_tag(void *p)
{
    struct hdr *h = header(p);

    return p != NULL && h->magic == MAGIC_PLAIN ? &h->offset : NULL;
}

static inline bool ours(const struct hdr *h)
{
    return h->magic == MAGIC_PLAIN || h->magic == MAGIC_ALIGNED;
}

static inline size_t offset_of(const struct hdr *h)
{
    return h->magic == MAGIC_PLAIN ? HDR : h->offset;
}

/* Write the header of a block `offset` bytes into glibc's block at base; count it. */
static inline void *hand_out(unsigned sp, void *base, size_t offset, size_t n, const void *ra)
{
    struct hdr *h = (struct hdr *)((char *)base + offset) - 1;

    h->size = n;
    h->offset = offset == HDR ? 0 : (uint32_t)offset; /* a plain block's: its tag, 0 */
    h->magic = offset == HDR ? MAGIC_PLAIN : MAGIC_ALIGNED;
    count_alloc(n);
    HOOK(sp, NULL, 0, 0, h + 1, n, ra);
    return h + 1;
}

/* malloc's fast path without a slot at hand: count through the slow path. */
static __attribute__((noinline)) void *count_first(struct hdr *h, size_t n)
{
    ca_count_alloc_slow(n);
    return h + 1;
}

/* Everything but the plain case: injection armed, hooks on, an impossible size. */
static __attribute__((noinline)) void *malloc_special(size_t n, const void *ra)
{
    unsigned sp = special();
    void *base;

    if (n > SIZE_MAX - HDR) {
        errno = ENOMEM;
        return NULL;
    }
    if (injected(sp) || (base = real_malloc(n + HDR)) == NULL)
        return NULL;
    return hand_out(sp, base, HDR, n, ra);
}

/* The fast path: one branch for everything special, glibc's malloc, two stores for the
 * header, the counts. */
CA_PUBLIC void *malloc(size_t n)
{
    struct hdr *h;
    struct slot *s;

    if (UNLIKELY(special() != 0 || n > SIZE_MAX - HDR))
        return malloc_special(n, __builtin_return_address(0));
    h = real_malloc(n + HDR);
    if (UNLIKELY(h == NULL))
        return NULL;
    h->size = n;
    h->offset = 0; /* the tag; with the magic, one 8-byte store */
    h->magic = MAGIC_PLAIN;
    s = fast_slot();
    if (UNLIKELY(s == NULL))
        return count_first(h, n);
    add_alloc(s, n);
    return h + 1;
}

CA_PUBLIC void *calloc(size_t nmemb, size_t size)
{
    unsigned sp = special();
    size_t n;
    void *base;

    if (UNLIKELY(__builtin_mul_overflow(nmemb, size, &n) || n > SIZE_MAX - HDR)) {
        errno = ENOMEM;
        return NULL;
    }
    if (injected(sp) || (base = real_calloc(1, n + HDR)) == NULL)
        return NULL;
    return hand_out(sp, base, HDR, n, __builtin_return_address(0));
}

/* Alignments above 16: glibc block of n + align bytes, caller's pointer `align` in. */
static void *aligned(size_t align, size_t n, const void *ra)
{
    unsigned sp = special();
    void *base;

    if (align <= HDR)
        return malloc_special(n, ra);
    if (n > SIZE_MAX - align || align > UINT32_MAX) {
        errno = ENOMEM;
        return NULL;
    }
    if (injected(sp) || (base = real_memalign(align, n + align)) == NULL)
        return NULL;
    return hand_out(sp, base, align, n, ra);
}

static bool power_of_two(size_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* glibc's free keeps errno since 2.33; another allocator's may not: a back-end over one
 * defines CA_FREE_MAY_SET_ERRNO before including this file. */
#ifdef CA_FREE_MAY_SET_ERRNO
#define KEEP_ERRNO int saved_errno = errno
#define RESTORE_ERRNO (errno = saved_errno)
#else
#define KEEP_ERRNO (void)0
#define RESTORE_ERRNO (void)0
#endif

/* Everything but the plain case: a block not ours, an aligned one, hooks on, no slot at
 * hand. */
static __attribute__((noinline)) void free_special(void *p)
{
    struct hdr *h = header(p);
    uint64_t n;
    void *base;
    KEEP_ERRNO;

    if (!ours(h)) {
        real_free(p); /* not a block we handed out: glibc decides what it is */
        RESTORE_ERRNO;
        return;
    }
    n = h->size;
    HOOK(special(), p, n, h->magic == MAGIC_PLAIN ? h->offset : 0, NULL, 0, NULL);
    count_free(n);
    base = (char *)p - offset_of(h);
    h->magic = MAGIC_FREED;
    real_free(base);
    RESTORE_ERRNO;
}

CA_PUBLIC void free(void *p)
{
    struct hdr *h;
    struct slot *s;
    KEEP_ERRNO;

    if (p == NULL)
        return;
    h = header(p);
    s = fast_slot();
    if (UNLIKELY(h->magic != MAGIC_PLAIN || s == NULL || (special() & SPECIAL_HOOKS))) {
        free_special(p);
        return;
    }
    add_free(s, h->size);
    h->offset = 0; /* with the magic: one 8-byte store */
    h->magic = MAGIC_FREED;
    real_free(h);
    RESTORE_ERRNO;
}

/* realloc with the return address of the public call (realloc or reallocarray). */
static void *realloc_from(void *p, size_t n, const void *ra)
{
    unsigned sp;
    struct hdr *h;
    size_t old;
    void *base, *q;

    if (p == NULL)
        return malloc_special(n, ra);
    if (n == 0) {
        free(p);
        return NULL;
    }
    h = header(p);
    if (UNLIKELY(!ours(h)))
        return real_realloc(p, n);
    old = h->size;
    if (offset_of(h) != HDR) { /* aligned block: glibc would not keep the alignment either */
        if ((q = malloc_special(n, ra)) == NULL)
            return NULL;
        memcpy(q, p, old < n ? old : n);
        free(p);
        return q;
    }
    if (UNLIKELY(n > SIZE_MAX - HDR)) {
        errno = ENOMEM;
        return NULL;
    }
    sp = special();
    if (injected(sp) || (base = real_realloc(h, n + HDR)) == NULL)
        return NULL; /* the old block is untouched and still the caller's */
    h = base; /* glibc copied the header, tag included */
    HOOK(sp, p, old, h->offset, NULL, 0, NULL); /* p is gone, but hooks use it as a key only */
    h->size = n;
    ca_count_realloc(old, n);
    HOOK(sp, NULL, 0, 0, h + 1, n, ra);
    return h + 1;
}

CA_PUBLIC void *realloc(void *p, size_t n)
{
    return realloc_from(p, n, __builtin_return_address(0));
}

CA_PUBLIC void *reallocarray(void *p, size_t nmemb, size_t size)
{
    size_t n;

    if (__builtin_mul_overflow(nmemb, size, &n)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc_from(p, n, __builtin_return_address(0));
}

/* An alignment that is not a power of two, rounded up to the next one, as glibc's memalign
 * does (0 and 1 become 1). */
static size_t round_up_alignment(size_t align)
{
    size_t a = 1;

    while (a < align && a < (SIZE_MAX >> 1) + 1)
        a <<= 1;
    return a;
}

/* Whether the running glibc's aligned_alloc refuses an alignment that is not a power of
 * two (EINVAL, as C17 allows): 2.41 does, 2.36 rounds it up as memalign does (02's
 * test_aligned.c measures both); the check came with glibc 2.38, so a distribution's
 * older glibc that took it as a fix is not seen here. Read from gnu_get_libc_version
 * once, without stdio, and with no call into the allocator under this one (under
 * Valgrind that would be Valgrind's, which reports a bad alignment as an error). */
static bool glibc_aligned_alloc_refuses(void)
{
    static _Atomic int known = -1;
    int k = atomic_load_explicit(&known, memory_order_relaxed);

    if (k < 0) {
        const char *v = gnu_get_libc_version();
        int major = 0, minor = 0;

        while (*v >= '0' && *v <= '9')
            major = major * 10 + (*v++ - '0');
        if (*v == '.')
            v++;
        while (*v >= '0' && *v <= '9')
            minor = minor * 10 + (*v++ - '0');
        k = major > 2 || (major == 2 && minor >= 38);
        atomic_store_explicit(&known, k, memory_order_relaxed);
    }
    return k;
}

CA_PUBLIC void *memalign(size_t align, size_t n)
{
    if (!power_of_two(align)) /* glibc rounds a bad alignment up */
        align = round_up_alignment(align);
    return aligned(align, n, __builtin_return_address(0));
}

/* What the running glibc's does with a bad alignment: refuse it, or round it up. */
CA_PUBLIC void *aligned_alloc(size_t align, size_t n)
{
    if (!power_of_two(align)) {
        if (glibc_aligned_alloc_refuses()) {
            errno = EINVAL;
            return NULL;
        }
        align = round_up_alignment(align);
    }
    return aligned(align, n, __builtin_return_address(0));
}

CA_PUBLIC int posix_memalign(void **out, size_t align, size_t n)
{
    void *p;
    int saved = errno;

    if (!power_of_two(align) || align % sizeof(void *) != 0)
        return EINVAL;
    p = aligned(align, n, __builtin_return_address(0));
    if (p == NULL) {
        errno = saved;
        return ENOMEM;
    }
    *out = p;
    return 0;
}

CA_PUBLIC void *valloc(size_t n)
{
    return aligned((size_t)getpagesize(), n, __builtin_return_address(0));
}

CA_PUBLIC void *pvalloc(size_t n)
{
    size_t page = (size_t)getpagesize();

    if (n > SIZE_MAX - page) {
        errno = ENOMEM;
        return NULL;
    }
    return aligned(page, (n + page - 1) & ~(page - 1), __builtin_return_address(0));
}

CA_PUBLIC size_t malloc_usable_size(void *p)
{
    if (p == NULL)
        return 0;
    return header(p)->size;
}

#endif
