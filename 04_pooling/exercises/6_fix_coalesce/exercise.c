/* Fix a small malloc whose free never merges a freed block with its free neighbours.
 *
 * It works, but it fragments: free every block and the region is still cut into the
 * blocks it was, so a request bigger than each of them fails though every byte is free.
 *
 * TODO: make mm_free merge the freed block with the block after it and with the block
 * before it when they are free, so that no two free blocks are ever neighbours. How you
 * find the block before is yours to choose (make hint). */
#include "exercise.h"

#include <errno.h>
#include <stdint.h>

/* A block: an 8-byte header, then its payload. The header holds the block's size (header
 * included, a multiple of MM_ALIGN) and, in its lowest bit, USED. Headers sit 8 bytes
 * before a multiple of 16, so that every payload is aligned. */
#define HEADER sizeof(size_t)
#define USED ((size_t)1)

static size_t *head_of(char *b)
{
    return (size_t *)(void *)b;
}

static size_t size_of(char *b)
{
    return *head_of(b) & ~USED;
}

static int in_use(char *b)
{
    return (*head_of(b) & USED) != 0;
}

int mm_init(struct mm *m, void *region, size_t size)
{
    uintptr_t start = (uintptr_t)region, first;

    if (size < 3 * MM_ALIGN) {
        errno = EINVAL;
        return -1;
    }
    first = ((start + HEADER + MM_ALIGN - 1) & ~(uintptr_t)(MM_ALIGN - 1)) - HEADER;
    m->first = (char *)first;
    m->end = m->first + ((start + size - first) & ~(uintptr_t)(MM_ALIGN - 1));
    *head_of(m->first) = (size_t)(m->end - m->first); /* one free block */
    return 0;
}

void *mm_alloc(struct mm *m, size_t n)
{
    size_t need;

    if (n > SIZE_MAX - HEADER - MM_ALIGN) {
        errno = ENOMEM;
        return NULL;
    }
    need = (n + HEADER + MM_ALIGN - 1) & ~(size_t)(MM_ALIGN - 1);
    for (char *b = m->first; b < m->end; b += size_of(b)) { /* first fit */
        size_t size = size_of(b);

        if (in_use(b) || size < need)
            continue;
        if (size > need) { /* split: the rest becomes a free block of its own */
            *head_of(b + need) = size - need;
            size = need;
        }
        *head_of(b) = size | USED;
        return b + HEADER;
    }
    errno = ENOMEM;
    return NULL;
}

void mm_free(struct mm *m, void *p)
{
    char *b;

    (void)m;
    if (p == NULL)
        return;
    b = (char *)p - HEADER;
    *head_of(b) &= ~USED; /* free, but still a block of its own */
}

struct mm_stats mm_stats(const struct mm *m)
{
    struct mm_stats s = {0};

    for (char *b = m->first; b < m->end; b += size_of(b)) {
        if (in_use(b)) {
            s.used_blocks++;
        } else {
            s.free_blocks++;
            s.free_bytes += size_of(b) - HEADER;
            if (size_of(b) - HEADER > s.largest_free)
                s.largest_free = size_of(b) - HEADER;
        }
    }
    return s;
}
