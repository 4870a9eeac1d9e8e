/* use_after_put.c: a request handler that reads its buffer after giving it back to the
 * pool. The pool tells the tools, so memcheck reports "Invalid read" and ASan
 * "use-after-poison" at the marked line (test_misuse.c runs it under both). */
#include <stdio.h>
#include <string.h>

#include "pool.h"

int main(void)
{
    struct pool p;
    char *buf, status;

    pool_init(&p, &(struct pool_config){.size = 64, .cap = 4});
    buf = pool_get(&p);
    if (buf == NULL)
        return 1;
    strcpy(buf, "HTTP/1.1 200 OK");
    pool_put(&p, buf);
    status = buf[9]; /* the bug: buf belongs to the pool now */
    printf("status: %c..\n", status);
    pool_destroy(&p);
    return 0;
}
