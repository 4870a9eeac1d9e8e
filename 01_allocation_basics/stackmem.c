/* stackmem.c: see stackmem.h. Built with -Wno-vla (lesson.mk): the one place in the
 * project where a variable-length array is allowed, to be looked at, not copied. */
#include "stackmem.h"

#include <alloca.h>
#include <stdlib.h>

static uint64_t fill_and_sum(volatile unsigned char *buf, size_t n)
{
    uint64_t sum = 0;

    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(i * 7);
    for (size_t i = 0; i < n; i++)
        sum += buf[i];
    return sum;
}

uint64_t stackmem_vla(size_t n)
{
    unsigned char buf[n > 0 ? n : 1]; /* the stack pointer moves down by n: no check */

    return fill_and_sum(buf, n);
}

uint64_t stackmem_alloca(size_t n)
{
    unsigned char *buf = alloca(n > 0 ? n : 1); /* the same, and it lives until return */

    return fill_and_sum(buf, n);
}

int stackmem_heap(size_t n, uint64_t *sum)
{
    unsigned char *buf = malloc(n > 0 ? n : 1);

    if (buf == NULL)
        return -1; /* the one of the three that can say so */
    *sum = fill_and_sum(buf, n);
    free(buf);
    return 0;
}
