/* stale_ptr_after_grow.c: a pointer into the slot map (handle.h) kept past an insert that
 * grows the array. handle.c's grow() mallocs an array of twice the slots, copies the
 * objects and frees the old array, never realloc: every growth moves every object, and
 * the kept pointer is left in a block malloc took back. memcheck says "Invalid read ...
 * inside a block of size 192 free'd" and names grow()'s free, ASan "heap-use-after-free",
 * both at the marked line; glibc alone says nothing. The handle kept beside the pointer
 * still resolves, to the object where the growth moved it. */
#include <stdint.h>
#include <stdio.h>

#include "handle.h"

int main(void)
{
    struct hmap m = HMAP_INIT;
    uint64_t h, id;
    struct hobj *p, *g;
    int ok;

    if ((h = hmap_insert(&m, (struct hobj){.id = 1, .value = 100})) == 0)
        return 1;
    p = hmap_get(&m, h);
    for (uint32_t i = 1; i <= HMAP_MIN_CAP; i++) /* the last one finds every slot taken */
        if (hmap_insert(&m, (struct hobj){.id = i + 1, .value = 100 * (i + 1)}) == 0)
            return 1;
    id = p->id; /* the bug: the growth freed the array p points into */
    g = hmap_get(&m, h);
    printf("kept pointer: id %s\n", id == 1 ? "1, object 1's copy in the freed array"
                                            : "not 1: the allocator wrote over the freed array");
    printf("kept handle: id %llu, at a new address: %s\n", g ? (unsigned long long)g->id : 0ull,
           g != p ? "yes" : "no");
    ok = g != NULL && g->id == 1 && g != p;
    hmap_destroy(&m);
    return ok ? 0 : 1;
}
