/* corners.c: see corners.h. */
#include "corners.h"

#include <stdlib.h>
#include <string.h>

#include "countalloc.h"
#include "platform.h"

void *corners_glibc_malloc(size_t n)
{
    return __libc_malloc(n);
}

void *corners_glibc_realloc(void *p, size_t n)
{
    return __libc_realloc(p, n);
}

void corners_glibc_free(void *p)
{
    __libc_free(p);
}

int corners_realloc_zero(size_t size, struct corners_zero *out)
{
    void *p = __libc_malloc(size), *r, *again;

    if (p == NULL)
        return -1;
    r = __libc_realloc(p, 0);
    out->returned_null = r == NULL;
    if (r != NULL) { /* another C library's answer: a block of its own to free */
        __libc_free(r);
        out->freed = false;
        return 0;
    }
    again = __libc_malloc(size); /* freed chunks of a size come back first (tcache) */
    out->freed = again == p;
    __libc_free(again);
    return 0;
}

#define TRIES 8 /* pairs to try before two blocks come out next to each other */

int corners_realloc_move(size_t from, size_t to, bool fence, struct corners_move *out)
{
    char *p = NULL, *next = NULL, *q, *spare[2 * TRIES];
    int nspare = 0, rc = -1;

    /* the block and, when it grows, the one right after it in the heap: kept (a fence)
     * or freed (room to grow into; `to` bytes is past the tcache, whose chunks count as
     * in use and would block a growth). A heap with holes may place the two apart: such
     * pairs are set aside until the end. */
    for (int t = 0; t < TRIES; t++) {
        if ((p = __libc_malloc(from)) == NULL)
            goto out;
        if (to <= from)
            break;
        if ((next = __libc_malloc(to)) == NULL) {
            __libc_free(p);
            goto out;
        }
        if (next == p + platform_chunk_of(p).size) /* its chunk starts where p's ends */
            break;
        spare[nspare++] = p;
        spare[nspare++] = next;
        p = next = NULL;
    }
    if (p == NULL)
        goto out;
    if (next != NULL && !fence) {
        __libc_free(next);
        next = NULL;
    }
    memset(p, 'x', from);
    out->mmapped_before = platform_chunk_of(p).mmapped;
    out->chunk_before = platform_chunk_of(p).size;
    q = __libc_realloc(p, to);
    if (q == NULL) {
        __libc_free(p);
        __libc_free(next);
        goto out;
    }
    out->in_place = q == p;
    out->chunk_after = platform_chunk_of(q).size;
    __libc_free(q);
    __libc_free(next);
    rc = 0;
out:
    while (nspare > 0)
        __libc_free(spare[--nspare]);
    return rc;
}

int corners_realloc_lose(size_t size, size_t huge, struct corners_lost *out)
{
    struct countalloc_stats start;
    char *p, *copy;

    countalloc_measure_begin(&start);
    if ((p = malloc(size)) == NULL)
        return -1;
    memset(p, 'k', size);
    copy = p; /* only so that this demonstration can free what the trap loses */
    p = realloc(p, huge); /* THE TRAP: on failure the only pointer is overwritten */
    out->live_blocks = countalloc_measure_end(&start).heap_objects;
    out->p_null = p == NULL;
    if (p != NULL) { /* realloc said yes after all: the block is p now, copy is stale */
        out->block_intact = p[0] == 'k' && p[size - 1] == 'k';
        free(p);
        return 0;
    }
    out->block_intact = copy[0] == 'k' && copy[size - 1] == 'k';
    free(copy);
    return 0;
}
