/* test_tcache.c: where glibc's free puts bench.c's 1 KiB and 4 KiB blocks (tcache.h). Each test runs
 * in a fresh worker process, so the tcache starts empty. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "alloc_assert.h"
#include "tcache.h"

Test(tcache, a_plain_malloc_1024_is_freed_into_the_tcache_a_counted_one_into_the_bins,
     GLIBC_MALLOC_ONLY)
{
    cr_assert(eq(long, tcache_freed_to_bins(1024, false), 0), "1,024 B: within the tcache");
    cr_assert(eq(long, tcache_freed_to_bins(1032, false), 0), "1,032 B: the tcache's largest");
    cr_assert(eq(long, tcache_freed_to_bins(1040, false), 1056), "1,040 B: past it, a 1,056 B chunk");
    cr_assert(eq(long, tcache_freed_to_bins(1024, true), 1056),
              "counted: 1,024 + the 16-byte header, the same 1,056 B chunk as 1,040");
}

Test(tcache, a_4096_byte_block_is_freed_into_the_bins_plain_or_counted, GLIBC_MALLOC_ONLY)
{
    cr_assert(eq(long, tcache_freed_to_bins(4096, false), 4112), "4,096 B: a 4,112 B chunk");
    cr_assert(eq(long, tcache_freed_to_bins(4096, true), 4128), "counted: 4,112 B, a 4,128 B chunk");
}
