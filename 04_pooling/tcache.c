/* tcache.c: see tcache.h. */
#include <malloc.h>
#include <stdlib.h>

#include "platform.h"
#include "tcache.h"

long tcache_freed_to_bins(size_t n, bool counted)
{
    void *block = counted ? malloc(n) : __libc_malloc(n);
    void *fence = __libc_malloc(16);
    size_t before, after;

    if (block == NULL || fence == NULL) {
        counted ? free(block) : __libc_free(block);
        __libc_free(fence);
        return -1;
    }
    before = mallinfo2().fordblks;
    counted ? free(block) : __libc_free(block);
    after = mallinfo2().fordblks;
    __libc_free(fence);
    return (long)(after - before);
}
