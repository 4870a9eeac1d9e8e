/* onealloc.c: see onealloc.h. */
#include "onealloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "countalloc.h"
#include "platform.h"

#include <valgrind/valgrind.h>

size_t onealloc_one_size(size_t len)
{
    size_t head = offsetof(struct onealloc_one, name);

    if (len > SIZE_MAX - head - 1)
        return 0;
    return head + len + 1;
}

/* Out of memory before asking: a size that would wrap. */
static void *too_large(void)
{
    errno = ENOMEM;
    return NULL;
}

/* The name's len bytes and a '\0' into dst; returns len. */
static size_t put_name(char *dst, const char *name, size_t len)
{
    memcpy(dst, name, len);
    dst[len] = '\0';
    return len;
}

struct onealloc_two *onealloc_two_new(uint32_t id, const char *name, size_t len)
{
    struct onealloc_two *r;

    if (len == SIZE_MAX)
        return too_large();
    if ((r = malloc(sizeof *r)) == NULL)
        return NULL;
    if ((r->name = malloc(len + 1)) == NULL) {
        free(r); /* the struct goes back with the failure */
        return NULL;
    }
    r->len = put_name(r->name, name, len);
    r->id = id;
    return r;
}

void onealloc_two_free(struct onealloc_two *r)
{
    if (r == NULL)
        return;
    free(r->name);
    free(r);
}

struct onealloc_one *onealloc_one_new(uint32_t id, const char *name, size_t len)
{
    size_t size = onealloc_one_size(len);
    struct onealloc_one *r;

    if (size == 0)
        return too_large();
    if ((r = malloc(size)) == NULL) /* the struct and the name: one block */
        return NULL;
    r->len = put_name(r->name, name, len);
    r->id = id;
    return r;
}

void onealloc_one_free(struct onealloc_one *r)
{
    free(r);
}

bool onealloc_same(const struct onealloc_two *a, const struct onealloc_one *b)
{
    return a->id == b->id && a->len == b->len && memcmp(a->name, b->name, a->len + 1) == 0;
}

/* glibc's size field, the 8 bytes before a block it returned (platform.h). Valgrind's
 * allocator has no such field. */
size_t onealloc_chunk(size_t n)
{
    char *p;
    size_t chunk;

    if ((p = __libc_malloc(n)) == NULL)
        return 0;
    chunk = RUNNING_ON_VALGRIND ? n + sizeof(size_t) : platform_chunk_of(p).size;
    __libc_free(p);
    return chunk;
}

/* The chunks of one record's requests. 0: no block could be had. */
static uint64_t record_chunks(bool one, size_t len)
{
    size_t a, b;

    if (one)
        return onealloc_chunk(onealloc_one_size(len));
    a = onealloc_chunk(sizeof(struct onealloc_two));
    b = onealloc_chunk(len + 1);
    return a == 0 || b == 0 ? 0 : a + b;
}

int onealloc_tally(bool one, const char *name, size_t len, size_t n, struct onealloc_tally *out)
{
    void **recs = calloc(n, sizeof *recs);
    struct countalloc_stats start, made, freed;
    uint64_t chunk = record_chunks(one, len);
    size_t i;
    int rc = -1;

    if (recs == NULL || chunk == 0)
        goto out;
    countalloc_measure_begin(&start);
    for (i = 0; i < n; i++) {
        recs[i] = one ? (void *)onealloc_one_new((uint32_t)i, name, len)
                      : (void *)onealloc_two_new((uint32_t)i, name, len);
        if (recs[i] == NULL)
            break;
    }
    made = countalloc_measure_end(&start);
    rc = i == n ? 0 : -1;
    countalloc_measure_begin(&start);
    for (i = 0; i < n; i++) {
        if (one)
            onealloc_one_free(recs[i]);
        else
            onealloc_two_free(recs[i]);
    }
    freed = countalloc_measure_end(&start);
    out->mallocs = made.mallocs;
    out->bytes = made.total_alloc;
    out->frees = freed.frees;
    out->chunks = (uint64_t)n * chunk;
out:
    free(recs);
    return rc;
}
