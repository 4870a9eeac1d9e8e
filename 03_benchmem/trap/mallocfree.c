/* trap/mallocfree.c: one benchmark body, compiled twice by lesson.mk. As
 * trap_mallocfree_o2 it is built with gcc -O2 and nothing else: gcc sees a malloc whose
 * result is only freed, pairs the two calls and deletes both, so the benchmark measures
 * an empty loop and reports 0 allocs/op. As trap_mallocfree_kept it is built with the
 * Makefile's -fno-builtin-malloc -fno-builtin-free, and the calls stay. */
#include <stdlib.h>

#include "bench.h"

void TRAP_FN(struct bench *b);

void TRAP_FN(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++) {
        void *p = malloc(1024); /* Go: _ = make([]byte, 1024), which stays on the stack */
        free(p);
    }
}
