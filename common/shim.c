/* shim.c: the at-exit report of countalloc, always on in build/libcountalloc.so (the
 * LD_PRELOAD form), and on in any program of this repository when COUNTALLOC_REPORT=1 or
 * COUNTALLOC_OUT is set:
 *
 *   LD_PRELOAD=build/libcountalloc.so sort big.txt > /dev/null
 *   countalloc: total heap usage: 1,234 allocs, 1,230 frees, 56,789 bytes allocated
 *   countalloc: in use at exit: 4,096 bytes in 4 blocks
 *   countalloc: peak: 20,480 bytes in use
 *
 * The lines go to stderr, or to the file named by COUNTALLOC_OUT, where %p stands for
 * the process id (as in valgrind --log-file), so that a program that starts others
 * (gcc, make) leaves one report per process. Programs that leave through _exit() or a
 * fatal signal skip destructors and print nothing. Before the report, libc's and
 * libstdc++'s lifetime buffers are freed as memcheck frees them, so every figure equals
 * memcheck's heap summary (tools/crosscheck.sh checks it, threaded programs included). Nothing here allocates: stderr is
 * duplicated at start (some programs close fd 2 before exiting) and the report is
 * written with write(2). */
#include "countalloc.h"
#include "report.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int report_fd = -1; /* a private copy of stderr, taken at start */

__attribute__((constructor(110))) static void shim_init(void)
{
    report_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
}

/* Copy s to buf, with every "%p" replaced by the process id. */
static void expand_path(const char *s, char *buf, size_t size)
{
    char pid[32];
    size_t len = 0;

    report_count((uint64_t)getpid(), pid, sizeof pid);
    for (char *c = pid, *d = pid; (*d = *c) != '\0'; c++) /* drop the commas */
        d += *c != ',';
    for (; *s != '\0' && len + 1 < size; s++) {
        if (s[0] == '%' && s[1] == 'p') {
            size_t n = strlen(pid);
            if (len + n + 1 >= size)
                break;
            memcpy(buf + len, pid, n);
            len += n;
            s++;
        } else {
            buf[len++] = *s;
        }
    }
    buf[len] = '\0';
}

/* What memcheck does before its report (--run-cxx-freeres and --run-libc-freeres, both
 * on by default): libstdc++ and glibc free the buffers they keep for the life of the
 * process (the C++ exception pool, stdio buffers, the stacks and thread vectors of joined
 * threads, locale data). Only when no other thread is still counting: a running thread
 * may still be using them. The report then says what the program itself left. */
void __libc_freeres(void);
void _ZN9__gnu_cxx9__freeresEv(void) __attribute__((weak)); /* __gnu_cxx::__freeres() */

static void release_libc_buffers(void)
{
    if (countalloc_other_threads() != 0)
        return;
    if (_ZN9__gnu_cxx9__freeresEv != NULL)
        _ZN9__gnu_cxx9__freeresEv();
    __libc_freeres();
}

static void put(char *line, size_t *len, size_t size, const char *s)
{
    size_t n = strlen(s);

    if (*len + n < size) {
        memcpy(line + *len, s, n);
        *len += n;
    }
}

static const char *num(uint64_t v, char *buf, size_t size)
{
    return report_count(v, buf, size);
}

__attribute__((destructor(110))) static void shim_report(void)
{
    struct countalloc_stats s;
    const char *out = getenv("COUNTALLOC_OUT");
    char text[512], a[32], b[32], c[32];
    size_t len = 0;
    int fd = report_fd;

#ifndef COUNTALLOC_SHIM
    const char *on = getenv("COUNTALLOC_REPORT");
    if ((on == NULL || strcmp(on, "1") != 0) && out == NULL)
        return;
#endif
    release_libc_buffers();
    countalloc_read(&s);
    put(text, &len, sizeof text, "countalloc: total heap usage: ");
    put(text, &len, sizeof text, num(s.mallocs, a, sizeof a));
    put(text, &len, sizeof text, " allocs, ");
    put(text, &len, sizeof text, num(s.frees, b, sizeof b));
    put(text, &len, sizeof text, " frees, ");
    put(text, &len, sizeof text, num(s.total_alloc, c, sizeof c));
    put(text, &len, sizeof text, " bytes allocated\ncountalloc: in use at exit: ");
    put(text, &len, sizeof text, num((uint64_t)s.heap_alloc, a, sizeof a));
    put(text, &len, sizeof text, " bytes in ");
    put(text, &len, sizeof text, num((uint64_t)s.heap_objects, b, sizeof b));
    put(text, &len, sizeof text, " blocks\ncountalloc: peak: ");
    put(text, &len, sizeof text, num((uint64_t)s.peak, c, sizeof c));
    put(text, &len, sizeof text, " bytes in use\n");

    if (out != NULL && *out != '\0') {
        char path[4096];
        expand_path(out, path, sizeof path);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    if (fd < 0)
        fd = STDERR_FILENO;
    for (size_t done = 0; done < len;) {
        ssize_t w = write(fd, text + done, len - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    if (fd != report_fd && fd != STDERR_FILENO)
        close(fd);
}
