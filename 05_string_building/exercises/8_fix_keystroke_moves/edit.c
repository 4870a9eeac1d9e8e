/* edit.c: the editor's block (exercise.h): loading a text, growing a full gap, reading
 * the text back, freeing. The exercise is in exercise.c. */
#include "exercise.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int edit_init(struct edit *e, const char *text, size_t n)
{
    char *buf;

    if (n > SIZE_MAX - EDIT_ROOM || (buf = malloc(n + EDIT_ROOM)) == NULL)
        return -1;
    if (n > 0)
        memcpy(buf, text, n);
    *e = (struct edit){buf, n + EDIT_ROOM, n, n + EDIT_ROOM, n};
    return 0;
}

int edit_grow(struct edit *e)
{
    size_t after = e->cap - e->gap_end, cap;
    char *buf;

    if (e->cap > SIZE_MAX / 2 || (buf = malloc(cap = 2 * e->cap)) == NULL)
        return -1;
    memcpy(buf, e->buf, e->gap_start);
    memcpy(buf + cap - after, e->buf + e->gap_end, after);
    free(e->buf);
    e->buf = buf;
    e->gap_end = cap - after;
    e->cap = cap;
    return 0;
}

void edit_text(const struct edit *e, char *out)
{
    if (e->gap_start > 0)
        memcpy(out, e->buf, e->gap_start);
    if (e->cap > e->gap_end)
        memcpy(out + e->gap_start, e->buf + e->gap_end, e->cap - e->gap_end);
}

void edit_free(struct edit *e)
{
    if (e == NULL)
        return;
    free(e->buf);
    e->buf = NULL;
    e->cap = e->gap_start = e->gap_end = e->cursor = 0;
}
