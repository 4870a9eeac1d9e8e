/* heavy.c: a fresh line from asprintf for every record, freed once written.
 * 2 allocations and 2 frees per record up to glibc 2.36 (asprintf: malloc, then malloc+free
 * or realloc), 1 and 1 from glibc 2.37. */
#include "benchmem.h"

#include <stdio.h>
#include <stdlib.h>

int heavy_format(const struct record *recs, size_t n, const struct benchmem_sink *out)
{
    int rc = 0;

    for (size_t i = 0; i < n; i++) {
        char *line = NULL;
        int len = asprintf(&line, BENCHMEM_FORMAT, BENCHMEM_ARGS(&recs[i]));

        if (len < 0) {
            rc = -1;
            break;
        }
        out->write(out->ctx, line, (size_t)len);
        free(line); /* and a new one for the next record */
    }
    return rc;
}
