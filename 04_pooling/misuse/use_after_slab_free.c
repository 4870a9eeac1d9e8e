/* use_after_slab_free.c: a session read after slab_free gave it back to its slab
 * (slab.h). Another session keeps the slab alive, so the bytes stay mapped and the read
 * goes unnoticed unless told: slab.c tells the tools which objects slab_alloc handed out,
 * so memcheck reports "Invalid read ... inside a block of size 64 free'd" and ASan
 * "use-after-poison", both at the marked line (test_misuse.c runs it under both). */
#include <stdio.h>
#include <string.h>

#include "slab.h"

int main(void)
{
    struct slab_pool p;
    char *keep, *name, c;

    if (slab_init(&p, 64) != 0)
        return 1;
    keep = slab_alloc(&p);
    name = slab_alloc(&p);
    if (keep == NULL || name == NULL)
        return 1;
    strcpy(keep, "session 41: bob");
    strcpy(name, "session 42: alice");
    slab_free(name);
    c = name[12]; /* the bug: the object is its slab's again */
    printf("session 42 starts with %c\n", c);
    slab_free(keep);
    slab_destroy(&p);
    return 0;
}
