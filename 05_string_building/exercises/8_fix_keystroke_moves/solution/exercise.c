/* solution/exercise.c: a gap buffer. The gap stays at the cursor: a keystroke writes the
 * gap's first byte and moves nothing; moving the cursor by D moves those D bytes across
 * the gap, once. In Go the same struct over a []byte; CPython's bytearray insert
 * (b[i:i] = b"x") moves the tail as the starter does. */
#include "exercise.h"

#include <string.h>

int edit_move(struct edit *e, size_t pos)
{
    if (pos > edit_len(e))
        return -1;
    if (pos < e->gap_start) { /* the bytes in [pos, gap_start) go to the gap's far side */
        size_t d = e->gap_start - pos;

        memmove(e->buf + e->gap_end - d, e->buf + pos, d);
        e->gap_start -= d;
        e->gap_end -= d;
    } else if (pos > e->gap_start) { /* the d bytes after the gap come before it */
        size_t d = pos - e->gap_start;

        memmove(e->buf + e->gap_start, e->buf + e->gap_end, d);
        e->gap_start += d;
        e->gap_end += d;
    }
    e->cursor = pos;
    return 0;
}

int edit_insert(struct edit *e, char c)
{
    if (e->gap_start == e->gap_end && edit_grow(e) != 0)
        return -1; /* the text and the cursor as they were */
    e->buf[e->gap_start++] = c; /* the cursor is the gap's start */
    e->cursor++;
    return 0;
}
