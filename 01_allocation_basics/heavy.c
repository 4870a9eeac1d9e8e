/* heavy.c: collect the fields the allocation-heavy way: 3 allocations per line.
 * A fresh getline buffer per line, a strndup'd copy of every first field, and an array
 * that realloc grows by one element per line (O(n^2) bytes copied when it moves). */
#include "basics.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

int heavy_collect(FILE *in, struct fields *out)
{
    struct fields f = FIELDS_INIT;
    char *line = NULL;
    size_t size = 0;
    int rc = -1;

    for (;;) {
        free(line); /* a fresh buffer for every line: getline mallocs a new one */
        line = NULL;
        size = 0;
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
        char *user = strndup(line, ulen); /* the field as a string of its own */
        if (user == NULL)
            goto out;
        f.users = hash_fnv(f.users, user, ulen);
        free(user);
        int64_t bytes = comma != NULL ? strtoll(comma + 1, NULL, 10) : 0;
        if (vec_push(&f.bytes, bytes, VEC_BY_ONE) != 0) /* realloc to len + 1 */
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
