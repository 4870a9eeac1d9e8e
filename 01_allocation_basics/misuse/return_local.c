/* return_local.c: the classic mistake, kept out of the build. label() returns the address
 * of its own stack buffer, which dies when label returns: reading it is undefined
 * behaviour. The README shows what gcc says about it (-Wall is enough). */
#include <stdio.h>

static char *label(unsigned id)
{
    char buf[16];

    snprintf(buf, sizeof buf, "user%06u", id);
    return buf;
}

int main(void)
{
    puts(label(42));
    return 0;
}
