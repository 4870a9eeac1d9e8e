/* countalloc.c: the counting allocator's core. See countalloc.h for the contract and
 * common/README.md for the design.
 *
 * The core holds the counters, the peak, the hooks and the fault countdown; a back-end,
 * chosen by which file is linked beside it, supplies the malloc family and calls the
 * inline counting in countalloc_int.h:
 *   countalloc_libc.c   glibc's __libc_malloc & co. behind a 16-byte header (the default)
 *   countalloc_next.c   the same header over the next malloc in lookup order (an
 *                       LD_PRELOADed jemalloc, mimalloc or tcmalloc: ALLOCATOR=)
 *   countalloc_asan.c   AddressSanitizer's allocator, counted through its hooks (SANITIZE=1)
 *   countalloc_none.c   nothing counted: glibc's malloc as it is (the tool-cost baseline)
 * The header's layout and the malloc family are in countalloc_hdr.h, which the first two
 * include. Counters live in per-thread slots written only by their owner with plain
 * loads and stores (relaxed atomics, which compile to ordinary moves) and summed by
 * countalloc_read under a spin lock. A thread's slot is folded into the shared totals
 * when the thread exits.
 *
 * What the fast path costs, and why it is shaped this way. make bench-common measures it
 * against glibc called directly, in the same run, and then rebuilds the fast path one
 * piece at a time (the ladder; its output is in the top README, "What counting costs"),
 * with each piece's instructions per pair counted by callgrind, which are the same on
 * every run, beside its time, which is not:
 *   - a wrapper whose malloc and free each end in a jump to glibc through the GOT adds
 *     no instruction over a program's own call through the PLT;
 *   - the 16-byte header costs time before its stores do (the ladder times the two
 *     apart): malloc must hand out glibc's block plus 16, so it can no longer end in a
 *     jump to glibc, and every call returns through the wrapper. free still can, and
 *     does;
 *   - the counters, the peak's high and low points, the checks (a size that would
 *     overflow, a block that is not ours) and the one branch for hooks and injection
 *     add the rest, each a step of its own.
 * The in-process target (at most 1.5 ns and 1.2x a pair at 64 B) is to be compared with
 * what the header, the counters and the peak cost with no check at all (the target line
 * prints that figure beside its verdict): the checks this allocator needs to stay exact,
 * and the branch for hooks and injection, go on top. How the time splits between the steps
 * depends on code layout too, which can move between builds of the same code; the
 * instructions do not.
 *
 * Dropping the header would not remove its price: a malloc that took the size from
 * glibc's chunk header instead (malloc_usable_size) must read it from the block glibc
 * returned, so it too returns through the wrapper; and heap_alloc, the peak and every
 * test that pins bytes would count glibc's rounding instead of what the program asked
 * for, and memcheck would disagree. make bench-common times such a design beside the
 * ladder (no header, the same counters and peak, sizes from glibc's chunk) and says, from
 * its rounds, whether it differs measurably from the same counting behind the header.
 *
 * What the fast path does, then:
 *   - one load and one branch for everything switched on at run time (ca.special: fault
 *     injection armed, site hooks installed); the rest lives in noinline slow paths;
 *   - glibc called through the GOT (common/common.mk builds countalloc_libc.o, whose
 *     calls these are, with -fno-plt), and free's call a jump, the last thing it does;
 *   - the header written with two 8-byte stores (the size; the tag and the magic) and
 *     checked with one compare; free clears tag and magic with one 8-byte store, the
 *     width of glibc's own read of that word (a narrower store would not forward to it);
 *     the magic of a plain block implies the offset, so free does not read it;
 *   - the slot: a thread-local pointer (one load) in a program, the thread pointer
 *     hashed to a home slot in the shim (no TLS of its own there: see ca_find_slot);
 *   - malloc touches only mallocs and total_alloc, free only frees and total_freed, so
 *     each call makes two load-add-store chains through memory, and the heap in use is
 *     their difference rather than a third counter that both would bump;
 *   - the peak: each slot keeps its own high point on malloc and low point on free, a
 *     compare against a value on the same line; no shared cache line is written. */
#include "countalloc_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct ca_state ca = {.lock = ATOMIC_FLAG_INIT};

static const struct countalloc_hooks *_Atomic hooks;

/* ---- finding this thread's slot ----
 *
 * No thread-local variable: in the LD_PRELOAD shim one would add a TLS module, and glibc
 * sizes every thread's dynamic thread vector (a calloc the program is charged for) by the
 * number of modules, so the instrument would change what it measures. A thread is known by
 * its thread pointer instead (one load from %fs on x86-64), hashed to its home slot; a
 * thread that finds its home taken probes onwards (open addressing; released slots are
 * SLOT_FREE, never 0 again, so a probe sequence ends at the first slot never used). */

/* Slow path: this thread's slot away from home, or a new one. A thread that only frees
 * (or frees after its exit destructor ran) counts in `spill` until it allocates. */
__attribute__((noinline)) struct slot *ca_find_slot(uintptr_t tp, bool claim)
{
    unsigned h = home(tp);

    for (;;) {
        struct slot *candidate = NULL;
        for (unsigned i = 0; i < CA_SLOTS; i++) {
            struct slot *s = &ca.slots[(h + i) & (CA_SLOTS - 1)];
            uintptr_t o = atomic_load_explicit(&s->owner, memory_order_acquire);
            if (o == tp)
                return s;
            if (o == SLOT_FREE && candidate == NULL)
                candidate = s;
            if (o == 0) {
                if (candidate == NULL)
                    candidate = s;
                break;
            }
        }
        if (!claim || candidate == NULL)
            return &ca.spill;
        uintptr_t was = atomic_load(&candidate->owner);
        if ((was == 0 || was == SLOT_FREE) && atomic_compare_exchange_strong(&candidate->owner, &was, tp)) {
            if (atomic_load(&ca.key_ready))
                pthread_setspecific(ca.exit_key, candidate);
            return candidate;
        }
        /* another thread took it first: look again */
    }
}

#ifndef COUNTALLOC_SHIM
__thread struct slot *ca_my_slot;
#endif

/* The caller's slot, or `spill` when it has none (and `claim` is false, or none is left). */
static struct slot *slot(bool claim)
{
    struct slot *s = fast_slot();

    if (LIKELY(s != NULL))
        return s;
    s = ca_find_slot(self(), claim);
#ifndef COUNTALLOC_SHIM
    if (s != &ca.spill)
        ca_my_slot = s;
#endif
    return s;
}

/* Threads other than the caller that hold a slot now (allocated and have not exited). */
unsigned countalloc_other_threads(void)
{
    uintptr_t tp = self();
    unsigned n = 0;

    for (unsigned i = 0; i < CA_SLOTS; i++) {
        uintptr_t o = atomic_load(&ca.slots[i].owner);
        n += o != 0 && o != SLOT_FREE && o != tp;
    }
    return n;
}

/* ---- hooks ---- */

static void set_special(unsigned bit, bool on)
{
    if (on)
        atomic_fetch_or(&ca.special, bit);
    else
        atomic_fetch_and(&ca.special, ~bit);
}

void countalloc_set_hooks(const struct countalloc_hooks *h)
{
    atomic_store(&hooks, h);
    set_special(SPECIAL_HOOKS, h != NULL);
}

#ifndef COUNTALLOC_SHIM
/* The hook guard of a thread that counts in `spill` (it has only freed so far): spill is
 * shared, and its own flag would let one such thread's hook silence another's. The shim
 * has no TLS of its own (see above), so there such threads share spill's flag; the
 * toolbox's hook users (the site report) link the counter in. */
static __thread _Atomic bool spill_in_hook;
#endif

/* The flag that says a hook of this thread is running. */
static _Atomic bool *hook_guard(struct slot *s)
{
#ifndef COUNTALLOC_SHIM
    if (s == &ca.spill)
        return &spill_in_hook;
#endif
    return &s->in_hook;
}

__attribute__((noinline)) void ca_call_hook(void *freed, size_t freed_n, uint32_t tag, void *got,
                                           size_t n, const void *ra)
{
    const struct countalloc_hooks *h = atomic_load(&hooks);
    _Atomic bool *guard;

    if (h == NULL)
        return;
    guard = hook_guard(slot(false));
    if (atomic_exchange(guard, true))
        return;
    if (freed != NULL && h->on_free != NULL)
        h->on_free(freed, freed_n, tag);
    if (got != NULL && h->on_alloc != NULL)
        h->on_alloc(got, n, ra);
    atomic_store(guard, false);
}

static void lock(void)
{
    while (atomic_flag_test_and_set_explicit(&ca.lock, memory_order_acquire))
        ;
}

static void unlock(void)
{
    atomic_flag_clear_explicit(&ca.lock, memory_order_release);
}

static void raise_peak(int64_t heap)
{
    int64_t p = atomic_load_explicit(&ca.peak, RELAXED);
    while (heap > p && !atomic_compare_exchange_weak_explicit(&ca.peak, &p, heap, RELAXED, RELAXED))
        ;
}

/* Move a slot's counts into `spill`. Caller holds the lock. */
static void fold(struct slot *s)
{
    _Atomic uint64_t *from[] = {&s->mallocs, &s->frees, &s->total_alloc, &s->total_freed};
    _Atomic uint64_t *to[] = {&ca.spill.mallocs, &ca.spill.frees, &ca.spill.total_alloc,
                              &ca.spill.total_freed};

    for (int i = 0; i < 4; i++) {
        atomic_fetch_add_explicit(to[i], atomic_load_explicit(from[i], RELAXED), RELAXED);
        atomic_store_explicit(from[i], 0, RELAXED);
    }
    atomic_store_explicit(&s->lpeak, 0, RELAXED);
    atomic_store_explicit(&s->lmin, 0, RELAXED);
}

static inline int64_t heap_of(const struct slot *s)
{
    return (int64_t)(atomic_load_explicit(&s->total_alloc, RELAXED) -
                     atomic_load_explicit(&s->total_freed, RELAXED));
}

/* Each slot's high and low points restart at its heap now. Caller holds the lock. An
 * owner allocating at this very moment may store its own new heap over ours: a heap it
 * really had, just after. */
static void restart_points(void)
{
    for (unsigned i = 0; i < CA_SLOTS; i++) {
        int64_t heap = heap_of(&ca.slots[i]);
        atomic_store_explicit(&ca.slots[i].lpeak, heap, RELAXED);
        atomic_store_explicit(&ca.slots[i].lmin, heap, RELAXED);
    }
}

/* Sum every slot and bring the peak up to date. Caller holds the lock.
 *
 * No shared counter follows the heap (that would be a shared cache line written by every
 * call of every thread), so the peak is reconstructed from each slot's own high and low
 * points since the last reset: when slot i was at its highest, every other slot j held at
 * least its lowest, so lpeak_i + sum of lmin_j (j != i) is a heap size that really
 * occurred, and never above the true peak. It is exact when a single thread moves the heap
 * between a reset and a read (a single-threaded program, or a test thread beside idle
 * helpers). When blocks change threads it can fall far short: the slots do not record in
 * which order their highs and lows came, so a block allocated by one thread and freed by
 * another, even strictly in turn, can leave no trace (a test pins this). */
static void sum(struct countalloc_stats *out)
{
    const struct slot *s = &ca.spill;
    uint64_t m = atomic_load_explicit(&s->mallocs, RELAXED);
    uint64_t f = atomic_load_explicit(&s->frees, RELAXED);
    uint64_t t = atomic_load_explicit(&s->total_alloc, RELAXED);
    int64_t h = heap_of(s);
    int64_t floor = h, rise = 0;

    for (unsigned i = 0; i < CA_SLOTS; i++) {
        s = &ca.slots[i];
        int64_t heap = heap_of(s);
        int64_t hi = atomic_load_explicit(&s->lpeak, RELAXED);
        int64_t lo = atomic_load_explicit(&s->lmin, RELAXED);
        if (hi < heap) /* an update the owner has not stored yet */
            hi = heap;
        if (lo > heap)
            lo = heap;
        m += atomic_load_explicit(&s->mallocs, RELAXED);
        f += atomic_load_explicit(&s->frees, RELAXED);
        t += atomic_load_explicit(&s->total_alloc, RELAXED);
        h += heap;
        floor += lo;
        if (hi - lo > rise)
            rise = hi - lo;
    }
    raise_peak(h);
    raise_peak(floor + rise);
    *out = (struct countalloc_stats){
        .mallocs = m, .frees = f, .total_alloc = t, .heap_alloc = h,
        .heap_objects = (int64_t)(m - f), .peak = atomic_load_explicit(&ca.peak, RELAXED),
    };
}

static void thread_exit(void *arg)
{
    struct slot *s = arg;
    struct countalloc_stats now;

    lock();
    sum(&now); /* brings the peak up to date before the slot disappears into spill */
    fold(s);
    /* spill now holds this thread's live blocks, a heap the other slots' earlier highs
     * never stood beside: from here on the peak is rebuilt from now (sum()'s reasoning
     * takes spill as a floor that only falls) */
    restart_points();
    atomic_store_explicit(&s->in_hook, false, RELAXED);
    atomic_store_explicit(&s->owner, SLOT_FREE, memory_order_release);
    unlock();
#ifndef COUNTALLOC_SHIM
    ca_my_slot = NULL;
#endif
}

/* Slots past CA_SLOTS, and threads already exiting, share `spill` atomically. */
static __attribute__((noinline)) void count_shared(uint64_t allocs, uint64_t frees, uint64_t n,
                                                   uint64_t freed)
{
    atomic_fetch_add_explicit(&ca.spill.mallocs, allocs, RELAXED);
    atomic_fetch_add_explicit(&ca.spill.frees, frees, RELAXED);
    atomic_fetch_add_explicit(&ca.spill.total_alloc, n, RELAXED);
    atomic_fetch_add_explicit(&ca.spill.total_freed, freed, RELAXED);
}

__attribute__((noinline)) void ca_count_alloc_slow(uint64_t n)
{
    struct slot *s = slot(true);

    if (s == &ca.spill)
        count_shared(1, 0, n, 0);
    else
        add_alloc(s, n);
}

__attribute__((noinline)) void ca_count_free_slow(uint64_t n)
{
    struct slot *s = slot(false);

    if (s == &ca.spill)
        count_shared(0, 1, 0, n);
    else
        add_free(s, n);
}

/* Sanitizer builds never call it: ASan reports a realloc as a free and a malloc. */
void ca_count_realloc(uint64_t old, uint64_t n)
{
    struct slot *s = slot(true);
    int64_t heap;

    if (UNLIKELY(s == &ca.spill)) {
        count_shared(1, 1, n, old);
        return;
    }
    bump_u(&s->mallocs, 1);
    bump_u(&s->frees, 1);
    heap = (int64_t)(bump_u(&s->total_alloc, n) - bump_u(&s->total_freed, old));
    if (n > old)
        rose(s, heap);
    else
        fell(s, heap);
}

void countalloc_read(struct countalloc_stats *out)
{
    lock();
    sum(out);
    unlock();
}

struct countalloc_stats countalloc_diff(const struct countalloc_stats *after,
                                        const struct countalloc_stats *before)
{
    int64_t rise = after->peak - before->heap_alloc;

    return (struct countalloc_stats){
        .mallocs = after->mallocs - before->mallocs,
        .frees = after->frees - before->frees,
        .total_alloc = after->total_alloc - before->total_alloc,
        .heap_alloc = after->heap_alloc - before->heap_alloc,
        .heap_objects = after->heap_objects - before->heap_objects,
        .peak = rise > 0 ? rise : 0,
    };
}

void countalloc_peak_reset(void)
{
    struct countalloc_stats now;

    lock();
    sum(&now);
    atomic_store_explicit(&ca.peak, now.heap_alloc, RELAXED);
    restart_points();
    unlock();
}

/* The one sequence every measurement makes. The peak is reset after the first read, so
 * that it is the interval's own high point and not one an earlier job left behind. */
void countalloc_measure_begin(struct countalloc_stats *start)
{
    countalloc_read(start);
    countalloc_peak_reset();
}

struct countalloc_stats countalloc_measure_end(const struct countalloc_stats *start)
{
    struct countalloc_stats end;

    countalloc_read(&end);
    return countalloc_diff(&end, start);
}

uint64_t countalloc_allocs_per_run(unsigned runs, void (*fn)(void *arg), void *arg)
{
    struct countalloc_stats before, after;

    if (runs == 0)
        return 0;
    fn(arg); /* warm-up, as testing.AllocsPerRun does */
    countalloc_read(&before);
    for (unsigned i = 0; i < runs; i++)
        fn(arg);
    countalloc_read(&after);
    return (after.mallocs - before.mallocs) / runs;
}

/* ---- fault injection ---- */

void countalloc_fault_hit(void)
{
    __asm__ volatile("" ::: "memory"); /* keeps the empty body from being folded away */
}

void countalloc_fail_at(uint64_t n, bool persistent)
{
    atomic_store(&ca.fail_persistent, persistent);
    atomic_store(&ca.failures, 0);
    atomic_store(&ca.fail_countdown, n);
    set_special(SPECIAL_FAIL, n != 0);
}

uint64_t countalloc_fail_off(void)
{
    atomic_store(&ca.fail_countdown, 0);
    set_special(SPECIAL_FAIL, false);
    return atomic_load(&ca.failures);
}

__attribute__((noinline)) bool ca_fail_now(void)
{
    uint64_t c = atomic_load(&ca.fail_countdown);

    for (;;) {
        if (c == 0)
            return false;
        if (c > 1) {
            if (atomic_compare_exchange_weak(&ca.fail_countdown, &c, c - 1))
                return false;
            continue;
        }
        if (atomic_load(&ca.fail_persistent) || atomic_compare_exchange_weak(&ca.fail_countdown, &c, 0))
            break;
    }
    atomic_fetch_add(&ca.failures, 1);
    countalloc_fault_hit();
    errno = ENOMEM;
    return true;
}


static void before_fork(void)
{
    lock();
}

static void after_fork_parent(void)
{
    unlock();
}

/* The child has one thread: fold the others' slots and release them. */
static void after_fork_child(void)
{
    uintptr_t tp = self();
    struct countalloc_stats now;

    sum(&now); /* the peak so far, before the other threads' slots fold into spill */
    for (unsigned i = 0; i < CA_SLOTS; i++) {
        struct slot *s = &ca.slots[i];
        uintptr_t o = atomic_load(&s->owner);
        if (o != 0 && o != SLOT_FREE && o != tp) {
            fold(s);
            atomic_store(&s->in_hook, false);
            atomic_store(&s->owner, SLOT_FREE);
        }
    }
    restart_points(); /* as at a thread's exit */
    unlock();
}

static uint64_t env_u64(const char *name)
{
    const char *s = getenv(name);
    uint64_t v = 0;

    if (s == NULL)
        return 0;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (uint64_t)(*s - '0');
    return v;
}

__attribute__((constructor(101))) static void countalloc_init(void)
{
    uint64_t at = env_u64("COUNTALLOC_FAIL_AT");

    if (pthread_key_create(&ca.exit_key, thread_exit) == 0) {
        struct slot *s = ca_find_slot(self(), false); /* allocations before this ran */
        atomic_store(&ca.key_ready, true);
        if (s != &ca.spill)
            pthread_setspecific(ca.exit_key, s);
    }
    pthread_atfork(before_fork, after_fork_parent, after_fork_child);
    if (at)
        countalloc_fail_at(at, env_u64("COUNTALLOC_FAIL_REPEAT") != 0);
}
