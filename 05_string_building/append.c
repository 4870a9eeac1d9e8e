/* append.c: see append.h. The two functions mirror each other line for line:
 * `diff` them, and what differs is where the end of the string comes from. */
#include "append.h"

#include <errno.h>
#include <string.h>

int append_strcat(char *buf, size_t cap, const struct strbuild_parts *in)
{
    if (cap == 0 || in->total > cap - 1) { /* room for every part and the terminator */
        errno = ERANGE;
        return -1;
    }
    buf[0] = '\0';
    for (size_t i = 0; i < in->n; i++)
        strcat(buf, in->s[i]); /* walks buf to its end, then copies the part */
    return 0;
}

int append_kept(char *buf, size_t cap, const struct strbuild_parts *in)
{
    size_t len = 0; /* the end of the string, kept */

    if (cap == 0 || in->total > cap - 1) { /* room for every part and the terminator */
        errno = ERANGE;
        return -1;
    }
    buf[0] = '\0';
    for (size_t i = 0; i < in->n; i++) {
        memcpy(buf + len, in->s[i], in->len[i]); /* the end is known: copies the part */
        len += in->len[i];
        buf[len] = '\0';
    }
    return 0;
}
