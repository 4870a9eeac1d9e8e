/* memdebug: tell Valgrind memcheck and AddressSanitizer which memory a pool or an arena
 * has handed out, after PostgreSQL's memdebug.h. Each macro is one statement that
 * compiles to do {} while (0) when its tool is off, so call sites never need an #ifdef.
 * Nothing here allocates.
 *
 *   - Valgrind: on when MEMDEBUG_VALGRIND is defined. A client request runs its code
 *     even outside Valgrind (4 rotates, an xchg and a memory clobber), on every get and
 *     put of a pool whose own fast path is a load and a store, so ordinary builds leave
 *     it off; lesson 04 builds annotated copies for its misuse tests (04_pooling/lesson.mk).
 *   - ASan: on whenever the file is compiled with -fsanitize=address (make SANITIZE=1).
 *     Poisoned memory reads as "use-after-poison".
 *
 * The life of a pooled object, and what each tool is told:
 *
 *   MEMDEBUG_POOL_CREATE(pool)             the pool exists (its address names it)
 *   MEMDEBUG_POOL_ALLOC(pool, p, n)        p..p+n handed out: usable, contents undefined
 *   MEMDEBUG_POOL_FREE(pool, p, n)         p..p+n taken back: any access is an error
 *   MEMDEBUG_POOL_RESIZE(pool, p, old, n)  the chunk at p, old bytes, now n in place:
 *                                          the first min(old, n) keep their state, the
 *                                          rest up to n are undefined, past n shut
 *   MEMDEBUG_POOL_DESTROY(pool)            forget every chunk of the pool
 *   memdebug_open_bytes(p, max)            how many bytes from p the tools see open (at
 *                                          most max): a chunk's n, found again; max
 *                                          when no tool watches
 *
 * and for the pool's own bookkeeping inside memory it has taken back (a free-list link):
 *
 *   MEMDEBUG_DEFINED(p, n)                 the pool may read p..p+n
 *   MEMDEBUG_UNDEFINED(p, n)               the pool may write p..p+n (contents garbage)
 *   MEMDEBUG_NOACCESS(p, n)                nobody may touch p..p+n
 *
 * A read after MEMDEBUG_POOL_FREE is reported by memcheck as "Invalid read of size N"
 * and by ASan as "use-after-poison". Memory given back to malloc must be accessible
 * again first (MEMDEBUG_UNDEFINED), or ASan may still consider it poisoned. */
#ifndef MEMDEBUG_H
#define MEMDEBUG_H

#include <stddef.h>
#include <stdint.h>

#if defined(__SANITIZE_ADDRESS__)
#define MEMDEBUG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEMDEBUG_ASAN 1
#endif
#endif

/* Valgrind and ASan do not run together: an ASan build ignores MEMDEBUG_VALGRIND. */
#if defined(MEMDEBUG_VALGRIND) && !defined(MEMDEBUG_ASAN)
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>
#define MEMDEBUG_VG_ 1
#endif

#ifdef MEMDEBUG_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* 1 when some tool is told about pool memory in this build, else 0. */
#if defined(MEMDEBUG_VG_) || defined(MEMDEBUG_ASAN)
#define MEMDEBUG_ON 1
#else
#define MEMDEBUG_ON 0
#endif

/* ---- Valgrind part ---- */
#ifdef MEMDEBUG_VG_
#define MEMDEBUG_VG_CREATE_(pool) VALGRIND_CREATE_MEMPOOL((pool), 0, 0)
#define MEMDEBUG_VG_DESTROY_(pool) VALGRIND_DESTROY_MEMPOOL(pool)
#define MEMDEBUG_VG_ALLOC_(pool, p, n) VALGRIND_MEMPOOL_ALLOC((pool), (p), (n))
#define MEMDEBUG_VG_FREE_(pool, p) VALGRIND_MEMPOOL_FREE((pool), (p))
#define MEMDEBUG_VG_CHANGE_(pool, p, n) VALGRIND_MEMPOOL_CHANGE((pool), (p), (p), (n))
#define MEMDEBUG_VG_DEFINED_(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#define MEMDEBUG_VG_UNDEFINED_(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define MEMDEBUG_VG_NOACCESS_(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#else
#define MEMDEBUG_VG_CREATE_(pool) ((void)(pool))
#define MEMDEBUG_VG_DESTROY_(pool) ((void)(pool))
#define MEMDEBUG_VG_ALLOC_(pool, p, n) ((void)(pool), (void)(p), (void)(n))
#define MEMDEBUG_VG_FREE_(pool, p) ((void)(pool), (void)(p))
#define MEMDEBUG_VG_CHANGE_(pool, p, n) ((void)(pool), (void)(p), (void)(n))
#define MEMDEBUG_VG_DEFINED_(p, n) ((void)(p), (void)(n))
#define MEMDEBUG_VG_UNDEFINED_(p, n) ((void)(p), (void)(n))
#define MEMDEBUG_VG_NOACCESS_(p, n) ((void)(p), (void)(n))
#endif

/* ---- ASan part ---- */
#ifdef MEMDEBUG_ASAN
#define MEMDEBUG_ASAN_POISON_(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define MEMDEBUG_ASAN_UNPOISON_(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define MEMDEBUG_ASAN_POISON_(p, n) ((void)(p), (void)(n))
#define MEMDEBUG_ASAN_UNPOISON_(p, n) ((void)(p), (void)(n))
#endif

/* ---- what the pools call ---- */
#if MEMDEBUG_ON
#define MEMDEBUG_POOL_CREATE(pool) do { MEMDEBUG_VG_CREATE_(pool); } while (0)
#define MEMDEBUG_POOL_DESTROY(pool) do { MEMDEBUG_VG_DESTROY_(pool); } while (0)
#define MEMDEBUG_POOL_ALLOC(pool, p, n)                                       \
    do {                                                                      \
        MEMDEBUG_ASAN_UNPOISON_(p, n);                                        \
        MEMDEBUG_VG_ALLOC_(pool, p, n);                                       \
    } while (0)
#define MEMDEBUG_POOL_FREE(pool, p, n)                                        \
    do {                                                                      \
        MEMDEBUG_VG_FREE_(pool, p);                                           \
        MEMDEBUG_ASAN_POISON_(p, n);                                          \
    } while (0)
#define MEMDEBUG_POOL_RESIZE(pool, p, old, n)                                 \
    do {                                                                      \
        size_t old_ = (old), n_ = (n);                                        \
        char *p_ = (char *)(p);                                               \
        MEMDEBUG_VG_CHANGE_(pool, p_, n_);                                    \
        if (n_ < old_)                                                        \
            MEMDEBUG_NOACCESS(p_ + n_, old_ - n_);                            \
        else if (n_ > old_)                                                   \
            MEMDEBUG_UNDEFINED(p_ + old_, n_ - old_);                         \
    } while (0)
#define MEMDEBUG_DEFINED(p, n)                                                \
    do {                                                                      \
        MEMDEBUG_ASAN_UNPOISON_(p, n);                                        \
        MEMDEBUG_VG_DEFINED_(p, n);                                           \
    } while (0)
#define MEMDEBUG_UNDEFINED(p, n)                                              \
    do {                                                                      \
        MEMDEBUG_ASAN_UNPOISON_(p, n);                                        \
        MEMDEBUG_VG_UNDEFINED_(p, n);                                         \
    } while (0)
#define MEMDEBUG_NOACCESS(p, n)                                               \
    do {                                                                      \
        MEMDEBUG_VG_NOACCESS_(p, n);                                          \
        MEMDEBUG_ASAN_POISON_(p, n);                                          \
    } while (0)
#else
#define MEMDEBUG_POOL_CREATE(pool) do {} while (0)
#define MEMDEBUG_POOL_DESTROY(pool) do {} while (0)
#define MEMDEBUG_POOL_ALLOC(pool, p, n) do {} while (0)
#define MEMDEBUG_POOL_FREE(pool, p, n) do {} while (0)
#define MEMDEBUG_POOL_RESIZE(pool, p, old, n) do {} while (0)
#define MEMDEBUG_DEFINED(p, n) do {} while (0)
#define MEMDEBUG_UNDEFINED(p, n) do {} while (0)
#define MEMDEBUG_NOACCESS(p, n) do {} while (0)
#endif

/* How many bytes from p, at most max, the tools see open: the n a pool handed out at p,
 * which the pool itself need not remember. Open bytes are a prefix, so memcheck is asked
 * about one byte at a time, by bisection (GET_VBITS answers 3 for a shut byte, without a
 * report). max when no tool watches. */
static inline size_t memdebug_open_bytes(const void *p, size_t max)
{
#if defined(MEMDEBUG_ASAN)
    const char *shut = __asan_region_is_poisoned((void *)(uintptr_t)p, max);

    return shut == NULL ? max : (size_t)(shut - (const char *)p);
#elif defined(MEMDEBUG_VG_)
    size_t lo = 0, hi = max; /* [0, lo) open; hi: the first shut byte, or max */
    unsigned char vbits;

    if (!RUNNING_ON_VALGRIND)
        return max;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (VALGRIND_GET_VBITS((const char *)p + mid, &vbits, 1) == 3)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
#else
    (void)p;
    return max;
#endif
}

#endif
