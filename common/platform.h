/* platform: what this machine's C library does, where a lesson's exact counts depend on it.
 * Tests and programs ask here instead of pinning one release's behaviour; each answer
 * names the versions it tells apart. Nothing here allocates. */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stdbool.h>

/* True when the running glibc (gnu_get_libc_version, not the headers) is at least
 * major.minor. */
bool platform_glibc_at_least(int major, int minor);

/* asprintf of a line that fits in 200 bytes, as counted here (memcheck's rules):
 *   glibc <= 2.36: malloc(100), format, then realloc to the exact size: 2 allocations,
 *                  1 free (a line of 100 bytes or more grows with realloc on the way);
 *   glibc >= 2.37: format into a 200-byte buffer on the stack, then one exact malloc:
 *                  1 allocation, 0 frees. */
unsigned platform_asprintf_short_allocs(void);
unsigned platform_asprintf_short_frees(void);

#endif
