/* child.c: see child.h. */
#include "child.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "procfs.h"

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

/* every part, in order, one way or the other; 0, or -1 */
static int transfer_parts(int fd, const struct child_part *parts, size_t n, int out)
{
    for (size_t i = 0; i < n; i++)
        if (transfer(fd, parts[i].p, parts[i].len, out) != 0)
            return -1;
    return 0;
}

int child_run_parts(int (*fn)(void *arg), void *arg, const struct child_part *parts, size_t n,
                    int *status)
{
    int fd[2], got;
    pid_t pid;

    *status = -1;
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
        _exit(fn(arg) == 0 && transfer_parts(fd[1], parts, n, 1) == 0 ? 0 : 1);
    }
    close(fd[1]);
    got = transfer_parts(fd[0], parts, n, 0); /* before waiting: the child may fill the pipe */
    close(fd[0]);
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR) {
            *status = -1;
            return -1;
        }
    }
    return got == 0 && WIFEXITED(*status) && WEXITSTATUS(*status) == 0 ? 0 : -1;
}

int child_run(int (*fn)(void *ctx), void *ctx, size_t len)
{
    struct child_part part = {ctx, len};
    int status;

    return child_run_parts(fn, ctx, &part, 1, &status);
}

struct capped {
    uint64_t slack;
    int (*attempt)(void *ctx);
    void *ctx;
    struct child_capped *out;
};

/* In the child: the limit, the attempt, VmSize on each side of it. */
static int capped(void *arg)
{
    struct capped *c = arg;
    struct rlimit lim;

    if ((c->out->size_before = procfs_status_bytes("\nVmSize:")) == 0)
        return -1;
    lim.rlim_cur = lim.rlim_max = c->out->size_before + c->slack;
    if (setrlimit(RLIMIT_AS, &lim) != 0)
        return -1;
    errno = 0;
    c->out->err = c->attempt(c->ctx) == 0 ? 0 : errno;
    c->out->size_after = procfs_status_bytes("\nVmSize:");
    return 0;
}

int child_run_capped(uint64_t slack, int (*attempt)(void *ctx), void *ctx, size_t len,
                     struct child_capped *out)
{
    struct capped c = {slack, attempt, ctx, out};
    struct child_part parts[2] = {{out, sizeof *out}, {ctx, len}};
    int status;

    return child_run_parts(capped, &c, parts, 2, &status);
}
