/* uninit.c: struct uninit_rec's layout, as the compiler made it, and three ways to write
 * one with its padding defined (uninit.h). */
#include "uninit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(f) {#f, offsetof(struct uninit_rec, f), sizeof(((struct uninit_rec *)0)->f)}

const struct uninit_field uninit_fields[UNINIT_NFIELDS] = {FIELD(tag), FIELD(value), FIELD(kind)};

size_t uninit_packed_size(void)
{
    size_t n = 0;

    for (size_t i = 0; i < UNINIT_NFIELDS; i++)
        n += uninit_fields[i].size;
    return n;
}

int uninit_is_padding(size_t i)
{
    for (size_t f = 0; f < UNINIT_NFIELDS; f++)
        if (i >= uninit_fields[f].offset && i < uninit_fields[f].offset + uninit_fields[f].size)
            return 0;
    return 1;
}

struct uninit_rec *uninit_new_zeroed(char tag, int64_t value, int16_t kind)
{
    struct uninit_rec *r = calloc(1, sizeof *r);

    if (r == NULL)
        return NULL;
    r->tag = tag;
    r->value = value;
    r->kind = kind;
    return r;
}

void uninit_set_cleared(struct uninit_rec *r, char tag, int64_t value, int16_t kind)
{
    memset(r, 0, sizeof *r);
    r->tag = tag;
    r->value = value;
    r->kind = kind;
}

int uninit_pack(const struct uninit_rec *r, unsigned char **out, size_t *len)
{
    size_t n = uninit_packed_size();
    unsigned char *buf = malloc(n);
    unsigned char *p = buf;

    if (buf == NULL) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(p, &r->tag, sizeof r->tag);
    p += sizeof r->tag;
    memcpy(p, &r->value, sizeof r->value);
    p += sizeof r->value;
    memcpy(p, &r->kind, sizeof r->kind);
    *out = buf;
    *len = n;
    return 0;
}
