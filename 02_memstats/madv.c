/* madv.c: see madv.h. */
#include "madv.h"

#include <errno.h>
#include <malloc.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hugepage.h"
#include "procfs.h"
#include "report.h"

int madv_mem_read(const void *addr, struct madv_mem *m)
{
    char text[4096];

    *m = (struct madv_mem){0};
    if (procfs_mapping("/proc/self/smaps", addr, text, sizeof text) != 0)
        return -1;
    m->rss = procfs_kib(text, "\nRss:");
    m->lazyfree = procfs_kib(text, "\nLazyFree:");
    m->swap = procfs_kib(text, "\nSwap:");
    return 0;
}

PROCFS_UNSHADOWED __attribute__((noinline))
uint64_t madv_write(unsigned char *p, size_t len, unsigned char value)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uint64_t n = 0;

    for (size_t i = 0; i < len; i += page, n++)
        ((volatile unsigned char *)p)[i] = value;
    return n;
}

PROCFS_UNSHADOWED __attribute__((noinline))
uint64_t madv_read(const unsigned char *p, size_t len, unsigned char value, uint64_t *zeros)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uint64_t same = 0, zero = 0;

    for (size_t i = 0; i < len; i += page) {
        unsigned char b = ((const volatile unsigned char *)p)[i];

        same += b == value;
        zero += b == 0;
    }
    *zeros = zero;
    return same;
}

int madv_free(void *p, size_t len)
{
    if (madvise(p, len, MADV_FREE) != 0)
        return -1;
    /* the first call marks the pages through this CPU's batch of lazily free pages; the
     * second starts by draining it, so that the last batch is flagged too */
    return madvise(p, len, MADV_FREE);
}

/* The thread pinned to the CPU it runs on, so that the kernel's per-CPU batches of the
 * pages it faults and frees are all on one CPU, which the next madvise drains. Its mask
 * before into *was; false when it could not be pinned (the figures may then miss a batch). */
static bool pin(cpu_set_t *was)
{
    cpu_set_t one;
    int cpu = sched_getcpu();

    if (cpu < 0 || sched_getaffinity(0, sizeof *was, was) != 0)
        return false;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return sched_setaffinity(0, sizeof one, &one) == 0;
}

static void unpin(bool pinned, const cpu_set_t *was)
{
    if (pinned)
        sched_setaffinity(0, sizeof *was, was);
}

const char *madv_step_name(enum madv_steps s)
{
    static const char *const names[MADV_STEPS] = {
        [MADV_WRITTEN] = "a byte written a page",
        [MADV_DONTNEED_CALL] = "madvise(MADV_DONTNEED)",
        [MADV_DONTNEED_READ] = "each page read",
        [MADV_DONTNEED_WRITE] = "a byte written a page",
        [MADV_FREE_CALL] = "madvise(MADV_FREE)",
        [MADV_FREE_READ] = "each page read",
        [MADV_FREE_WRITE] = "the first half written",
        [MADV_PAGEOUT_CALL] = "madvise(MADV_PAGEOUT)",
        [MADV_PAGEOUT_READ] = "each page read",
        [MADV_PAGEOUT_WRITE] = "a byte written a page",
        [MADV_PAGEOUT_DIRTY] = "madvise(MADV_PAGEOUT)",
    };

    return s < MADV_STEPS ? names[s] : "?";
}

/* The region's steps, in order (madv.h); -1 with errno on the first that fails. */
static int steps(unsigned char *p, size_t len, size_t page, struct madv_report *r)
{
    struct madv_step *s = r->step;
    size_t half = (size_t)r->half * page;
    uint64_t f0, z1, z2;

#define STEP(k, action)                                                                      \
    do {                                                                                     \
        f0 = procfs_thread_minor_faults();                                                   \
        action;                                                                              \
        s[k].faults = procfs_thread_minor_faults() - f0;                                     \
        if (madv_mem_read(p, &s[k].mem) != 0)                                                \
            return -1;                                                                       \
    } while (0)

    STEP(MADV_WRITTEN, madv_write(p, len, 1));
    STEP(MADV_DONTNEED_CALL, if (madvise(p, len, MADV_DONTNEED) != 0) return -1);
    STEP(MADV_DONTNEED_READ, s[MADV_DONTNEED_READ].old = madv_read(p, len, 1, &s[MADV_DONTNEED_READ].zeros));
    STEP(MADV_DONTNEED_WRITE, madv_write(p, len, 2));
    STEP(MADV_FREE_CALL, if (madv_free(p, len) != 0) return -1);
    STEP(MADV_FREE_READ, s[MADV_FREE_READ].old = madv_read(p, len, 2, &s[MADV_FREE_READ].zeros));
    STEP(MADV_FREE_WRITE, madv_write(p, half, 3));
    f0 = procfs_thread_minor_faults();
    if (madvise(p, len, MADV_PAGEOUT) != 0) {
        if (errno != EINVAL)
            return -1;
        r->pageout_err = errno; /* a kernel before 5.4: the steps after stay zero */
        return 0;
    }
    s[MADV_PAGEOUT_CALL].faults = procfs_thread_minor_faults() - f0;
    if (madv_mem_read(p, &s[MADV_PAGEOUT_CALL].mem) != 0)
        return -1;
    /* the first half was written 3 after MADV_FREE, the rest 2 before it */
    STEP(MADV_PAGEOUT_READ, s[MADV_PAGEOUT_READ].old = madv_read(p, half, 3, &z1) +
                                                       madv_read(p + half, len - half, 2, &z2);
         s[MADV_PAGEOUT_READ].zeros = z1 + z2);
    STEP(MADV_PAGEOUT_WRITE, madv_write(p, len, 4));
    STEP(MADV_PAGEOUT_DIRTY, if (madvise(p, len, MADV_PAGEOUT) != 0) return -1);
#undef STEP
    return 0;
}

int madv_measure(size_t len, struct madv_report *r)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    struct hugepage_region reg;
    struct madv_mem warm_mem;
    uint64_t warm_zeros;
    unsigned char warm = 0;
    char meminfo[4096];
    cpu_set_t was;
    bool pinned;
    int thp, rc, err;

    *r = (struct madv_report){0};
    if (len < 2 * page || len % page != 0) {
        errno = EINVAL;
        return -1;
    }
    r->pages = len / page;
    r->half = r->pages / 2;
    if (procfs_read("/proc/meminfo", meminfo, sizeof meminfo) == 0)
        r->swap_total = procfs_kib(meminfo, "\nSwapTotal:");
    pinned = pin(&was);
    thp = procfs_thp_off();
    if (hugepage_region_map(&reg, r->pages, page, HUGEPAGE_NO) != 0) {
        err = errno;
        procfs_thp_restore(thp);
        unpin(pinned, &was);
        errno = err;
        return -1;
    }
    /* the code and the calls the steps make, resident first */
    madv_write(&warm, 1, 0);
    madv_read(&warm, 1, 0, &warm_zeros);
    procfs_thread_minor_faults();
    madv_mem_read(reg.p, &warm_mem);
    rc = steps(reg.p, len, page, r);
    err = errno;
    hugepage_region_unmap(&reg);
    procfs_thp_restore(thp);
    unpin(pinned, &was);
    errno = err;
    return rc;
}

/* ---- glibc's malloc ---- */

int madv_rollup_read(struct madv_rollup *m)
{
    char text[4096];

    *m = (struct madv_rollup){0};
    if (procfs_read("/proc/self/smaps_rollup", text, sizeof text) != 0)
        return -1;
    m->anon = procfs_kib(text, "\nAnonymous:");
    m->lazyfree = procfs_kib(text, "\nLazyFree:");
    return 0;
}

int madv_glibc(size_t blocks, size_t big, struct madv_glibc *g)
{
    unsigned char *b, **small = NULL, *pin_block;
    size_t taken = 0;

    *g = (struct madv_glibc){0};
    if (blocks == 0 || big == 0 || blocks > SIZE_MAX / sizeof *small) {
        errno = blocks == 0 || big == 0 ? EINVAL : ENOMEM;
        return -1;
    }
    if ((small = malloc(blocks * sizeof *small)) == NULL)
        goto oom;
    madv_rollup_read(&g->start);
    if ((b = malloc(big)) == NULL)
        goto oom;
    madv_write(b, big, 1);
    madv_rollup_read(&g->big_written);
    free(b);
    madv_rollup_read(&g->big_freed);
    for (; taken < blocks; taken++) {
        if ((small[taken] = malloc(MADV_GLIBC_SMALL)) == NULL)
            goto oom;
        memset(small[taken], 1, MADV_GLIBC_SMALL);
    }
    if ((pin_block = malloc(MADV_GLIBC_PIN)) == NULL) /* past the tcache: its free merges */
        goto oom;
    madv_rollup_read(&g->small_written);
    for (size_t i = 0; i < blocks; i++)
        free(small[i]);
    madv_rollup_read(&g->small_freed);
    g->trim_rc = malloc_trim(0);
    madv_rollup_read(&g->trimmed);
    free(pin_block);
    free(small);
    return 0;
oom:
    if (small != NULL)
        for (size_t i = 0; i < taken; i++)
            free(small[i]);
    free(small);
    errno = ENOMEM;
    return -1;
}

/* ---- the time of each advice ---- */

int madv_time(size_t len, int advice, struct madv_timing *t)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    struct hugepage_region reg;
    unsigned char warm = 0;
    double t0, t1, t2;
    uint64_t f0;
    int thp, rc = 0, err = 0;

    *t = (struct madv_timing){0};
    if ((advice != MADV_DONTNEED && advice != MADV_FREE) || len < page || len % page != 0) {
        errno = EINVAL;
        return -1;
    }
    thp = procfs_thp_off();
    if (hugepage_region_map(&reg, len / page, page, HUGEPAGE_NO) != 0) {
        err = errno;
        procfs_thp_restore(thp);
        errno = err;
        return -1;
    }
    t->pages = madv_write(reg.p, len, 1);
    madv_write(&warm, 1, 0); /* the calls timed below, resident first */
    report_thread_ns();
    procfs_thread_minor_faults();
    t0 = report_thread_ns();
    if (madvise(reg.p, len, advice) != 0) {
        rc = -1;
        err = errno;
    }
    t1 = report_thread_ns();
    f0 = procfs_thread_minor_faults();
    madv_write(reg.p, len, 2);
    t->faults = procfs_thread_minor_faults() - f0;
    t2 = report_thread_ns();
    t->advise_ns = t1 - t0;
    t->write_ns = t2 - t1;
    hugepage_region_unmap(&reg);
    procfs_thp_restore(thp);
    errno = err;
    return rc;
}
