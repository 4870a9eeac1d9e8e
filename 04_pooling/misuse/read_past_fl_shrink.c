/* read_past_fl_shrink.c: a buffer cut down in place by fl_realloc (freelist.h), then read
 * at a byte it held before. The byte is still inside the block, but fl_realloc told the
 * tools the new size, so memcheck reports "Invalid read" and ASan "use-after-poison" at
 * the marked line (test_misuse.c runs it under both). */
#include <stdio.h>
#include <string.h>

#include "freelist.h"

int main(void)
{
    static _Alignas(16) char region[1024];
    struct fl a;
    char *name, *cut, c;

    if (fl_init(&a, region, sizeof region) != 0)
        return 1;
    name = fl_alloc(&a, 64);
    if (name == NULL)
        return 1;
    memset(name, 'x', 64);
    cut = fl_realloc(&a, name, 16); /* in place: the block keeps 24 usable bytes */
    if (cut == NULL)
        return 1;
    c = cut[20]; /* the bug: it holds 16 bytes now */
    printf("byte 20 is %c\n", c);
    fl_destroy(&a);
    return 0;
}
