/* views.c: the allocator's and the operating system's view of memory, read without
 * allocating: mallinfo2() fills a struct, /proc/self/status is read into a stack buffer
 * (common/procfs.h; fopen would allocate, and disturb the program's view). */
#include "memstats.h"

#include <malloc.h>
#include <sys/resource.h>

#include "procfs.h"

int views_read(struct views *v)
{
    char status[8192];
    struct mallinfo2 mi;
    struct rusage ru;

    countalloc_read(&v->program);
    mi = mallinfo2();
    v->allocator = (struct view_allocator){
        .arena = mi.arena,
        .in_use = mi.uordblks,
        .free = mi.fordblks,
        .mmapped = mi.hblkhd,
        .top_pad = mi.keepcost,
    };
    if (procfs_read("/proc/self/status", status, sizeof status) != 0)
        return -1;
    getrusage(RUSAGE_SELF, &ru);
    v->os = (struct view_os){
        .rss = procfs_kib(status, "\nVmRSS:"),
        .hwm = procfs_kib(status, "\nVmHWM:"),
        .maxrss = (uint64_t)ru.ru_maxrss * 1024,
        .minflt = (uint64_t)ru.ru_minflt,
        .majflt = (uint64_t)ru.ru_majflt,
    };
    return 0;
}
