/* padding_leak.c: struct uninit_rec (uninit.h) from malloc, its three fields set one by
 * one, then written whole to /dev/null. The fields are defined; the padding the compiler
 * put between and after them is whatever the block held before, and write() sends it too.
 * memcheck reports "Syscall param write(buf) points to uninitialised byte(s)" at the line
 * marked "uninit: write", and names the first such byte by its offset in the block made
 * on the line marked "uninit: origin" (--track-origins=yes names that line as the origin).
 * Built at -O0 on glibc's malloc; make uninit-01 and test_uninit.c run it under memcheck. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "uninit.h"

int main(void)
{
    struct uninit_rec *r = malloc(sizeof *r); /* uninit: origin */
    int fd = open("/dev/null", O_WRONLY);
    ssize_t n;

    if (r == NULL || fd < 0) {
        free(r);
        return 1;
    }
    r->tag = 'A';
    r->value = 42;
    r->kind = 7;
    n = write(fd, r, sizeof *r); /* uninit: write */
    close(fd);
    free(r);
    return n == (ssize_t)sizeof *r ? 0 : 1;
}
