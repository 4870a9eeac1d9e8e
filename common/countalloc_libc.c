/* countalloc_libc.c: the default back-end. The malloc family of countalloc_hdr.h over
 * glibc's own entry points: no lookup, no bootstrap problem, and glibc's free keeps errno
 * (since 2.33). Linked into every lesson program, test and benchmark. */
#include <stddef.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t nmemb, size_t size);
void *__libc_realloc(void *p, size_t n);
void *__libc_memalign(size_t align, size_t n);
void __libc_free(void *p);
#define real_malloc __libc_malloc
#define real_calloc __libc_calloc
#define real_realloc __libc_realloc
#define real_memalign __libc_memalign
#define real_free __libc_free

#include "countalloc_hdr.h"
