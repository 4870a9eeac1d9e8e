/* leak_kinds.c: one block of each kind memcheck's leak checker tells apart, each a
 * different size so the reports can be read side by side (make misuse-04):
 *   definitely lost    16 B: nothing points at it any more
 *   indirectly lost   200 B: only the definitely lost block points at it
 *   possibly lost     300 B: only a pointer into its middle is left
 *   still reachable   400 B: a global points at its start at exit
 * LeakSanitizer reports the first two (Direct, Indirect) and counts a pointer into a
 * block as a reference, so it is silent on the other two. Built at -O0, so every pointer
 * the comments name is really in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct owner {
    char *name; /* 200 bytes that only this struct points at */
    size_t len;
};

static char *cache;    /* still reachable: the start of a live block */
static char *cursor;   /* possibly lost: the middle of a block, not its start */

static void make_owner(void)
{
    struct owner *o = malloc(sizeof *o);

    if (o == NULL)
        exit(1);
    o->name = malloc(200);
    if (o->name == NULL)
        exit(1);
    o->len = 0;
} /* the bug: o goes out of scope, and with it the only pointer to both blocks */

int main(void)
{
    char *buf;

    make_owner();
    buf = malloc(300);
    cache = malloc(400);
    if (buf == NULL || cache == NULL)
        return 1;
    memset(buf, 'x', 300);
    cursor = buf + 100; /* a parser's position inside the buffer */
    buf = NULL;         /* ...and the buffer's own pointer dropped */
    printf("parsed up to %c\n", *cursor);
    return 0;
}
