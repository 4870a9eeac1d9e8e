/* use_after_fl_free.c: a reply read after its block went back to the free list
 * (freelist.h). freelist.c tells the tools which bytes fl_alloc handed out, so memcheck
 * reports "Invalid read ... inside a block of size 48 free'd" and ASan "use-after-poison",
 * both at the marked line (test_misuse.c runs it under both). */
#include <stdio.h>
#include <string.h>

#include "freelist.h"

int main(void)
{
    static _Alignas(16) char region[1024];
    struct fl a;
    char *reply, code;

    if (fl_init(&a, region, sizeof region) != 0)
        return 1;
    reply = fl_alloc(&a, 48);
    if (reply == NULL)
        return 1;
    strcpy(reply, "HTTP/1.1 404 Not Found");
    fl_free(&a, reply);
    code = reply[9]; /* the bug: the block is the free list's again */
    printf("code starts with %c\n", code);
    fl_destroy(&a);
    return 0;
}
