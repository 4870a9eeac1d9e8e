/* child.c: see child.h. */
#include "child.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

/* write or read all len bytes, through short transfers and signals; 0, or -1 */
static int transfer(int fd, void *buf, size_t len, int out)
{
    char *p = buf;

    while (len > 0) {
        ssize_t n = out ? write(fd, p, len) : read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int child_run(int (*fn)(void *ctx), void *ctx, size_t len)
{
    int fd[2], status, got;
    pid_t pid;

    if (pipe(fd) != 0)
        return -1;
    if ((pid = fork()) < 0) {
        int err = errno;
        close(fd[0]);
        close(fd[1]);
        errno = err;
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        _exit(fn(ctx) == 0 && transfer(fd[1], ctx, len, 1) == 0 ? 0 : 1);
    }
    close(fd[1]);
    got = transfer(fd[0], ctx, len, 0);  /* before waiting: the child may fill the pipe */
    close(fd[0]);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return got == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
