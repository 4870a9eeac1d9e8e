/* hugepage.c: see hugepage.h. */
#include "hugepage.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "procfs.h"
#include "report.h"
#include "shuffle.h"

static const char *const mode_names[] = {
    [HUGEPAGE_MISSING] = "missing",
    [HUGEPAGE_NEVER] = "never",
    [HUGEPAGE_MADVISE] = "madvise",
    [HUGEPAGE_ALWAYS] = "always",
};

/* The bracketed word of a sysfs setting's text ("always [madvise] never"), its length in
 * *len; NULL when there is none. */
static const char *bracketed(const char *text, size_t *len)
{
    const char *open = strchr(text, '['), *close = open ? strchr(open, ']') : NULL;

    if (close == NULL)
        return NULL;
    *len = (size_t)(close - open - 1);
    return open + 1;
}

static bool bracketed_is(const char *text, const char *word)
{
    size_t len;
    const char *w = bracketed(text, &len);

    return w != NULL && len == strlen(word) && strncmp(w, word, len) == 0;
}

int hugepage_mode_parse(const char *text, enum hugepage_mode *mode)
{
    for (int m = HUGEPAGE_NEVER; m <= HUGEPAGE_ALWAYS; m++)
        if (bracketed_is(text, mode_names[m])) {
            *mode = (enum hugepage_mode)m;
            return 0;
        }
    errno = EINVAL;
    return -1;
}

enum hugepage_mode hugepage_mode_read(const char *path, char *text, size_t size)
{
    enum hugepage_mode mode = HUGEPAGE_MISSING;
    char buf[256];

    if (size > 0)
        text[0] = '\0';
    if (procfs_read(path, buf, sizeof buf) != 0)
        return HUGEPAGE_MISSING;
    buf[strcspn(buf, "\n")] = '\0';
    if (size > 0)
        snprintf(text, size, "%s", buf);
    if (hugepage_mode_parse(buf, &mode) != 0)
        return HUGEPAGE_MISSING;
    return mode;
}

const char *hugepage_mode_name(enum hugepage_mode mode)
{
    return mode <= HUGEPAGE_ALWAYS ? mode_names[mode] : "?";
}

size_t hugepage_size_read(const char *path)
{
    char buf[64], *end;
    unsigned long long n;

    if (procfs_read(path, buf, sizeof buf) != 0)
        return HUGEPAGE_DEFAULT_SIZE;
    errno = 0;
    n = strtoull(buf, &end, 10);
    if (errno != 0 || end == buf || n == 0 || n > SIZE_MAX)
        return HUGEPAGE_DEFAULT_SIZE;
    return (size_t)n;
}

unsigned hugepage_small_folios(size_t span)
{
    enum hugepage_mode global = hugepage_mode_read(HUGEPAGE_ENABLED, NULL, 0);
    unsigned on = 0;

    for (size_t kib = 8; kib * 1024 < span; kib *= 2) {
        char path[128], text[128];
        size_t len;

        snprintf(path, sizeof path, HUGEPAGE_SYSFS "/hugepages-%zukB/enabled", kib);
        if (procfs_read(path, text, sizeof text) != 0 || bracketed(text, &len) == NULL ||
            bracketed_is(text, "never"))
            continue;
        if (bracketed_is(text, "inherit") && (global == HUGEPAGE_NEVER || global == HUGEPAGE_MISSING))
            continue;
        on++;
    }
    return on;
}

const char *hugepage_advice_name(enum hugepage_advice advice)
{
    static const char *const names[] = {"MADV_NOHUGEPAGE", "no advice", "MADV_HUGEPAGE"};

    return advice < HUGEPAGE_ADVICES ? names[advice] : "?";
}

size_t hugepage_most(enum hugepage_mode mode, enum hugepage_advice advice, size_t spans)
{
    if (advice == HUGEPAGE_NO || mode == HUGEPAGE_NEVER || mode == HUGEPAGE_MISSING)
        return 0;
    if (advice == HUGEPAGE_NONE && mode == HUGEPAGE_MADVISE)
        return 0;
    return spans;
}

int hugepage_region_map(struct hugepage_region *r, size_t spans, size_t span,
                        enum hugepage_advice advice)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len, map_len;
    unsigned char *map, *p;

    *r = (struct hugepage_region){0};
    if (spans == 0 || span < page || (span & (span - 1)) != 0 || advice >= HUGEPAGE_ADVICES) {
        errno = EINVAL;
        return -1;
    }
    if (spans > (SIZE_MAX - page) / span - 1) {
        errno = ENOMEM;
        return -1;
    }
    len = spans * span;
    map_len = len + span + page; /* room for a page of PROT_NONE either side, aligned */
    map = mmap(NULL, map_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED)
        return -1;
    p = (unsigned char *)(((uintptr_t)map + page + span - 1) & ~(uintptr_t)(span - 1));
    if (mprotect(p, len, PROT_READ | PROT_WRITE) != 0) {
        int err = errno;

        munmap(map, map_len);
        errno = err;
        return -1;
    }
    *r = (struct hugepage_region){.map = map, .map_len = map_len, .p = p, .len = len, .span = span};
    if (advice != HUGEPAGE_NONE &&
        madvise(p, len, advice == HUGEPAGE_YES ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) != 0)
        r->advice_err = errno;
    return 0;
}

void hugepage_region_unmap(struct hugepage_region *r)
{
    if (r->map != NULL)
        munmap(r->map, r->map_len);
    *r = (struct hugepage_region){0};
}

PROCFS_UNSHADOWED __attribute__((noinline))
size_t hugepage_touch(unsigned char *p, size_t len, size_t stride)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i += stride, n++)
        ((volatile unsigned char *)p)[i] = 1;
    return n;
}

int hugepage_smaps(const void *addr, uint64_t *rss, uint64_t *anon_huge)
{
    char text[4096];

    if (procfs_mapping("/proc/self/smaps", addr, text, sizeof text) != 0)
        return -1;
    *rss = procfs_kib(text, "\nRss:");
    *anon_huge = procfs_kib(text, "\nAnonHugePages:");
    return 0;
}

int hugepage_touch_measure(unsigned char *p, size_t len, size_t stride, struct hugepage_figures *f)
{
    uint64_t rss0, huge0, rss1, huge1, f0, f1;
    unsigned char warm = 0;

    *f = (struct hugepage_figures){.offset = (uintptr_t)p % (uintptr_t)sysconf(_SC_PAGESIZE)};
    hugepage_touch(&warm, 1, 1); /* its code, and the calls below, resident first */
    procfs_minor_faults();
    if (hugepage_smaps(p, &rss0, &huge0) != 0)
        return -1;
    f0 = procfs_minor_faults();
    hugepage_touch(p, len, stride);
    f1 = procfs_minor_faults();
    if (hugepage_smaps(p, &rss1, &huge1) != 0)
        return -1;
    f->faults = f1 - f0;
    f->rss = rss1 - rss0;
    f->anon_huge = huge1 - huge0;
    return 0;
}

int hugepage_measure(size_t spans, size_t span, enum hugepage_advice advice,
                     struct hugepage_figures *f, struct hugepage_figures *all)
{
    struct hugepage_region r;
    struct hugepage_figures rest;
    int rc = -1, err = 0;

    if (hugepage_region_map(&r, spans, span, advice) != 0)
        return -1;
    if (hugepage_touch_measure(r.p, r.len, r.span, f) != 0)
        goto out;
    f->advice_err = r.advice_err;
    if (all != NULL) {
        /* a byte in every page: the rest of each span's pages */
        if (hugepage_touch_measure(r.p, r.len, (size_t)sysconf(_SC_PAGESIZE), &rest) != 0)
            goto out;
        *all = (struct hugepage_figures){
            .faults = f->faults + rest.faults,
            .rss = f->rss + rest.rss,
            .anon_huge = f->anon_huge + rest.anon_huge,
            .advice_err = r.advice_err,
        };
    }
    rc = 0;
out:
    err = errno;
    hugepage_region_unmap(&r);
    errno = err;
    return rc;
}

/* reads random reads of w[0..n): each address from the PRNG and the value read before it.
 * Not instrumented by ASan (hugepage_touch says why); noinline, so that the loop is the
 * same code whatever calls it. */
PROCFS_UNSHADOWED __attribute__((noinline))
static uint64_t chase(const uint64_t *w, size_t n, uint64_t reads, uint64_t *sum)
{
    uint64_t state = HUGEPAGE_SEED, v = 0, total = 0, done;

    for (done = 0; done < reads; done++) {
        /* the next number and v mixed, scaled to [0, n): the address waits for the value
         * read before, and a value other than 0 moves it anywhere */
        v = w[(size_t)(((unsigned __int128)(shuffle_rand(&state) + v * HUGEPAGE_SEED) * n) >> 64)];
        total += v;
    }
    *sum = total;
    return done;
}

int hugepage_time_reads(size_t spans, size_t span, enum hugepage_advice advice, uint64_t reads,
                        struct hugepage_timing *t)
{
    struct hugepage_region r;
    uint64_t rss, f0, f1, warm_sum;
    double t0, t1;
    int err;

    *t = (struct hugepage_timing){0};
    if (reads == 0) {
        errno = EINVAL;
        return -1;
    }
    if (hugepage_region_map(&r, spans, span, advice) != 0)
        return -1;
    t->advice_err = r.advice_err;
    t->pages = hugepage_touch(r.p, r.len, (size_t)sysconf(_SC_PAGESIZE));
    if (hugepage_smaps(r.p, &rss, &t->anon_huge) != 0)
        goto fail;
    chase((const uint64_t *)r.p, 1, 1, &warm_sum); /* its code resident, and the clock's */
    report_thread_ns();
    f0 = procfs_minor_faults();
    t0 = report_thread_ns();
    t->reads = chase((const uint64_t *)r.p, r.len / sizeof(uint64_t), reads, &t->sum);
    t1 = report_thread_ns();
    f1 = procfs_minor_faults();
    t->faults = f1 - f0;
    t->ns = t1 - t0;
    t->ns_per_read = t->ns / (double)t->reads;
    hugepage_region_unmap(&r);
    return 0;
fail:
    err = errno;
    hugepage_region_unmap(&r);
    errno = err;
    return -1;
}

int hugepage_malloc_measure(size_t spans, size_t span, struct hugepage_figures *f)
{
    unsigned char *b;
    int rc, err;

    if (spans == 0 || span == 0 || spans > SIZE_MAX / span) {
        errno = spans == 0 || span == 0 ? EINVAL : ENOMEM;
        return -1;
    }
    if ((b = malloc(spans * span)) == NULL) {
        errno = ENOMEM;
        return -1;
    }
    rc = hugepage_touch_measure(b, spans * span, span, f);
    err = errno;
    free(b);
    errno = err;
    return rc;
}

int hugepage_figures_format(const struct hugepage_figures *f, char *buf, size_t size)
{
    int n = snprintf(buf, size, "faults=%" PRIu64 " rss=%" PRIu64 " anon_huge=%" PRIu64
                     " offset=%" PRIu64 " advice=%d\n",
                     f->faults, f->rss, f->anon_huge, f->offset, f->advice_err);

    if (n < 0 || (size_t)n >= size) {
        errno = ERANGE;
        return -1;
    }
    return 0;
}

int hugepage_figures_parse(const char *text, struct hugepage_figures *f)
{
    const char *at = strstr(text, "faults=");

    *f = (struct hugepage_figures){0};
    if (at == NULL || sscanf(at, "faults=%" SCNu64 " rss=%" SCNu64 " anon_huge=%" SCNu64
                                 " offset=%" SCNu64 " advice=%d",
                             &f->faults, &f->rss, &f->anon_huge, &f->offset, &f->advice_err) != 5) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

int hugepage_malloc_child(const char *prog, const char *tunables, size_t spans,
                          struct hugepage_figures *f, char *err, size_t size)
{
    char prefix[256], args[64], line[256], drop[1024];
    int fd[2], rc, e;
    ssize_t got;
    size_t used = 0;

    *f = (struct hugepage_figures){0};
    if (err == NULL || size == 0) {
        err = drop;
        size = sizeof drop;
    }
    snprintf(prefix, sizeof prefix, "GLIBC_TUNABLES=%s", tunables);
    snprintf(args, sizeof args, "--malloc %zu", spans);
    if (pipe(fd) != 0)
        return -1;
    rc = cli_run_beside_fd(prefix, prog, args, fd[1], err, size);
    e = errno;
    close(fd[1]);
    /* its one line is far below a pipe's buffer: it is all there once the child is gone */
    while (used + 1 < sizeof line && (got = read(fd[0], line + used, sizeof line - 1 - used)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            break;
        used += (size_t)got;
    }
    line[used] = '\0';
    close(fd[0]);
    if (rc < 0) {
        errno = e;
        return -1;
    }
    if (rc != 0 || hugepage_figures_parse(line, f) != 0) {
        errno = EIO;
        return -1;
    }
    return 0;
}
