/* solution/exercise.c: the reference parser for exercise.h. Count first, allocate once,
 * then parse in place: strtoll reads each number where it lies and stops at the comma,
 * so no field is ever copied. One allocation per call, none for "". */
#include "exercise.h"

#include <stdlib.h>

int ints_parse(const char *text, struct ints *out)
{
    size_t count = 1;
    const char *p = text;
    int64_t *v;

    if (*text == '\0') {
        *out = (struct ints){NULL, 0};
        return 0;
    }
    for (const char *c = text; *c != '\0'; c++) /* the size first: commas + 1 numbers */
        count += *c == ',';
    v = malloc(count * sizeof *v); /* make([]int64, 0, count) */
    if (v == NULL)
        return -1;
    for (size_t i = 0; i < count; i++) {
        char *end;
        v[i] = strtoll(p, &end, 10); /* an empty field reads as 0, end == p */
        while (*end != ',' && *end != '\0')
            end++;
        p = end + (*end == ',');
    }
    *out = (struct ints){v, count};
    return 0;
}

void ints_free(struct ints *n)
{
    free(n->v);
    n->v = NULL;
    n->len = 0;
}
