/* cache.c: the cache's mapping, made and unmapped (exercise.h); exercise.c hands its
 * buffers out and takes them back. */
#include "exercise.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

int cache_init(struct cache *c, size_t count, size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *p;

    *c = (struct cache){0};
    if (count == 0 || count > CACHE_MAX || size == 0 || size % page != 0 || size > SIZE_MAX / count) {
        errno = EINVAL;
        return -1;
    }
    p = mmap(NULL, count * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    c->base = p;
    c->size = size;
    c->count = count;
    for (size_t i = 0; i < count; i++) /* buffer 0 on top: handed out first */
        c->idle[i] = count - 1 - i;
    c->nidle = count;
    return 0;
}

void cache_destroy(struct cache *c)
{
    if (c->base != NULL)
        munmap(c->base, c->count * c->size);
    *c = (struct cache){0};
}
