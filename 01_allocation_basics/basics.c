/* basics.c: what heavy.c and light.c share: the input and the stream. */
#include "basics.h"

#include <stdlib.h>
#include <string.h>

#define LINE_FMT "user%06zu,%lld\n"

int64_t basics_bytes_of(size_t i)
{
    return (int64_t)((i * 7919u) % 100000u);
}

int basics_make_input(size_t n, char **text, size_t *len)
{
    size_t total = 0, at = 0;
    char *p;

    for (size_t i = 0; i < n; i++) /* measure first: snprintf(NULL, 0, ...) allocates nothing */
        total += (size_t)snprintf(NULL, 0, LINE_FMT, i % 1000, (long long)basics_bytes_of(i));
    p = malloc(total + 1); /* then allocate once, like make([]byte, 0, total) */
    if (p == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(p + at, total + 1 - at, LINE_FMT, i % 1000,
                               (long long)basics_bytes_of(i));
    p[total] = '\0';
    *text = p;
    *len = total;
    return 0;
}

FILE *basics_open(char *text, size_t len, char *buf, size_t bufsize)
{
    FILE *f;

    if (len == 0) /* fmemopen refuses a 0-byte buffer: read from the terminating NUL */
        text = "";
    f = fmemopen(text, len, "r");
    if (f == NULL)
        return NULL;
    if (setvbuf(f, buf, _IOFBF, bufsize) != 0) {
        fclose(f);
        return NULL;
    }
    return f;
}

void basics_fields_free(struct fields *f)
{
    vec_free(&f->bytes);
    f->users = HASH_FNV_START;
}

int basics_fields_equal(const struct fields *a, const struct fields *b)
{
    if (a->users != b->users || a->bytes.len != b->bytes.len)
        return 0;
    return a->bytes.len == 0 ||
           memcmp(a->bytes.v, b->bytes.v, a->bytes.len * sizeof *a->bytes.v) == 0;
}
