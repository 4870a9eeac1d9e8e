/* aligned.c: see aligned.h. */
#include "aligned.h"

#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "countalloc.h"
#include "platform.h"

const char *aligned_call_name(enum aligned_call c)
{
    static const char *const name[ALIGNED_CALLS] = {"malloc", "aligned_alloc", "posix_memalign",
                                                    "memalign", "aligned_own_alloc"};

    return (unsigned)c < ALIGNED_CALLS ? name[c] : "?";
}

size_t aligned_of(const void *p)
{
    uintptr_t a = (uintptr_t)p;

    return (size_t)(a & -a);
}

static bool power_of_two(size_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* ---- doing it yourself ---- */

size_t aligned_own_request(size_t align, size_t size)
{
    size_t n;

    if (align == 0 || __builtin_add_overflow(size, align - 1 + sizeof(void *), &n))
        return 0;
    return n;
}

/* aligned_own_alloc over any malloc: the counted one, or glibc's own for its chunks. */
static void *own_alloc_from(void *(*alloc)(size_t), size_t align, size_t size)
{
    size_t n = aligned_own_request(align, size);
    uintptr_t at;
    void *base;

    if (!power_of_two(align)) {
        errno = EINVAL;
        return NULL;
    }
    if (n == 0) {
        errno = ENOMEM;
        return NULL;
    }
    if ((base = alloc(n)) == NULL)
        return NULL;
    at = ((uintptr_t)base + sizeof(void *) + align - 1) & ~(uintptr_t)(align - 1);
    memcpy((char *)at - sizeof base, &base, sizeof base); /* malloc's pointer, just before */
    return (void *)at;
}

static void *base_of(void *p)
{
    void *base;

    memcpy(&base, (char *)p - sizeof base, sizeof base);
    return base;
}

void *aligned_own_alloc(size_t align, size_t size)
{
    return own_alloc_from(malloc, align, size);
}

void aligned_own_free(void *p)
{
    if (p != NULL)
        free(base_of(p));
}

/* ---- counted ---- */

void *aligned_call(enum aligned_call c, size_t align, size_t size, int *err)
{
    void *p = NULL;
    int saved = errno;

    errno = 0;
    switch (c) {
    case ALIGNED_MALLOC: p = malloc(size); break;
    case ALIGNED_ALIGNED_ALLOC: p = aligned_alloc(align, size); break;
    case ALIGNED_POSIX_MEMALIGN:
        if ((*err = posix_memalign(&p, align, size)) != 0)
            p = NULL;
        errno = saved;
        return p;
    case ALIGNED_MEMALIGN: p = memalign(align, size); break;
    case ALIGNED_OWN: p = aligned_own_alloc(align, size); break;
    default: errno = EINVAL; break;
    }
    *err = p == NULL ? errno : 0;
    errno = saved;
    return p;
}

void aligned_free(enum aligned_call c, void *p)
{
    if (c == ALIGNED_OWN)
        aligned_own_free(p);
    else
        free(p);
}

int aligned_malloc_seen(size_t max_size, size_t *align)
{
    uintptr_t bits = 0;

    for (size_t n = 1; n <= max_size; n++) {
        void *p = malloc(n);

        if (p == NULL)
            return -1;
        bits |= (uintptr_t)p;
        free(p);
    }
    *align = (size_t)(bits & -bits);
    return 0;
}

/* ---- glibc's own ---- */

bool aligned_glibc_serves(void)
{
    /* Valgrind replaces glibc's malloc; ASan's build cannot inject, and its allocator
     * serves every call (and treats a bad alignment as a fatal error) */
    return !RUNNING_ON_VALGRIND && countalloc_can_inject();
}

/* glibc's own posix_memalign and aligned_alloc: the definitions after this program's
 * (the counting allocator's); glibc exports no __libc_ names for them. */
static int glibc_posix_memalign(void **out, size_t align, size_t size)
{
    int (*fn)(void **, size_t, size_t) = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");

    return fn != NULL ? fn(out, align, size) : ENOSYS;
}

static void *glibc_aligned_alloc(size_t align, size_t size)
{
    void *(*fn)(size_t, size_t) = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");

    if (fn == NULL) {
        errno = ENOSYS;
        return NULL;
    }
    return fn(align, size);
}

/* One block from glibc's own call c; NULL with errno set when it is refused. */
static void *glibc_call(enum aligned_call c, size_t align, size_t size)
{
    void *p = NULL;
    int rc;

    switch (c) {
    case ALIGNED_MALLOC: return __libc_malloc(size);
    case ALIGNED_ALIGNED_ALLOC: return glibc_aligned_alloc(align, size);
    case ALIGNED_POSIX_MEMALIGN:
        if ((rc = glibc_posix_memalign(&p, align, size)) != 0) {
            errno = rc;
            return NULL;
        }
        return p;
    case ALIGNED_MEMALIGN: return __libc_memalign(align, size);
    case ALIGNED_OWN: return own_alloc_from(__libc_malloc, align, size);
    default: errno = EINVAL; return NULL;
    }
}

/* The chunk of a block from glibc_call: for ALIGNED_OWN, malloc's block behind it. */
static size_t glibc_chunk(enum aligned_call c, void *p)
{
    return platform_chunk_of(c == ALIGNED_OWN ? base_of(p) : p).size;
}

/* A chunk carved from the top after the row: its start is where the top began. Larger
 * than any piece a row leaves in the tcache or the bins, under the mmap threshold. */
#define TOP_PROBE (64 * 1024)

struct footprint_job {
    enum aligned_call c;
    size_t align, size;
    unsigned n;
    int err;
    struct aligned_footprint f;
};

/* The child's thread: its first malloc makes it an arena of its own, empty, so each row
 * starts from the same heap whatever the process freed before; then n blocks in a row. */
static void *footprint_thread(void *arg)
{
    struct footprint_job *j = arg;
    struct aligned_footprint *f = &j->f;
    void **block = __libc_malloc(j->n * sizeof *block); /* the arena's first chunk */
    struct mallinfo2 a, b;
    char *top;

    if (block == NULL) {
        j->err = ENOMEM;
        return NULL;
    }
    f->aligned = true;
    a = mallinfo2();
    for (unsigned i = 0; i < j->n; i++) {
        if ((block[i] = glibc_call(j->c, j->align, j->size)) == NULL) {
            j->err = errno != 0 ? errno : ENOMEM;
            return NULL;
        }
        f->chunks += glibc_chunk(j->c, block[i]);
        f->aligned &= aligned_of(block[i]) >= j->align;
    }
    b = mallinfo2();
    if ((top = __libc_malloc(TOP_PROBE)) == NULL) {
        j->err = ENOMEM;
        return NULL;
    }
    f->chunk = glibc_chunk(j->c, block[0]);
    f->taken = (uint64_t)(top - ((char *)block + platform_chunk_of(block).size));
    f->parked = (int64_t)(b.uordblks - a.uordblks) - (int64_t)f->chunks;
    f->binned = (int64_t)f->taken - (int64_t)(b.uordblks - a.uordblks);
    f->free_chunks = (int64_t)(b.ordblks + b.smblks) - (int64_t)(a.ordblks + a.smblks);
    return NULL; /* the child exits: its blocks go with it */
}

static int footprint_here(struct footprint_job *j)
{
    pthread_t t;

    if ((j->err = pthread_create(&t, NULL, footprint_thread, j)) != 0)
        return j->err;
    pthread_join(t, NULL);
    return j->err;
}

int aligned_footprint(enum aligned_call c, size_t align, size_t size, unsigned n,
                      struct aligned_footprint *out)
{
    struct footprint_job m = {.c = c, .align = align, .size = size, .n = n};
    int fd[2], status;
    ssize_t got;
    pid_t pid;

    if (!aligned_glibc_serves()) {
        errno = ENOTSUP;
        return -1;
    }
    if (n == 0) {
        errno = EINVAL;
        return -1;
    }
    if (pipe(fd) != 0)
        return -1;
    if ((pid = fork()) < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        footprint_here(&m);
        _exit(write(fd[1], &m, sizeof m) == (ssize_t)sizeof m ? 0 : 1);
    }
    close(fd[1]);
    got = read(fd[0], &m, sizeof m);
    close(fd[0]);
    if (waitpid(pid, &status, 0) != pid || got != (ssize_t)sizeof m || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        errno = ECHILD;
        return -1;
    }
    if (m.err != 0) {
        errno = m.err;
        return -1;
    }
    *out = m.f;
    return 0;
}

int aligned_glibc_outcome(enum aligned_call c, size_t align, size_t size, struct aligned_outcome *out)
{
    void *const untouched = (void *)out; /* any address: posix_memalign must not write it */
    void *p = untouched;
    int saved = errno;

    memset(out, 0, sizeof *out);
    if (!aligned_glibc_serves()) {
        errno = ENOTSUP;
        return -1;
    }
    errno = 0;
    switch (c) {
    case ALIGNED_POSIX_MEMALIGN:
        out->ret = glibc_posix_memalign(&p, align, size);
        out->err = errno;
        out->wrote_memptr = p != untouched;
        if (out->ret != 0)
            p = NULL;
        break;
    case ALIGNED_ALIGNED_ALLOC:
    case ALIGNED_MEMALIGN:
        p = glibc_call(c, align, size);
        out->err = errno;
        break;
    default:
        errno = EINVAL;
        return -1;
    }
    out->block = p != NULL;
    out->block_align = aligned_of(p);
    __libc_free(p);
    errno = saved;
    return 0;
}
