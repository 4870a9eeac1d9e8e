/* platform.c: see platform.h. */
#include "platform.h"

#include <gnu/libc-version.h>
#include <stdio.h>

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
