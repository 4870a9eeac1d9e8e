/* light.c: collect the fields the allocation-light way: about log2(lines) allocations.
 * One getline buffer for the whole stream, every first field read where it lies, and an
 * array that doubles when full (each element copied about once on average). */
#include "basics.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

int light_collect(FILE *in, struct fields *out)
{
    struct fields f = FIELDS_INIT;
    char *line = NULL;
    size_t size = 0;
    int rc = -1;

    for (;;) {
        /* the same buffer for every line: getline mallocs once, grows it if a line is
         * longer, and reuses it otherwise */
        ssize_t n = getline(&line, &size, in);
        if (n < 0) {
            if (!feof(in)) /* not the end: getline ran out of memory */
                goto out;
            break;
        }
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        char *comma = memchr(line, ',', (size_t)n);
        size_t ulen = comma != NULL ? (size_t)(comma - line) : (size_t)n;
        const char *user = line; /* the field in place: a pointer and a length */
        f.users = hash_fnv(f.users, user, ulen);
        int64_t bytes = comma != NULL ? strtoll(comma + 1, NULL, 10) : 0;
        if (vec_push(&f.bytes, bytes, VEC_X2) != 0) /* doubles when full */
            goto out;
    }
    *out = f;
    f = (struct fields)FIELDS_INIT;
    rc = 0;
out:
    free(line);
    basics_fields_free(&f);
    return rc;
}
