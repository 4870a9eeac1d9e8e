/* platform.c: see platform.h. */
#include "platform.h"

#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#define CHUNK_MMAPPED 0x2     /* glibc's IS_MMAPPED bit in the size field */
#define CHUNK_OTHER_ARENA 0x4 /* glibc's NON_MAIN_ARENA bit */
#define CHUNK_FLAGS 0x7

size_t platform_chunk_for(size_t n)
{
    size_t c = (n + sizeof(size_t) + 15) & ~(size_t)15;

    return c < 32 ? 32 : c;
}

struct platform_chunk platform_chunk_of(const void *p)
{
    size_t field;

    memcpy(&field, (const char *)p - sizeof field, sizeof field);
    return (struct platform_chunk){
        .size = field & ~(size_t)CHUNK_FLAGS,
        .mmapped = (field & CHUNK_MMAPPED) != 0,
        .other_arena = (field & CHUNK_OTHER_ARENA) != 0,
    };
}

size_t platform_glibc_usable_size(void *p)
{
    /* the next definition after this program's own, if it has one: the C library's */
    size_t (*usable)(void *) = (size_t(*)(void *))dlsym(RTLD_NEXT, "malloc_usable_size");

    return usable != NULL ? usable(p) : malloc_usable_size(p);
}

bool platform_glibc_at_least(int major, int minor)
{
    int have_major = 0, have_minor = 0;

    if (sscanf(gnu_get_libc_version(), "%d.%d", &have_major, &have_minor) != 2)
        return false;
    return have_major > major || (have_major == major && have_minor >= minor);
}

unsigned platform_asprintf_short_allocs(void)
{
    return platform_glibc_at_least(2, 37) ? 1 : 2;
}

unsigned platform_asprintf_short_frees(void)
{
    return platform_glibc_at_least(2, 37) ? 0 : 1;
}

bool platform_calloc_uses_tcache(void)
{
    return platform_glibc_at_least(2, 41);
}

bool platform_aligned_alloc_checks_alignment(void)
{
    return platform_glibc_at_least(2, 38);
}

bool platform_memalign_pieces_to_tcache(void)
{
    return !platform_glibc_at_least(2, 41);
}
