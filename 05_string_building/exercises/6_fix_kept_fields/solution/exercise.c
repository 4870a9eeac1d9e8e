/* solution/exercise.c: the fields copied out. One packed block per message holds its
 * KEEP_FIELDS fields, each with a '\0', and the message is freed: one allocation and one
 * free per message, KEEP_PACKED_SIZE bytes kept whatever the message's size. In Go,
 * strings.Clone (Go 1.20) or string([]byte(sub)); in Python, bytes(view). */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>

int keep_fields(struct store *st, char *msg, size_t len)
{
    struct kept_msg *e;
    char *packed;

    if (st->count == st->cap || len < KEEP_FIELDS * KEEP_FIELD_LEN)
        return -1;
    if ((packed = malloc(KEEP_PACKED_SIZE)) == NULL)
        return -1; /* nothing taken: the store and msg as they were */
    e = &st->msgs[st->count];
    for (size_t j = 0; j < KEEP_FIELDS; j++) {
        char *dst = packed + j * (KEEP_FIELD_LEN + 1);

        memcpy(dst, msg + keep_field_offset(len, j), KEEP_FIELD_LEN);
        dst[KEEP_FIELD_LEN] = '\0';
        e->field[j] = (struct kept_field){dst, KEEP_FIELD_LEN};
    }
    e->block = packed;
    free(msg);
    st->count++;
    return 0;
}
