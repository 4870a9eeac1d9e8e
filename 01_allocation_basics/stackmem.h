/* stackmem.h: n bytes of scratch three ways, for lesson 01's stack against heap: a
 * variable-length array, alloca, and malloc. Each fills its n bytes and returns their
 * sum, so the memory is really used.
 *
 * The stack ones cost no allocation (the stack pointer moves by n) and are freed when
 * the function returns, but they cannot fail politely: n past the stack's room is a
 * crash (SIGSEGV), never an error to check. The project builds with -Wvla; this file
 * alone is compiled with -Wno-vla (lesson.mk), to show the VLA. */
#ifndef STACKMEM_H
#define STACKMEM_H

#include <stddef.h>
#include <stdint.h>

uint64_t stackmem_vla(size_t n);               /* no allocation; a crash if n is too big */
uint64_t stackmem_alloca(size_t n);            /* no allocation; a crash if n is too big */
int stackmem_heap(size_t n, uint64_t *sum);    /* one malloc; -1 when out of memory */

#endif
