/* solution/exercise.c: mm_free merges in O(1) with boundary tags, as freelist.c and
 * glibc's free do. A free block keeps a copy of its size in its last 8 bytes (a footer),
 * and the block after it has PREV_FREE set: a freed block whose PREV_FREE is set finds
 * the start of the free block before it in the footer just below its own header. So no
 * two free blocks are ever neighbours. */
#include "exercise.h"

#include <errno.h>
#include <stdint.h>

/* A block: an 8-byte header, then its payload. The header holds the block's size (header
 * included, a multiple of MM_ALIGN) and, in its lowest bits, USED and PREV_FREE (the
 * block before this one is free). A free block also ends with a footer, its size again,
 * where a block in use has payload: the smallest block (16 bytes) has room for both.
 * Headers sit 8 bytes before a multiple of 16, so that every payload is aligned. */
#define HEADER sizeof(size_t)
#define USED ((size_t)1)
#define PREV_FREE ((size_t)2)
#define FLAGS (USED | PREV_FREE)

static size_t *head_of(char *b)
{
    return (size_t *)(void *)b;
}

static size_t size_of(char *b)
{
    return *head_of(b) & ~FLAGS;
}

static int in_use(char *b)
{
    return (*head_of(b) & USED) != 0;
}

/* Make b a free block of `size` bytes: its header (the block before it is in use, or it
 * would have been merged), its footer, and PREV_FREE in the next block's header. */
static void make_free(struct mm *m, char *b, size_t size)
{
    *head_of(b) = size;
    *head_of(b + size - HEADER) = size;
    if (b + size < m->end)
        *head_of(b + size) |= PREV_FREE;
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
    make_free(m, m->first, (size_t)(m->end - m->first)); /* one free block */
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
            make_free(m, b + need, size - need);
            size = need;
        } else if (b + size < m->end) {
            *head_of(b + size) &= ~PREV_FREE; /* its neighbour is in use now */
        }
        *head_of(b) = size | USED; /* b was free, so the block before it is in use */
        return b + HEADER;
    }
    errno = ENOMEM;
    return NULL;
}

void mm_free(struct mm *m, void *p)
{
    char *b, *next;
    size_t size;

    if (p == NULL)
        return;
    b = (char *)p - HEADER;
    size = size_of(b);
    next = b + size;
    if (next < m->end && !in_use(next)) /* merge with the free block after it */
        size += size_of(next);
    if (*head_of(b) & PREV_FREE) { /* and with the one before: its footer is just below b */
        size_t prev_size = *head_of(b - HEADER);

        b -= prev_size;
        size += prev_size;
    }
    make_free(m, b, size);
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
