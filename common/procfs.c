/* procfs.c: see procfs.h. */
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

int procfs_read(const char *path, char *buf, size_t size)
{
    ssize_t got = 0;
    size_t len = 0;
    int fd;

    if (size < 1) {
        errno = EINVAL;
        return -1;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    while (len < size - 1 && (got = read(fd, buf + len, size - 1 - len)) > 0)
        len += (size_t)got;
    if (got < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    close(fd);
    buf[len] = '\0';
    return 0;
}

uint64_t procfs_kib(const char *text, const char *key)
{
    const char *at = strstr(text, key);

    return at != NULL ? strtoull(at + strlen(key), NULL, 10) * 1024 : 0;
}

uint64_t procfs_status_bytes(const char *key)
{
    char status[8192];

    return procfs_read("/proc/self/status", status, sizeof status) == 0 ? procfs_kib(status, key) : 0;
}

int procfs_self_vm(uint64_t *size, uint64_t *rss)
{
    char status[8192];

    *size = *rss = 0;
    if (procfs_read("/proc/self/status", status, sizeof status) != 0)
        return -1;
    *size = procfs_kib(status, "\nVmSize:");
    *rss = procfs_kib(status, "\nVmRSS:");
    return 0;
}

/* Whether line is a mapping's address line ("start-end perms ..."): its range if so. */
static int address_line(const char *line, uintptr_t *start, uintptr_t *end)
{
    char *after;

    *start = (uintptr_t)strtoull(line, &after, 16);
    if (after == line || *after != '-')
        return 0;
    line = after + 1;
    *end = (uintptr_t)strtoull(line, &after, 16);
    return after != line && *after == ' ';
}

int procfs_mapping(const char *path, const void *addr, char *buf, size_t size)
{
    char piece[4096]; /* a line of smaps is far shorter */
    size_t have = 0, len = 0;
    int fd, inside = 0, found = 0, err = 0;
    ssize_t got = 0;

    if (size < 1) {
        errno = EINVAL;
        return -1;
    }
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    while (!err && (got = read(fd, piece + have, sizeof piece - 1 - have)) > 0) {
        char *line = piece, *nl = NULL;

        have += (size_t)got;
        piece[have] = '\0';
        while (!err && (nl = strchr(line, '\n')) != NULL) {
            size_t n = (size_t)(nl - line) + 1;
            uintptr_t start, end;

            if (address_line(line, &start, &end)) {
                if (found)
                    break; /* the next mapping: done */
                inside = found = (uintptr_t)addr >= start && (uintptr_t)addr < end;
            }
            if (inside) {
                if (len + n >= size)
                    err = ERANGE;
                else {
                    memcpy(buf + len, line, n);
                    len += n;
                }
            }
            line = nl + 1;
        }
        if (found && nl != NULL)
            break;
        have = strlen(line);
        memmove(piece, line, have);
        if (have == sizeof piece - 1)
            err = ERANGE; /* a line longer than a piece: not smaps */
    }
    if (!err && got < 0)
        err = errno;
    close(fd);
    if (!err && !found)
        err = ENOENT;
    if (err) {
        errno = err;
        return -1;
    }
    buf[len] = '\0';
    return 0;
}

uint64_t procfs_minor_faults(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (uint64_t)ru.ru_minflt;
}

uint64_t procfs_thread_minor_faults(void)
{
    struct rusage ru;

    return getrusage(RUSAGE_THREAD, &ru) == 0 ? (uint64_t)ru.ru_minflt : 0;
}

int procfs_thp_off(void)
{
    int was = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);

    if (was == 0)
        prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
    return was;
}

void procfs_thp_restore(int was)
{
    if (was == 0)
        prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
}
