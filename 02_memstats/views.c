/* views.c: the allocator's and the operating system's view of memory, read without
 * allocating: mallinfo2() fills a struct, /proc/self/status is read into a stack buffer
 * with read(2) (fopen would allocate 472 bytes and disturb the program's view). */
#include "memstats.h"

#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The number after "Key:" in /proc/self/status, in kB, as bytes; 0 if absent. */
static uint64_t status_kib(const char *status, const char *key)
{
    const char *at = strstr(status, key);

    return at != NULL ? strtoull(at + strlen(key), NULL, 10) * 1024 : 0;
}

int views_read(struct views *v)
{
    char status[8192];
    struct mallinfo2 mi;
    struct rusage ru;
    ssize_t len = 0, got;
    int fd;

    countalloc_read(&v->program);
    mi = mallinfo2();
    v->allocator = (struct view_allocator){
        .arena = mi.arena,
        .in_use = mi.uordblks,
        .free = mi.fordblks,
        .mmapped = mi.hblkhd,
        .top_pad = mi.keepcost,
    };
    fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    while ((got = read(fd, status + len, sizeof status - 1 - (size_t)len)) > 0)
        len += got;
    close(fd);
    if (got < 0)
        return -1;
    status[len] = '\0';
    getrusage(RUSAGE_SELF, &ru);
    v->os = (struct view_os){
        .rss = status_kib(status, "\nVmRSS:"),
        .hwm = status_kib(status, "\nVmHWM:"),
        .maxrss = (uint64_t)ru.ru_maxrss * 1024,
        .minflt = (uint64_t)ru.ru_minflt,
        .majflt = (uint64_t)ru.ru_majflt,
    };
    return 0;
}
