/* faults.c: see faults.h. */
#include "faults.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "child.h"
#include "procfs.h"
#include "report.h"

/* A block past glibc's mmap threshold whatever it has risen to (32 MiB at most on 64-bit):
 * malloc'd and freed once before the requests, its header page alone written, so that the
 * first request does not pay for the first run of glibc's mmap path (its code, and in a
 * child the copy-on-write of the counters it updates). Its free leaves the threshold where
 * it was: glibc moves it only for blocks up to 32 MiB. */
#define WARM_MMAP_BYTES ((size_t)33 << 20)

static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

PROCFS_UNSHADOWED __attribute__((noinline))
size_t faults_touch(unsigned char *p, size_t len, unsigned char value)
{
    size_t page = page_size(), n = 0, i;

    if (len == 0)
        return 0;
    for (i = 0; i < len; i += page, n++)
        ((volatile unsigned char *)p)[i] = value;
    /* the last byte: in a page of its own when p is not on a page boundary */
    if (((uintptr_t)p % page + len - 1) / page >= n) {
        ((volatile unsigned char *)p)[len - 1] = value;
        n++;
    }
    return n;
}

/* Whether every byte faults_touch wrote reads value. */
PROCFS_UNSHADOWED __attribute__((noinline))
static bool touched(const unsigned char *p, size_t len, unsigned char value)
{
    size_t page = page_size();
    bool ok = len == 0 || ((const volatile unsigned char *)p)[len - 1] == value;

    for (size_t i = 0; i < len; i += page)
        ok &= ((const volatile unsigned char *)p)[i] == value;
    return ok;
}

uint64_t faults_pages_spanned(size_t off, size_t len)
{
    size_t page = page_size();

    return len == 0 ? 0 : (off % page + len + page - 1) / page;
}

static bool bad_size(size_t bytes)
{
    return bytes == 0 || bytes % page_size() != 0;
}

static unsigned char *map(size_t bytes, int extra)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

/* Every call the measurements make, made once on a page of its own: their code, the
 * clock's page and the stack resident first, so that the figures are the region's alone. */
static void warm(void)
{
    unsigned char *p = map(page_size(), MAP_POPULATE);

    if (p != NULL) {
        madvise(p, page_size(), MADV_POPULATE_WRITE);
        madvise(p, page_size(), MADV_POPULATE_READ);
        madvise(p, page_size(), MADV_WILLNEED);
        if (mlock(p, page_size()) == 0)
            munlock(p, page_size());
        faults_touch(p, page_size(), 1);
        munmap(p, page_size());
    }
    report_now_ns();
    procfs_thread_minor_faults();
}

/* ---- 1. the first touch ---- */

int faults_first_touch(size_t bytes, struct faults_touch *t)
{
    unsigned char *p;
    uint64_t f0, f1, f2;
    double t0, t1, t2;
    int was, err;

    *t = (struct faults_touch){0};
    if (bad_size(bytes)) {
        errno = EINVAL;
        return -1;
    }
    was = procfs_thp_off();
    warm();
    if ((p = map(bytes, 0)) == NULL) {
        err = errno;
        procfs_thp_restore(was);
        errno = err;
        return -1;
    }
    f0 = procfs_thread_minor_faults();
    t0 = report_now_ns();
    faults_touch(p, bytes, 1);
    t1 = report_now_ns();
    f1 = procfs_thread_minor_faults();
    faults_touch(p, bytes, 2);
    t2 = report_now_ns();
    f2 = procfs_thread_minor_faults();
    munmap(p, bytes);
    procfs_thp_restore(was);
    *t = (struct faults_touch){.pages = bytes / page_size(), .first = f1 - f0, .second = f2 - f1,
                               .first_ns = t1 - t0, .second_ns = t2 - t1};
    return 0;
}

/* ---- 2. paying up front ---- */

const char *faults_way_name(enum faults_way way)
{
    static const char *const names[] = {
        "nothing (on demand)", "mmap(MAP_POPULATE)", "madvise(MADV_POPULATE_WRITE)",
        "madvise(MADV_POPULATE_READ)", "a byte written a page", "madvise(MADV_WILLNEED)", "mlock",
    };

    return way < FAULTS_WAYS ? names[way] : "?";
}

/* The preparing call on a mapped region: 0, or the errno it was refused with. */
static int prepare(unsigned char *p, size_t bytes, enum faults_way way)
{
    int rc = 0;

    switch (way) {
    case FAULTS_POPULATE_WRITE:
        rc = madvise(p, bytes, MADV_POPULATE_WRITE);
        break;
    case FAULTS_POPULATE_READ:
        rc = madvise(p, bytes, MADV_POPULATE_READ);
        break;
    case FAULTS_WRITE_FIRST:
        faults_touch(p, bytes, 1);
        break;
    case FAULTS_WILLNEED:
        rc = madvise(p, bytes, MADV_WILLNEED);
        break;
    case FAULTS_MLOCK:
        rc = mlock(p, bytes);
        break;
    default:
        break;
    }
    return rc == 0 ? 0 : errno;
}

int faults_prepare(size_t bytes, enum faults_way way, struct faults_prepared *out)
{
    unsigned char *p;
    uint64_t f0, f1, f2;
    double t0, t1, t2;
    int was, err = 0;

    *out = (struct faults_prepared){0};
    if (bad_size(bytes) || way >= FAULTS_WAYS) {
        errno = EINVAL;
        return -1;
    }
    was = procfs_thp_off();
    warm();
    if (way == FAULTS_MAP_POPULATE) {
        f0 = procfs_thread_minor_faults();
        t0 = report_now_ns();
        p = map(bytes, MAP_POPULATE);
    } else {
        p = map(bytes, 0);
        f0 = procfs_thread_minor_faults();
        t0 = report_now_ns();
        if (p != NULL)
            err = prepare(p, bytes, way);
    }
    t1 = report_now_ns();
    f1 = procfs_thread_minor_faults();
    if (p == NULL) {
        err = errno;
        procfs_thp_restore(was);
        errno = err;
        return -1;
    }
    faults_touch(p, bytes, 2);
    t2 = report_now_ns();
    f2 = procfs_thread_minor_faults();
    munmap(p, bytes); /* and the lock with it */
    procfs_thp_restore(was);
    *out = (struct faults_prepared){.pages = bytes / page_size(), .prep_faults = f1 - f0,
                                    .prep_ns = t1 - t0, .pass_faults = f2 - f1, .pass_ns = t2 - t1,
                                    .err = err};
    return 0;
}

/* ---- 3. a request loop on malloc ---- */

const char *faults_policy_name(enum faults_policy policy)
{
    static const char *const names[] = {
        "malloc, write, free",
        "mallopt(M_MMAP_MAX, 0), trim threshold 1 GiB",
        "one block kept across requests",
    };

    return policy < FAULTS_POLICIES ? names[policy] : "?";
}

static size_t mmapped_blocks(void)
{
    return mallinfo2().hblks;
}

/* Request i of r: its block (*block, kept there under FAULTS_KEPT), written and read back,
 * measured into r's row i. 0, or -1 when the malloc failed. */
static int request(struct faults_requests *r, unsigned i, enum faults_policy policy,
                   unsigned char **block, bool *mmapped)
{
    struct countalloc_stats start;
    uint64_t f0;
    size_t before;

    countalloc_measure_begin(&start);
    before = mmapped_blocks();
    f0 = procfs_thread_minor_faults();
    if (*block == NULL) {
        if ((*block = malloc(r->bytes)) == NULL) {
            r->d[i] = countalloc_measure_end(&start);
            return -1;
        }
        *mmapped = mmapped_blocks() > before;
    }
    faults_touch(*block, r->bytes, (unsigned char)(i + 1));
    r->intact &= touched(*block, r->bytes, (unsigned char)(i + 1));
    r->offset[i] = (uintptr_t)*block % page_size();
    r->mmapped[i] = *mmapped;
    if (policy != FAULTS_KEPT) {
        free(*block);
        *block = NULL;
    }
    r->faults[i] = procfs_thread_minor_faults() - f0;
    r->d[i] = countalloc_measure_end(&start);
    return 0;
}

int faults_requests(size_t bytes, unsigned n, enum faults_policy policy, struct faults_requests *r)
{
    struct faults_requests w = {.n = 1, .bytes = 64, .intact = true};
    unsigned char *block = NULL, *big;
    bool mmapped = false;
    int was, rc = 0;

    *r = (struct faults_requests){.n = n, .bytes = bytes, .intact = true};
    if (bytes == 0 || n == 0 || n > FAULTS_REQUESTS_MAX || policy >= FAULTS_POLICIES) {
        errno = EINVAL;
        return -1;
    }
    was = procfs_thp_off();
    /* the path once, not counted: a small request, and glibc's mmap path (see
     * WARM_MMAP_BYTES); in a child, the pages they write are copied here first */
    if (request(&w, 0, FAULTS_MALLOC_FREE, &block, &mmapped) != 0)
        goto oom;
    if ((big = malloc(WARM_MMAP_BYTES)) == NULL)
        goto oom;
    free(big);
    mmapped = false;
    if (policy == FAULTS_NO_MMAP) {
        mallopt(M_MMAP_MAX, 0);
        mallopt(M_TRIM_THRESHOLD, (int)FAULTS_TRIM_KEEP);
    }
    for (unsigned i = 0; i < n && rc == 0; i++)
        rc = request(r, i, policy, &block, &mmapped);
    free(block); /* FAULTS_KEPT's block, after the last request */
    procfs_thp_restore(was);
    if (rc != 0)
        errno = ENOMEM;
    return rc;
oom:
    procfs_thp_restore(was);
    errno = ENOMEM;
    return -1;
}

struct child_ctx {
    size_t bytes;
    unsigned n;
    enum faults_policy policy;
    struct faults_requests r;
};

static int in_child(void *ctx)
{
    struct child_ctx *c = ctx;

    c->r.rc = faults_requests(c->bytes, c->n, c->policy, &c->r);
    c->r.err = c->r.rc == 0 ? 0 : errno;
    return 0; /* the result, a failure included, goes back */
}

int faults_requests_child(size_t bytes, unsigned n, enum faults_policy policy,
                          struct faults_requests *r)
{
    struct child_ctx c = {.bytes = bytes, .n = n, .policy = policy};

    if (child_run(in_child, &c, sizeof c) != 0)
        return -1;
    *r = c.r;
    if (r->rc != 0) {
        errno = r->err;
        return -1;
    }
    return 0;
}
