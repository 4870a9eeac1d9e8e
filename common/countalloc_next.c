/* countalloc_next.c: the back-end of each benchmark's twin (build/NN_name/next/bench),
 * which `ALLOCATOR=jemalloc|mimalloc|tcmalloc make bench-NN` runs with that allocator
 * preloaded (common/bench.c). The malloc family of countalloc_hdr.h over the next malloc
 * in lookup order (the preloaded allocator, else glibc), found with dlsym(RTLD_NEXT).
 * dlsym may itself allocate while we look the functions up: those few calls are served
 * from a static buffer and never freed. */
#include "countalloc_int.h"

#include <dlfcn.h>
#include <string.h>

static struct {
    void *(*malloc)(size_t);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    void *(*memalign)(size_t, size_t);
    void (*free)(void *);
    _Atomic int state;                  /* 0: not looked up, 1: looking, 2: done */
    _Alignas(64) char boot[64 * 1024];  /* serves allocations made during the lookup */
    _Atomic size_t boot_used;
} next;

static void *boot_alloc(size_t align, size_t n)
{
    size_t a = align < 16 ? 16 : align;
    size_t at = (atomic_load(&next.boot_used) + a - 1) & ~(a - 1);

    if (at + n > sizeof next.boot)
        return NULL;
    atomic_store(&next.boot_used, at + n);
    return next.boot + at;
}

static bool from_boot(const void *p)
{
    return (const char *)p >= next.boot && (const char *)p < next.boot + sizeof next.boot;
}

static bool resolve(void)
{
    int zero = 0;

    if (atomic_load(&next.state) == 2)
        return true;
    if (!atomic_compare_exchange_strong(&next.state, &zero, 1))
        return atomic_load(&next.state) == 2;
    next.malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    next.calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    next.realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    next.memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "memalign");
    next.free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    atomic_store(&next.state, 2);
    return true;
}

static void *real_malloc(size_t n)
{
    return resolve() ? next.malloc(n) : boot_alloc(16, n);
}

static void *real_calloc(size_t nmemb, size_t n)
{
    return resolve() ? next.calloc(nmemb, n) : boot_alloc(16, nmemb * n); /* boot is zeroed */
}

static void *real_memalign(size_t align, size_t n)
{
    return resolve() ? next.memalign(align, n) : boot_alloc(align, n);
}

static void real_free(void *p)
{
    if (!from_boot(p) && resolve())
        next.free(p);
}

static void *real_realloc(void *p, size_t n)
{
    if (from_boot(p)) { /* move a lookup-time block to the real heap */
        void *q = real_malloc(n);
        if (q != NULL)
            memcpy(q, p, (size_t)(next.boot + sizeof next.boot - (char *)p) < n
                             ? (size_t)(next.boot + sizeof next.boot - (char *)p) : n);
        return q;
    }
    return resolve() ? next.realloc(p, n) : NULL;
}

#define CA_FREE_MAY_SET_ERRNO
#include "countalloc_hdr.h"
