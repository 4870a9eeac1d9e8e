/* use_after_free.c: a handler that reads a request after freeing it: the bug pools make
 * invisible (use_after_put.c), here with plain malloc, which both tools watch without
 * help. memcheck says "Invalid read ... inside a block of size 64 free'd", ASan
 * "heap-use-after-free", both at the marked line (test_misuse.c runs it under both). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *req = malloc(64), method;

    if (req == NULL)
        return 1;
    strcpy(req, "GET /index.html HTTP/1.1");
    free(req);
    method = req[0]; /* the bug: the block went back to malloc */
    printf("method starts with %c\n", method);
    return 0;
}
