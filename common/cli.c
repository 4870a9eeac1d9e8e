/* cli.c: see cli.h. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
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

/* Split s (changed in place) at blanks into words[n..max); the new count, or -1 when
 * there are more than max words. */
static int split_words(char *s, char **words, int n, int max)
{
    char *save = NULL;

    for (char *w = strtok_r(s, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
        if (n == max)
            return -1;
        words[n++] = w;
    }
    return n;
}

/* NAME=value, NAME a shell variable's name: an assignment, not a command word. */
static int is_assignment(const char *w)
{
    const char *eq = strchr(w, '=');

    if (eq == NULL || eq == w || (*w >= '0' && *w <= '9'))
        return 0;
    for (const char *c = w; c < eq; c++)
        if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9')))
            return 0;
    return 1;
}

extern char **environ;

/* In the child, between fork and exec: stderr into the pipe, stdout to out_fd (or
 * /dev/null when it is -1), the environment with the assignments set (a copy in env[],
 * nothing allocated), then exec. */
static void exec_child(int err_fd, int out_fd, char **argv, char **assign, int nassign)
{
    enum { ENV_MAX = 1024 };
    char *env[ENV_MAX + 1];
    int n = 0;

    if (out_fd < 0)
        out_fd = open("/dev/null", O_WRONLY);
    if (out_fd < 0 || dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
        _exit(127);
    for (char **e = environ; *e != NULL && n < ENV_MAX - nassign; e++) {
        int replaced = 0;
        for (int i = 0; i < nassign; i++) {
            size_t len = (size_t)(strchr(assign[i], '=') - assign[i]) + 1;
            replaced |= strncmp(*e, assign[i], len) == 0;
        }
        if (!replaced)
            env[n++] = *e;
    }
    for (int i = 0; i < nassign; i++)
        env[n++] = assign[i];
    env[n] = NULL;
    execvpe(argv[0], argv, env);
    fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126); /* the shell's statuses for "not found", "cannot run" */
}

int cli_run_beside(const char *prefix, const char *prog, const char *args, char *out, size_t size)
{
    return cli_run_beside_fd(prefix, prog, args, -1, out, size);
}

int cli_run_beside_fd(const char *prefix, const char *prog, const char *args, int out_fd,
                      char *out, size_t size)
{
    enum { WORDS_MAX = 64 };
    char dir[4096], path[8192], pre[1024], arg[1024], drop[4096], *words[WORDS_MAX + 1];
    int n, npre, nassign = 0, fd[2], st;
    size_t used = 0;
    ssize_t got;
    pid_t pid;

    out[0] = '\0';
    if (cli_exe_dir(dir, sizeof dir) != 0)
        return -1;
    if (snprintf(path, sizeof path, "%s%s%s", prog[0] == '/' ? "" : dir, prog[0] == '/' ? "" : "/", prog) >=
            (int)sizeof path ||
        snprintf(pre, sizeof pre, "%s", prefix) >= (int)sizeof pre ||
        snprintf(arg, sizeof arg, "%s", args) >= (int)sizeof arg) {
        errno = ENAMETOOLONG;
        return -1;
    }
    /* words: PREFIX's (its NAME=value words first), the program, its arguments */
    n = npre = split_words(pre, words, 0, WORDS_MAX);
    if (n >= 0 && n < WORDS_MAX) {
        words[n++] = path;
        n = split_words(arg, words, n, WORDS_MAX);
    } else {
        n = -1;
    }
    if (n < 0) {
        errno = E2BIG;
        return -1;
    }
    words[n] = NULL;
    while (nassign < npre && is_assignment(words[nassign]))
        nassign++;

    if (pipe(fd) != 0)
        return -1;
    fflush(NULL); /* nothing buffered here is written twice by the child */
    if ((pid = fork()) < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        exec_child(fd[1], out_fd, words + nassign, words, nassign);
    }
    close(fd[1]);
    for (;;) { /* once out is full, the rest is read and dropped: no write to a closed pipe */
        int full = used + 1 >= size;

        got = read(fd[0], full ? drop : out + used, full ? sizeof drop : size - 1 - used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        if (!full)
            used += (size_t)got;
    }
    out[used] = '\0';
    close(fd[0]);
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
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
