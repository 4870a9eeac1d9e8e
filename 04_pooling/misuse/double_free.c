/* double_free.c: two owners both free the same block. glibc alone may notice (its tcache
 * check aborts with "free(): double free detected") or may not, and corrupt the heap;
 * memcheck reports "Invalid free()" and ASan "attempting double-free", both at the marked
 * line, with the stack of the first free beside it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct conn {
    char *buf; /* borrowed by the log line below, owned by the connection */
};

int main(void)
{
    struct conn c = {malloc(32)};
    char *log_line;

    if (c.buf == NULL)
        return 1;
    strcpy(c.buf, "closing");
    log_line = c.buf; /* a second pointer, not a second owner */
    printf("%s\n", log_line);
    free(log_line);
    free(c.buf); /* the bug: the same block, freed again */
    return 0;
}
