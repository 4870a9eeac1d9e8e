/* dirty_read.c: trusts a pooled buffer to come back zeroed. The pool tells memcheck that
 * a reused object's contents are undefined, so the branch on them at the marked line is
 * reported ("Conditional jump or move depends on uninitialised value(s)"). ASan checks
 * addresses, not contents, and stays silent: reading stale bytes is no address error. */
#include <stdio.h>
#include <string.h>

#include "pool.h"

int main(void)
{
    struct pool p;
    char *buf;

    pool_init(&p, &(struct pool_config){.size = 64, .cap = 4});
    buf = pool_get(&p);
    if (buf == NULL)
        return 1;
    memset(buf, 'x', 64); /* the last user's data */
    pool_put(&p, buf);
    buf = pool_get(&p);
    if (buf[10] == '\0') /* the bug: a pooled buffer is not calloc'd */
        puts("empty buffer");
    else
        puts("dirty buffer");
    pool_put(&p, buf);
    pool_destroy(&p);
    return 0;
}
