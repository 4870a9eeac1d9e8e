/* countalloc_int.h: what the core (countalloc.c) shares with its back-ends
 * (countalloc_libc.c, countalloc_next.c, countalloc_asan.c, countalloc_none.c). Not for
 * programs: they include countalloc.h.
 *
 * The counting is inline here, so that a back-end's malloc counts without a call: the
 * per-thread slot, its four counters and its high and low points, and the one load and
 * branch that sends anything special (fault injection, site hooks) to the slow paths in
 * the core. Every name here is ca_* or static inline, and hidden: in the LD_PRELOAD shim
 * the back-end reaches the core's state without the GOT. See common/README.md. */
#ifndef COUNTALLOC_INT_H
#define COUNTALLOC_INT_H

#include "countalloc.h"

#include <pthread.h>
#include <stdatomic.h>

#pragma GCC visibility push(hidden)

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define RELAXED memory_order_relaxed

/* The layout of a counted block (countalloc_hdr.h's back-ends write it; bench_countalloc's
 * probes rebuild it): a 16-byte header just before the pointer handed out. */
#define HDR 16                  /* header size; keeps glibc's 16-byte alignment */
#define MAGIC_PLAIN 0xCA11AB1Eu /* a live block HDR bytes into glibc's (offset unused) */
#define MAGIC_ALIGNED 0xCA11A119u /* a live block `offset` bytes into glibc's */
#define MAGIC_FREED 0u          /* written on free: a second free is not ours */

struct hdr {
    uint64_t size;   /* bytes the caller asked for */
    uint32_t offset; /* MAGIC_ALIGNED: from glibc's block to the caller's pointer;
                        MAGIC_PLAIN: the tag hooks may keep (countalloc_tag), 0 at first */
    uint32_t magic;
};

_Static_assert(sizeof(struct hdr) == HDR, "header must keep 16-byte alignment");

/* Per-thread counters, written only by the owning thread. */
struct slot {
    _Atomic uintptr_t owner;     /* thread pointer of the thread counting here; 0: never
                                    used, SLOT_FREE: released by an exited thread */
    _Atomic uint64_t mallocs;
    _Atomic uint64_t frees;
    _Atomic uint64_t total_alloc;
    _Atomic uint64_t total_freed; /* bytes freed; the slot's heap is total_alloc - this */
    _Atomic int64_t lpeak;       /* highest heap of this slot since the last peak reset */
    _Atomic int64_t lmin;        /* lowest heap of this slot since the last peak reset (a
                                    thread can free another's blocks, so it may go negative) */
    _Atomic bool in_hook;        /* a hook of this thread is running: do not call it again */
} __attribute__((aligned(128))); /* two lines: the adjacent-line prefetcher pairs them */

#define CA_SLOTS_LOG2 8
#define CA_SLOTS (1u << CA_SLOTS_LOG2) /* threads counted without atomics at once */
#define SLOT_FREE ((uintptr_t)1)       /* a released slot; no thread pointer is 1 */

/* Bits of ca.special: anything that takes an allocation off the fast path. */
#define SPECIAL_FAIL 1u  /* fault injection armed */
#define SPECIAL_HOOKS 2u /* site hooks installed */

struct ca_state {
    struct slot slots[CA_SLOTS];
    _Atomic unsigned special;       /* SPECIAL_* bits: one load and one branch per call */
    struct slot spill;              /* exited threads' totals, and overflow; atomic RMW */
    _Atomic int64_t peak;           /* highest heap_alloc seen */
    _Atomic uint64_t fail_countdown; /* 0: off; n: the n-th allocation from now fails */
    _Atomic bool fail_persistent;   /* keep failing once the countdown reaches 1 */
    _Atomic uint64_t failures;      /* allocations made to fail since fail_at */
    atomic_flag lock;               /* guards summing and folding slots, never the fast path */
    pthread_key_t exit_key;         /* its destructor folds a thread's slot at exit */
    _Atomic bool key_ready;
};
extern struct ca_state ca;

static inline unsigned special(void)
{
    return atomic_load_explicit(&ca.special, RELAXED);
}

/* ---- this thread's slot (the core's ca_find_slot does the slow part) ---- */
static inline uintptr_t self(void)
{
    return (uintptr_t)__builtin_thread_pointer();
}

static inline unsigned home(uintptr_t tp)
{
    return (unsigned)((tp * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - CA_SLOTS_LOG2));
}


struct slot *ca_find_slot(uintptr_t tp, bool claim);

#ifndef COUNTALLOC_SHIM
/* Linked into a program, a thread-local cache of the slot is the program's own TLS, there
 * under memcheck too: one load instead of the hash. NULL until the thread's first call and
 * again after its exit destructor. Defined in the executable: local-exec, no GOT load. */
extern __thread struct slot *ca_my_slot __attribute__((tls_model("local-exec")));
#endif

/* The caller's slot if the fast path knows it, else NULL. */
static inline struct slot *fast_slot(void)
{
#ifdef COUNTALLOC_SHIM
    uintptr_t tp = self();
    struct slot *s = &ca.slots[home(tp)];

    __asm__("" : "+r"(s)); /* one register for s: fields at fixed offsets from it */
    if (s == NULL)
        __builtin_unreachable();
    return LIKELY(atomic_load_explicit(&s->owner, RELAXED) == tp) ? s : NULL;
#else
    return ca_my_slot;
#endif
}

/* ---- counting in the caller's slot ---- */

/* Single writer: load and store, no lock prefix. */
static inline uint64_t bump_u(_Atomic uint64_t *c, uint64_t d)
{
    uint64_t v = atomic_load_explicit(c, RELAXED) + d;
    atomic_store_explicit(c, v, RELAXED);
    return v;
}

/* The slot's heap rose to `heap`: keep its high point. */
static inline void rose(struct slot *s, int64_t heap)
{
    if (UNLIKELY(heap > atomic_load_explicit(&s->lpeak, RELAXED)))
        atomic_store_explicit(&s->lpeak, heap, RELAXED);
}

/* The slot's heap fell to `heap`: keep its low point. */
static inline void fell(struct slot *s, int64_t heap)
{
    if (UNLIKELY(heap < atomic_load_explicit(&s->lmin, RELAXED)))
        atomic_store_explicit(&s->lmin, heap, RELAXED);
}

/* The counting itself, in a slot of the calling thread. */
static inline void add_alloc(struct slot *s, uint64_t n)
{
    bump_u(&s->mallocs, 1);
    rose(s, (int64_t)(bump_u(&s->total_alloc, n) - atomic_load_explicit(&s->total_freed, RELAXED)));
}

static inline void add_free(struct slot *s, uint64_t n)
{
    bump_u(&s->frees, 1);
    fell(s, (int64_t)(atomic_load_explicit(&s->total_alloc, RELAXED) - bump_u(&s->total_freed, n)));
}


/* Slow paths, in the core: a thread's first call, a slot away from home, `spill`. */
void ca_count_alloc_slow(uint64_t n);
void ca_count_free_slow(uint64_t n);
/* realloc(p, n) of a block of `old` bytes: one allocation and one free. */
void ca_count_realloc(uint64_t old, uint64_t n);

/* One successful allocation of n bytes. */
static inline void count_alloc(uint64_t n)
{
    struct slot *s = fast_slot();

    if (LIKELY(s != NULL))
        add_alloc(s, n);
    else
        ca_count_alloc_slow(n);
}

/* One free of a block of n bytes. */
static inline void count_free(uint64_t n)
{
    struct slot *s = fast_slot();

    if (LIKELY(s != NULL))
        add_free(s, n);
    else
        ca_count_free_slow(n);
}

/* ---- what takes a call off the fast path ---- */

void ca_call_hook(void *freed, size_t freed_n, uint32_t tag, void *got, size_t n, const void *ra);

/* `sp` is special() as loaded once by the caller; `tag` the freed block's tag (0: none);
 * `ra` the return address of the public allocation call (__builtin_return_address(0)
 * there), or NULL. */
#define HOOK(sp, freed, freed_n, tag, got, n, ra)                             \
    do {                                                                      \
        if (UNLIKELY((sp) & SPECIAL_HOOKS))                                   \
            ca_call_hook(freed, freed_n, tag, got, n, ra);                       \
    } while (0)

/* Slow path, taken only while injection is armed: should this allocation fail? */
bool ca_fail_now(void);

/* `sp` is special() as loaded once by the caller. */
static inline bool injected(unsigned sp)
{
    return UNLIKELY(sp & SPECIAL_FAIL) && ca_fail_now();
}

#pragma GCC visibility pop

#endif
