/* retain.c: the store of retain.h: k fields kept out of each message, as views into the
 * message's buffer or as one packed copy per message. */
#include "retain.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int retain_init(struct retain *st, enum retain_way way, size_t m, size_t s, size_t k)
{
    struct retain_msg *msgs;

    if (m == 0 || k == 0 || k > RETAIN_K_MAX || s < k * RETAIN_FIELD_LEN) {
        errno = EINVAL;
        return -1;
    }
    if (m > SIZE_MAX / sizeof *msgs) {
        errno = ENOMEM;
        return -1;
    }
    if ((msgs = malloc(m * sizeof *msgs)) == NULL)
        return -1;
    *st = (struct retain){way, s, k, m, 0, msgs};
    return 0;
}

void retain_message(size_t i, char *buf, size_t s, size_t k)
{
    char f[RETAIN_FIELD_LEN + 1];

    for (size_t p = 0; p < s; p++)
        buf[p] = (char)('a' + (i + p) % 26);
    /* the fields a reader wants, at fixed places: "msg000042-field1", 16 bytes each */
    for (size_t j = 0; j < k; j++) {
        snprintf(f, sizeof f, "msg%06u-field%u", (unsigned)(i % 1000000), (unsigned)(j % 10));
        memcpy(buf + retain_field_offset(s, k, j), f, RETAIN_FIELD_LEN);
    }
}

int retain_read(struct retain *st)
{
    struct retain_msg *e;
    char *buf, *packed;

    if (st->count == st->cap) {
        errno = ENOSPC;
        return -1;
    }
    e = &st->msgs[st->count];
    if ((buf = malloc(st->size)) == NULL) /* the message, as a reader hands it over */
        return -1;
    retain_message(st->count, buf, st->size, st->k);
    if (st->way == RETAIN_VIEWS) {
        /* a pointer and a length each: the buffer stays as long as any field does */
        for (size_t j = 0; j < st->k; j++)
            e->field[j] = (struct retain_view){buf + retain_field_offset(st->size, st->k, j),
                                               RETAIN_FIELD_LEN};
        e->block = buf;
        st->count++;
        return 0;
    }
    /* one packed block for the k fields, then the message goes */
    if ((packed = malloc(retain_packed_size(st->k))) == NULL) {
        free(buf);
        return -1;
    }
    for (size_t j = 0; j < st->k; j++) {
        char *dst = packed + j * (RETAIN_FIELD_LEN + 1);

        memcpy(dst, buf + retain_field_offset(st->size, st->k, j), RETAIN_FIELD_LEN);
        dst[RETAIN_FIELD_LEN] = '\0';
        e->field[j] = (struct retain_view){dst, RETAIN_FIELD_LEN};
    }
    free(buf);
    e->block = packed;
    st->count++;
    return 0;
}

const char *retain_field(const struct retain *st, size_t i, size_t j, size_t *len)
{
    *len = st->msgs[i].field[j].len;
    return st->msgs[i].field[j].p;
}

void retain_free(struct retain *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < st->count; i++)
        free(st->msgs[i].block);
    free(st->msgs);
    st->msgs = NULL;
    st->count = st->cap = 0;
}
