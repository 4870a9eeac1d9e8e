/* exercise.c: the sort, compared in place. strcasecmp lowers each byte as it reads it and
 * stops at the first difference, so a comparison reads no further than the copies' strcmp
 * did and allocates nothing: sorting n words makes qsort's own allocations alone (none
 * below 1,024 bytes of pointers), where the copying comparator made two per comparison,
 * about 2 n log2 n in all. The tie-break stays: strcasecmp calls "Ab" and "aB" equal, and
 * without strcmp after it their order would be whatever qsort's algorithm left. */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int cmp_ci(const void *pa, const void *pb)
{
    const char *a = *(char *const *)pa, *b = *(char *const *)pb;
    int c = strcasecmp(a, b);

    return c != 0 ? c : strcmp(a, b); /* equal but for case: by the bytes */
}

void sort_ci(char **v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_ci);
}
