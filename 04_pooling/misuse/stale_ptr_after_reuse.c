/* stale_ptr_after_reuse.c: a pointer into the slot map (handle.h) kept past a remove and
 * an insert that takes the same slot. The slot's bytes are the map's array, a live malloc
 * block, and the insert wrote them: the read at the marked line is of addressable,
 * initialised memory, and glibc, memcheck and ASan all say nothing. The pointer silently
 * reads the new object; only the generation catches it: the kept handle resolves to NULL.
 * Exit status 1 if the read or the handle says otherwise. */
#include <stdint.h>
#include <stdio.h>

#include "handle.h"

int main(void)
{
    struct hmap m = HMAP_INIT;
    uint64_t h1, h2, id, value;
    struct hobj *p, *g1, *g2;
    int ok;

    if ((h1 = hmap_insert(&m, (struct hobj){.id = 1, .value = 100})) == 0)
        return 1;
    p = hmap_get(&m, h1);
    hmap_remove(&m, h1);
    if ((h2 = hmap_insert(&m, (struct hobj){.id = 2, .value = 200})) == 0)
        return 1;
    id = p->id; /* the bug: object 1 was removed, and object 2 took its slot */
    value = p->value;
    g1 = hmap_get(&m, h1);
    g2 = hmap_get(&m, h2);
    printf("kept pointer: id %llu, value %llu (%s)\n", (unsigned long long)id,
           (unsigned long long)value, id == 2 ? "object 2's, read silently" : "object 1's");
    printf("kept handle: %s; new handle: id %llu\n", g1 ? "an object (a bug)" : "NULL, caught",
           g2 ? (unsigned long long)g2->id : 0ull);
    ok = id == 2 && value == 200 && g1 == NULL && g2 != NULL && g2->id == 2;
    hmap_destroy(&m);
    return ok ? 0 : 1;
}
