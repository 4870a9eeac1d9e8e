/* guard.c: a guard-page allocator, and what it costs beside glibc's malloc (guard.h). */
#include "guard.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "child.h"
#include "platform.h"
#include "procfs.h"

/* What guard_free reads back, GUARD_HDR bytes before the block: the whole mapping. The
 * block's address is not a multiple of 8 when it ends at the guard (align 1), so the
 * header is copied in and out with memcpy, never read in place. */
struct hdr {
    void *base;
    size_t len; /* the data pages and the guard page */
};

_Static_assert(sizeof(struct hdr) == GUARD_HDR, "the header is GUARD_HDR bytes");

static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

size_t guard_slack(size_t n, size_t align)
{
    return align <= 1 ? 0 : (align - n % align) % align;
}

/* The data pages for n bytes, its slack and the header, or 0 when that overflows. */
static size_t data_pages(size_t n, size_t align)
{
    size_t page = page_size(), need;

    if (n > SIZE_MAX - GUARD_HDR - align - page)
        return 0;
    need = GUARD_HDR + n + guard_slack(n, align);
    return (need + page - 1) / page;
}

size_t guard_pages(size_t n, size_t align)
{
    size_t d = data_pages(n, align);

    return d == 0 ? 0 : d + 1;
}

void *guard_alloc(size_t n, size_t align)
{
    size_t page = page_size(), data, len;
    unsigned char *base, *p;
    struct hdr h;
    int err;

    if (align == 0 || (align & (align - 1)) != 0 || align > page) {
        errno = EINVAL;
        return NULL;
    }
    data = data_pages(n, align);
    if (data == 0 || data > SIZE_MAX / page - 1) {
        errno = ENOMEM;
        return NULL;
    }
    len = (data + 1) * page;
    base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    /* The last page becomes the guard: the kernel splits the mapping in two entries. */
    if (mprotect(base + data * page, page, PROT_NONE) != 0) {
        err = errno;
        munmap(base, len);
        errno = err;
        return NULL;
    }
    p = base + data * page - guard_slack(n, align) - n;
    h.base = base;
    h.len = len;
    memcpy(p - GUARD_HDR, &h, sizeof h);
    return p;
}

void *guard_malloc(size_t n)
{
    return guard_alloc(n, 1);
}

void guard_free(void *p)
{
    struct hdr h;

    if (p == NULL)
        return;
    memcpy(&h, (unsigned char *)p - GUARD_HDR, sizeof h); /* faults if p was freed */
    /* PROT_NONE over the data and the guard: one entry again, never handed out again. The
     * pages go back to the kernel; the address range stays. mprotect cannot fail here: the
     * range is exactly the two entries guard_alloc made, so nothing needs splitting. */
    madvise(h.base, h.len, MADV_DONTNEED);
    mprotect(h.base, h.len, PROT_NONE);
}

/* ---- the probe ---- */

static sigjmp_buf probe_jump;
static void *volatile probe_fault;

static void on_segv(int sig, siginfo_t *si, void *context)
{
    (void)sig;
    (void)context;
    probe_fault = si->si_addr;
    siglongjmp(probe_jump, 1);
}

bool guard_probe(void *addr, bool write, void **fault)
{
    struct sigaction sa, old;
    volatile unsigned char *c = addr;
    volatile bool faulted = false;

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old);
    probe_fault = NULL;
    if (sigsetjmp(probe_jump, 1) == 0) {
        if (write)
            *c = 0;
        else
            (void)*c;
    } else {
        faulted = true;
    }
    sigaction(SIGSEGV, &old, NULL);
    if (faulted && fault != NULL)
        *fault = probe_fault;
    return faulted;
}

long guard_map_count(void)
{
    char buf[4096];
    long lines = 0;
    ssize_t got;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC), err;

    if (fd < 0)
        return -1;
    while ((got = read(fd, buf, sizeof buf)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            err = errno;
            close(fd);
            errno = err;
            return -1;
        }
        for (ssize_t i = 0; i < got; i++)
            lines += buf[i] == '\n';
    }
    close(fd);
    return lines;
}

/* ---- the costs ---- */

const char *guard_way_name(enum guard_way way)
{
    static const char *const name[GUARD_WAYS] = {
        [GUARD_LIBC] = "glibc malloc",
        [GUARD_END] = "guard_malloc",
        [GUARD_16] = "guard_alloc(n, 16)",
    };

    return (unsigned)way < GUARD_WAYS ? name[way] : "?";
}

static int mem_read(struct guard_mem *m)
{
    struct rusage ru;

    if (procfs_self_vm(&m->vmsize, &m->vmrss) != 0 || getrusage(RUSAGE_SELF, &ru) != 0 ||
        (m->maps = guard_map_count()) < 0)
        return -1;
    m->minflt = (uint64_t)ru.ru_minflt;
    return 0;
}

static void *way_alloc(enum guard_way way, size_t size)
{
    switch (way) {
    case GUARD_LIBC:
        return __libc_malloc(size);
    case GUARD_END:
        return guard_malloc(size);
    default:
        return guard_alloc(size, 16);
    }
}

static void way_free(enum guard_way way, void *p)
{
    if (way == GUARD_LIBC)
        __libc_free(p);
    else
        guard_free(p);
}

int guard_fill(enum guard_way way, void **ptrs, size_t n, size_t size, uint64_t *taken)
{
    size_t i;
    int err;

    if ((unsigned)way >= GUARD_WAYS) {
        errno = EINVAL;
        return -1;
    }
    *taken = 0;
    for (i = 0; i < n; i++) {
        if ((ptrs[i] = way_alloc(way, size)) == NULL) {
            err = errno;
            guard_empty(way, ptrs, i);
            errno = err;
            return -1;
        }
        memset(ptrs[i], 0xa5, size);
        *taken += way == GUARD_LIBC ? platform_chunk_of(ptrs[i]).size
                                    : guard_pages(size, way == GUARD_END ? 1 : 16) * page_size();
    }
    return 0;
}

void guard_empty(enum guard_way way, void **ptrs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        way_free(way, ptrs[i]);
}

int guard_measure(enum guard_way way, void **ptrs, size_t n, size_t size, struct guard_cost *c)
{
    int err;

    /* One sample thrown away: the pages the sampling itself touches are resident before
     * the one that counts. */
    if (mem_read(&c->start) != 0 || mem_read(&c->start) != 0 ||
        guard_fill(way, ptrs, n, size, &c->taken) != 0)
        return -1;
    if (mem_read(&c->held) != 0) {
        err = errno;
        guard_empty(way, ptrs, n);
        errno = err;
        return -1;
    }
    guard_empty(way, ptrs, n);
    return mem_read(&c->left);
}

/* ---- the limit ---- */

static int fill_to_limit(void *ctx)
{
    struct guard_limit *l = ctx;

    l->before = guard_map_count();
    l->made = 0;
    while (guard_malloc(GUARD_LIMIT_BLOCK) != NULL) /* never freed: the child exits */
        l->made++;
    l->err = errno;
    l->after = guard_map_count();
    return l->before < 0 || l->after < 0 ? -1 : 0;
}

int guard_limit(struct guard_limit *l)
{
    return child_run(fill_to_limit, l, sizeof *l);
}
