/* wipefree.c: memset(p, 0, n), then free(p), as a program wipes a secret before it lets
 * the block go. One source, compiled twice by lesson.mk. As secret_memset_free_o2 it is
 * built with gcc -O2 and the Makefile's other flags but not its -fno-builtin-*: gcc knows
 * that free ends the block's life, so the bytes memset writes are never read, and it
 * deletes the memset as a dead store. As secret_memset_free_kept it is built with every
 * flag of the Makefile (-fno-builtin-free among them): gcc does not know what free does,
 * and the memset stays. make secret-01 and the tests count what each leaves, and read
 * the calls in the object code. */
#include <stdlib.h>
#include <string.h>

#include "secret.h"

void SECRET_WIPEFREE_FN(void *p, size_t n)
{
    memset(p, 0, n);
    free(p);
}
