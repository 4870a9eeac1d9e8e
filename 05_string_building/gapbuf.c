/* gapbuf.c: the text of gapbuf.h, edited at a cursor as a plain array (the gap kept at the
 * end) or as a gap buffer (the gap kept at the cursor), every byte moved counted. */
#include "gapbuf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int gapbuf_init(struct gapbuf *g, enum gap_way way, const char *text, size_t n, size_t room)
{
    char *buf;

    if (room == 0) {
        errno = EINVAL;
        return -1;
    }
    if (n > SIZE_MAX - room) {
        errno = EOVERFLOW;
        return -1;
    }
    if ((buf = malloc(n + room)) == NULL)
        return -1;
    if (n > 0)
        memcpy(buf, text, n);
    *g = (struct gapbuf){way, buf, n + room, n, n + room, n, 0, 0, 0};
    return 0;
}

/* A full gap: a block twice the size, the text before the gap at its start and the text
 * after it at its end, the old block freed. 0, or -1 with g as it was. */
static int grow(struct gapbuf *g)
{
    size_t after = g->cap - g->gap_end, cap;
    char *buf;

    if (g->cap > SIZE_MAX / 2) {
        errno = EOVERFLOW;
        return -1;
    }
    cap = 2 * g->cap;
    if ((buf = malloc(cap)) == NULL)
        return -1;
    memcpy(buf, g->buf, g->gap_start);
    memcpy(buf + cap - after, g->buf + g->gap_end, after);
    free(g->buf);
    g->copied += g->gap_start + after;
    g->grows++;
    g->buf = buf;
    g->gap_end = cap - after;
    g->cap = cap;
    return 0;
}

int gapbuf_move(struct gapbuf *g, size_t pos)
{
    if (pos > gapbuf_len(g)) {
        errno = EINVAL;
        return -1;
    }
    if (g->way == GAP_ARRAY) { /* the text is whole: a cursor is only a number */
        g->cursor = pos;
        return 0;
    }
    if (pos < g->gap_start) { /* the bytes in [pos, gap_start) go to the gap's far side */
        size_t d = g->gap_start - pos;

        memmove(g->buf + g->gap_end - d, g->buf + pos, d);
        g->gap_start -= d;
        g->gap_end -= d;
        g->moved += d;
    } else if (pos > g->gap_start) { /* the d bytes after the gap come before it */
        size_t d = pos - g->gap_start;

        memmove(g->buf + g->gap_start, g->buf + g->gap_end, d);
        g->gap_start += d;
        g->gap_end += d;
        g->moved += d;
    }
    g->cursor = pos;
    return 0;
}

int gapbuf_insert(struct gapbuf *g, char c)
{
    if (g->gap_start == g->gap_end && grow(g) != 0)
        return -1;
    if (g->way == GAP_ARRAY) { /* open a hole at the cursor: the tail one byte on */
        size_t tail = g->gap_start - g->cursor;

        memmove(g->buf + g->cursor + 1, g->buf + g->cursor, tail);
        g->moved += tail;
    }
    g->buf[g->cursor++] = c; /* buffer: cursor == gap_start, the gap's first byte */
    g->gap_start++;
    return 0;
}

int gapbuf_backspace(struct gapbuf *g)
{
    if (g->cursor == 0) {
        errno = EINVAL;
        return -1;
    }
    if (g->way == GAP_ARRAY) { /* close the hole: the tail one byte back */
        size_t tail = g->gap_start - g->cursor;

        memmove(g->buf + g->cursor - 1, g->buf + g->cursor, tail);
        g->moved += tail;
    }
    g->cursor--;
    g->gap_start--; /* buffer: the byte before the gap joins it */
    return 0;
}

void gapbuf_text(const struct gapbuf *g, char *out)
{
    if (g->gap_start > 0)
        memcpy(out, g->buf, g->gap_start);
    if (g->cap > g->gap_end)
        memcpy(out + g->gap_start, g->buf + g->gap_end, g->cap - g->gap_end);
}

void gapbuf_free(struct gapbuf *g)
{
    if (g == NULL)
        return;
    free(g->buf);
    g->buf = NULL;
    g->cap = g->gap_start = g->gap_end = g->cursor = 0;
}
