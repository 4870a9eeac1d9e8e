/* zeroed.c: see zeroed.h. */
#include "zeroed.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "countalloc.h"
#include "platform.h"
#include "procfs.h"

static void way_end(struct zeroed_way *w, const void *p, const struct countalloc_stats *start)
{
    struct countalloc_stats d = countalloc_measure_end(start);

    w->null = p == NULL;
    w->err = p == NULL ? errno : 0;
    w->allocs = d.mallocs;
    w->bytes = d.total_alloc;
}

int zeroed_overflow(size_t n, size_t size, struct zeroed_overflow *out)
{
    struct countalloc_stats start;
    void *p;

    out->wrapped = __builtin_mul_overflow(n, size, &out->product);

    countalloc_measure_begin(&start);
    errno = 0;
    p = calloc(n, size);
    way_end(&out->calloc_way, p, &start);
    free(p);

    countalloc_measure_begin(&start);
    errno = 0;
    p = reallocarray(NULL, n, size);
    way_end(&out->reallocarray_way, p, &start);
    free(p);

    countalloc_measure_begin(&start);
    errno = 0;
    p = malloc(n * size); /* THE TRAP: the product wrapped before malloc saw it */
    way_end(&out->malloc_way, p, &start);
    free(p);
    return 0;
}

static void step_begin(struct zeroed_step *s)
{
    s->rss = (int64_t)procfs_status_bytes("\nVmRSS:");
    s->faults = procfs_minor_faults();
}

static void step_end(struct zeroed_step *s)
{
    s->rss = (int64_t)procfs_status_bytes("\nVmRSS:") - s->rss;
    s->faults = procfs_minor_faults() - s->faults;
}

int zeroed_pages(size_t bytes, struct zeroed_pages *out)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    volatile unsigned char *v;
    unsigned char *p;
    unsigned char seen = 0;

    step_begin(&out->calloc_step);
    p = calloc(1, bytes);
    step_end(&out->calloc_step);
    if (p == NULL)
        return -1;

    /* a byte of every page, read through a volatile pointer: the zero page, mapped once
     * per page; then every byte checked, the pages mapped already */
    step_begin(&out->read_step);
    v = p;
    for (size_t i = 0; i < bytes; i += page)
        seen |= v[i];
    step_end(&out->read_step);
    for (size_t i = 0; i < bytes; i++)
        seen |= v[i];
    out->calloc_zero = seen == 0;

    step_begin(&out->write_step);
    for (size_t i = 0; i < bytes; i += page)
        v[i] = 1;
    step_end(&out->write_step);
    free(p);
    return 0;
}

int zeroed_fill_step(void *(*fill)(size_t), size_t bytes, struct zeroed_step *out)
{
    void *p;

    step_begin(out);
    p = fill(bytes);
    step_end(out);
    if (p == NULL)
        return -1;
    free(p);
    return 0;
}

int zeroed_small(size_t size, struct zeroed_small *out)
{
    unsigned char *p, *q;

    /* a block written, freed (into the tcache), then malloc of the same size */
    if ((p = __libc_malloc(size)) == NULL)
        return -1;
    memset(p, 0xAA, size);
    __libc_free(p);
    if ((q = __libc_malloc(size)) == NULL)
        return -1;
    out->malloc_reuses = q == p;

    /* the same, then calloc */
    memset(q, 0xAA, size);
    __libc_free(q);
    if ((p = __libc_calloc(1, size)) == NULL)
        return -1;
    out->calloc_reuses = p == q;
    out->calloc_zero = true;
    for (size_t i = 0; i < size; i++)
        out->calloc_zero &= p[i] == 0;
    __libc_free(p);
    return 0;
}

enum how { BY_CALLOC, BY_CALLOC_WRITE, BY_MEMSET };

/* One block of j->bytes zeroed `how`, its last byte read, then freed. */
static int zero_one(struct zeroed_job *j, enum how how)
{
    unsigned char *p = how == BY_MEMSET ? malloc(j->bytes) : calloc(1, j->bytes);

    if (p == NULL)
        return -1;
    if (how == BY_MEMSET)
        memset(p, 0, j->bytes);
    else if (how == BY_CALLOC_WRITE)
        memset(p, 1, j->bytes);
    j->sink += ((volatile unsigned char *)p)[j->bytes - 1];
    free(p);
    return 0;
}

static int zero_many(struct zeroed_job *j, enum how how)
{
    for (size_t k = 0; k < j->count; k++)
        if (zero_one(j, how) != 0)
            return -1;
    return 0;
}

int zeroed_calloc_job(void *job)
{
    return zero_one(job, BY_CALLOC);
}

int zeroed_calloc_write_job(void *job)
{
    return zero_one(job, BY_CALLOC_WRITE);
}

int zeroed_malloc_memset_job(void *job)
{
    return zero_one(job, BY_MEMSET);
}

int zeroed_small_calloc_job(void *job)
{
    return zero_many(job, BY_CALLOC);
}

int zeroed_small_memset_job(void *job)
{
    return zero_many(job, BY_MEMSET);
}
