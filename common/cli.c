/* cli.c: see cli.h. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "countalloc.h"
#include "report.h"

uint64_t cli_u64(const char *prog, const char *name, const char *arg, uint64_t min, uint64_t max)
{
    uint64_t v = 0;
    int digits = 0;
    const char *s = arg;

    for (; s != NULL && *s != '\0'; s++) {
        if (*s == ',' || *s == '_')
            continue;
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
            break;
        v = v * 10 + (uint64_t)(*s - '0');
        digits++;
    }
    if (arg == NULL || *s != '\0' || digits == 0 || v < min || v > max) {
        char lo[32], hi[32];
        fprintf(stderr, "%s: %s must be a whole number from %s to %s, got '%s'\n", prog, name,
                report_count(min, lo, sizeof lo), report_count(max, hi, sizeof hi),
                arg == NULL ? "" : arg);
        exit(2);
    }
    return v;
}

int cli_side(int argc, char **argv, bool *heavy, bool *light)
{
    *heavy = argc < 2 || strcmp(argv[1], "--light") != 0;
    *light = argc < 2 || strcmp(argv[1], "--heavy") != 0;
    return *heavy && *light ? 1 : 2;
}

bool cli_flag(int argc, char **argv, const char *flag)
{
    return argc >= 2 && strcmp(argv[1], flag) == 0;
}

void cli_max_args(const char *prog, int argc, int max_args, const char *usage)
{
    if (argc > max_args + 1) {
        fprintf(stderr, "%s: too many arguments (usage: %s %s)\n", prog, prog, usage);
        exit(2);
    }
}

_Noreturn void cli_oom(const char *prog, const char *what)
{
    fprintf(stderr, "%s: out of memory while %s\n", prog, what);
    exit(1);
}

int cli_exe_path(char *path, size_t size)
{
    ssize_t len;

    if (size < 2) {
        errno = ENAMETOOLONG;
        return -1;
    }
    len = readlink("/proc/self/exe", path, size);
    if (len < 0)
        return -1;
    if ((size_t)len == size) { /* readlink truncates without saying so */
        errno = ENAMETOOLONG;
        return -1;
    }
    path[len] = '\0';
    return 0;
}

int cli_exe_dir(char *dir, size_t size)
{
    char *slash;

    if (cli_exe_path(dir, size) != 0)
        return -1;
    slash = strrchr(dir, '/');
    if (slash == NULL) { /* the kernel gives an absolute path; anything else is not one */
        errno = ENOENT;
        return -1;
    }
    slash[slash == dir ? 1 : 0] = '\0'; /* a program in / keeps its "/" */
    return 0;
}

int cli_run_beside(const char *prefix, const char *prog, const char *args, char *out, size_t size)
{
    char dir[4096], cmd[8192];
    size_t used = 0, got;
    FILE *p;
    int st;

    out[0] = '\0';
    if (cli_exe_dir(dir, sizeof dir) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "%s '%s/%s' %s 2>&1 >/dev/null", prefix, dir, prog, args);
    if ((p = popen(cmd, "r")) == NULL)
        return -1;
    while (used + 1 < size && (got = fread(out + used, 1, size - 1 - used, p)) > 0)
        used += got;
    out[used] = '\0';
    while (fread(cmd, 1, sizeof cmd, p) > 0) /* the rest read and dropped: no SIGPIPE */
        ;
    st = pclose(p);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int cli_own_lines(const char *out, const char **first)
{
    int n = 0;

    if (first != NULL)
        *first = "";
    for (const char *s = out; *s != '\0';) {
        const char *nl = strchr(s, '\n');

        if (strncmp(s, "==", 2) != 0 && n++ == 0 && first != NULL)
            *first = s;
        if (nl == NULL)
            break;
        s = nl + 1;
    }
    return n;
}

static const char *close_prog; /* the program named in the write error */
static int flush_errno;         /* why cli_flush_stdout's flush failed, for the message */

static void close_stdout(void)
{
    int earlier = ferror(stdout); /* a write that failed before exit, already lost */

    errno = 0;
    if (fclose(stdout) != 0 || earlier) {
        if (errno == 0)
            errno = flush_errno;
        if (errno != 0)
            fprintf(stderr, "%s: write error: %s\n", close_prog, strerror(errno));
        else
            fprintf(stderr, "%s: write error\n", close_prog);
        _exit(1); /* exit() again from an atexit handler is undefined */
    }
}

void cli_close_stdout_at_exit(const char *prog)
{
    if (close_prog != NULL) /* registered already: stdout is closed once */
        return;
    close_prog = prog;
    if (atexit(close_stdout) != 0) {
        fprintf(stderr, "%s: cannot register the check of stdout at exit\n", prog);
        exit(1);
    }
}

void cli_flush_stdout(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return;
    flush_errno = errno;
    if (close_prog == NULL) /* no check at exit registered to say it */
        fprintf(stderr, "write error: %s\n", strerror(errno));
    exit(1); /* close_stdout says "prog: write error: REASON" */
}
