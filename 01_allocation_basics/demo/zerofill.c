/* zerofill.c: malloc(n), then memset(p, 0, n), as a program zeroes a block by hand. One
 * source, compiled twice by lesson.mk. As zerofill_o2 it is built with gcc -O2 and the
 * Makefile's other flags but not its -fno-builtin-*: gcc knows what malloc and memset do,
 * and makes the pair one calloc(n, 1), which leaves the pages of a big block untouched.
 * As zerofill_kept it is built with every flag of the Makefile, and both calls stay.
 * make calloc-01 and the tests tell the two apart by the pages they touch. */
#include <stdlib.h>
#include <string.h>

#include "zeroed.h"

void *ZEROFILL_FN(size_t n)
{
    void *p = malloc(n);

    if (p != NULL)
        memset(p, 0, n);
    return p;
}
