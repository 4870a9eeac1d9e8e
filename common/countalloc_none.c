/* countalloc_none.c: the back-end that counts nothing. Linked with the core, it leaves
 * malloc to glibc as it is: a program built this way costs what an uninstrumented one
 * costs, and a preloaded malloc (heaptrack's) is the one it calls. The tool-cost table's
 * baseline, 02_memstats's plain build, is linked with it. Every figure reads 0. */
#include "countalloc.h"

bool countalloc_can_inject(void)
{
    return false;
}

uint32_t *countalloc_tag(void *p)
{
    (void)p;
    return NULL;
}
