/* profrun.c: see profrun.h. */
#include "profrun.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "cli.h"
#include "countalloc.h"

#define PROFRUN_MAX_ARGS 32
#define PROFRUN_LINE_MAX 1024

/* 1 if `name` is an executable file in a directory of $PATH. */
static int in_path(const char *name)
{
    const char *path = getenv("PATH");
    char file[PROFRUN_LINE_MAX];

    if (path == NULL)
        return 0;
    while (*path != '\0') {
        size_t len = strcspn(path, ":");
        if (len > 0 && len + strlen(name) + 2 <= sizeof file) {
            memcpy(file, path, len);
            file[len] = '/';
            strcpy(file + len + 1, name);
            if (access(file, X_OK) == 0)
                return 1;
        }
        path += len;
        if (*path == ':')
            path++;
    }
    return 0;
}

int profrun_available(char *why, size_t size)
{
    const char *reason = NULL;

    if (RUNNING_ON_VALGRIND)
        reason = "this program already runs under Valgrind, and its tools do not nest";
    else if (!countalloc_can_inject())
        reason = "a sanitizer build cannot run under Valgrind";
    else if (!in_path("valgrind"))
        reason = "valgrind is not installed (make deps installs it)";
    if (reason == NULL)
        return 0;
    snprintf(why, size, "%s", reason);
    return -1;
}

int profrun_run(const char *const *args, const char *prog, const char *const *prog_args,
                const char *value, const char *log)
{
    char exe[PROFRUN_LINE_MAX];
    const char *argv[2 * PROFRUN_MAX_ARGS + 3];
    size_t argc = 0;
    int status;
    pid_t pid;

    if (prog == NULL) {
        if (cli_exe_path(exe, sizeof exe) != 0)
            return -1;
        prog = exe;
    }
    argv[argc++] = "valgrind";
    for (size_t i = 0; args[i] != NULL; i++) {
        if (i >= PROFRUN_MAX_ARGS)
            return -1;
        argv[argc++] = args[i];
    }
    argv[argc++] = prog;
    for (size_t i = 0; prog_args != NULL && prog_args[i] != NULL; i++) {
        if (i >= PROFRUN_MAX_ARGS)
            return -1;
        argv[argc++] = prog_args[i];
    }
    argv[argc] = NULL;
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd;

        /* The tool's run is not the program under fault injection: neither the countdown
         * this process inherited nor COUNTALLOC_FAIL_AT reaches it. */
        countalloc_fail_off();
        unsetenv("COUNTALLOC_FAIL_AT");
        unsetenv("COUNTALLOC_FAIL_REPEAT");
        fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 ||
            (value != NULL && setenv(PROFRUN_ENV, value, 1) != 0))
            _exit(127);
        execvp("valgrind", (char *const *)argv);
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int profrun_self(const char *const *args, const char *value, const char *log)
{
    return profrun_run(args, NULL, NULL, value, log);
}

/* The number after "key=" at the start of line, into *v. 1 if the line was that key. */
static int key_u64(const char *line, const char *key, uint64_t *v)
{
    size_t n = strlen(key);

    if (strncmp(line, key, n) != 0 || line[n] != '=')
        return 0;
    *v = strtoull(line + n + 1, NULL, 10);
    return 1;
}

/* A tree line "<depth spaces>nK: BYTES 0xADDR: func (file.c:12)" into *b: its depth
 * (1 for a top-level branch), or 0 if it is no branch (the root, or a threshold line
 * "... in 3 places, below massif's threshold"). */
static int branch(const char *line, struct profrun_branch *b)
{
    const char *at, *func, *open, *close;
    size_t len;
    int depth = 0;

    while (line[depth] == ' ')
        depth++;
    if (depth == 0 || line[depth] != 'n')
        return 0;
    at = strchr(line, ':');
    if (at == NULL)
        return 0;
    b->bytes = strtoull(at + 1, NULL, 10);
    func = strstr(at + 1, ": ");
    if (func == NULL || strstr(at + 1, " 0x") == NULL)
        return 0;
    func += 2;
    open = strstr(func, " (");
    if (open == NULL)
        return 0;
    len = (size_t)(open - func);
    snprintf(b->func, sizeof b->func, "%.*s", (int)len, func);
    close = strrchr(open, ')');
    if (close == NULL)
        close = open + strlen(open);
    len = (size_t)(close - (open + 2));
    if (strncmp(open + 2, "in ", 3) == 0) { /* "(in /usr/lib/libc.so.6)": no line */
        open += 3;
        len -= 3;
    }
    snprintf(b->where, sizeof b->where, "%.*s", (int)len, open + 2);
    return depth;
}

int profrun_massif_read(const char *path, struct profrun_massif *m)
{
    char line[PROFRUN_LINE_MAX];
    FILE *f = fopen(path, "r");
    struct profrun_snapshot *s = NULL;
    int in_peak = 0, ok = 0, path_open = 0;

    if (f == NULL)
        return -1;
    memset(m, 0, sizeof *m);
    m->peak = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        uint64_t v;

        if (strncmp(line, "time_unit: ", 11) == 0)
            ok = 1;
        if (key_u64(line, "snapshot", &v)) {
            if (m->nsnap >= PROFRUN_MAX_SNAPSHOTS)
                break;
            s = &m->snap[m->nsnap++];
            s->n = (unsigned)v;
            in_peak = 0;
        } else if (s == NULL) {
            continue;
        } else if (key_u64(line, "time", &v)) {
            s->time = v;
        } else if (key_u64(line, "mem_heap_B", &v)) {
            s->heap = v;
        } else if (key_u64(line, "mem_heap_extra_B", &v)) {
            s->extra = v;
        } else if (key_u64(line, "mem_stacks_B", &v)) {
            s->stacks = v;
        } else if (strncmp(line, "heap_tree=", 10) == 0) {
            s->tree = strncmp(line + 10, "peak", 4) == 0       ? PROFRUN_PEAK
                      : strncmp(line + 10, "detailed", 8) == 0 ? PROFRUN_DETAILED
                                                               : PROFRUN_EMPTY;
            if (s->tree == PROFRUN_PEAK) {
                m->peak = (int)(m->nsnap - 1);
                in_peak = 1;
            }
        } else if (in_peak) {
            struct profrun_branch b;
            int depth = branch(line, &b);

            if (depth == 1 && m->ntop < PROFRUN_MAX_BRANCHES)
                m->top[m->ntop++] = b;
            /* The largest branch is the first at depth 1, and each largest child comes
             * right after its parent: the path is the run of lines deepening by one. */
            if (depth == 1 && m->npath == 0)
                path_open = 1;
            if (path_open && depth == (int)m->npath + 1 && m->npath < PROFRUN_MAX_DEPTH)
                m->path[m->npath++] = b;
            else if (m->npath > 0)
                path_open = 0;
        }
    }
    fclose(f);
    if (!ok || m->nsnap == 0) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

/* The number after `word` in line, read as Valgrind prints it ("1,234"), into *v. */
static int after(const char *line, const char *word, uint64_t *v)
{
    const char *p = strstr(line, word);
    uint64_t n = 0;
    int digits = 0;

    if (p == NULL)
        return 0;
    for (p += strlen(word); *p == ' '; p++)
        ;
    for (; (*p >= '0' && *p <= '9') || *p == ','; p++) {
        if (*p == ',')
            continue;
        n = n * 10 + (uint64_t)(*p - '0');
        digits = 1;
    }
    if (digits)
        *v = n;
    return digits;
}

int profrun_memcheck_read(const char *path, struct profrun_memcheck *s)
{
    char line[PROFRUN_LINE_MAX];
    FILE *f = fopen(path, "r");
    int seen = 0;

    if (f == NULL)
        return -1;
    memset(s, 0, sizeof *s);
    while (fgets(line, sizeof line, f) != NULL) {
        if (after(line, "total heap usage:", &s->allocs)) {
            after(line, "allocs,", &s->frees);
            after(line, "frees,", &s->bytes);
            seen |= 1;
        } else if (after(line, "in use at exit:", &s->exit_bytes)) {
            after(line, "bytes in", &s->exit_blocks);
            seen |= 2;
        } else if (after(line, "ERROR SUMMARY:", &s->errors)) {
            seen |= 4;
        }
    }
    fclose(f);
    if ((seen & 5) != 5) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

/* ---- callgrind.out ----
 *
 * The format (Valgrind's "Callgrind Format Specification"): header lines "positions:",
 * "events:" and "summary:" (or "totals:"); then "fn=" starts a function, and each cost
 * line after it ("POSITION... COST...", positions absolute or "+n", "-n", "*") is that
 * function's own, except the line right after "calls=", which is what a call cost in
 * all. A name is written "(id) name" the first time, "(id)" after that, or in full every
 * time with --compress-strings=no; fn= and cfn= share the ids. */

#define PROFRUN_CG_FUNCS 64 /* functions remembered: those whose name holds a word */

struct cg_func {
    long id;                     /* its compressed name's id, -1 when written in full */
    int word;                    /* the word its name holds */
    uint64_t self;               /* its own instructions */
    char name[PROFRUN_FUNC_MAX];
};

struct cg_funcs {
    const char *const *words;
    struct cg_func f[PROFRUN_CG_FUNCS];
    size_t n;
    int full; /* more functions with a word than f[] holds */
};

/* Which word `name` holds: its index, or -1. */
static int cg_word(const struct cg_funcs *t, const char *name)
{
    for (int w = 0; t->words != NULL && t->words[w] != NULL; w++)
        if (strstr(name, t->words[w]) != NULL)
            return w;
    return -1;
}

/* A fn= or cfn= value, "(id) name", "(id)" or "name": its function's place in t, added
 * the first time; -1 when its name holds no word. */
static int cg_func(struct cg_funcs *t, const char *v)
{
    long id = -1;
    int w;

    if (*v == '(') {
        char *end;
        id = strtol(v + 1, &end, 10);
        if (*end != ')')
            return -1;
        for (v = end + 1; *v == ' '; v++)
            ;
    }
    for (size_t i = 0; i < t->n; i++)
        if (id >= 0 ? t->f[i].id == id : strcmp(t->f[i].name, v) == 0)
            return (int)i;
    if (*v == '\0' || (w = cg_word(t, v)) < 0) /* a reference to a name without a word */
        return -1;
    if (t->n == PROFRUN_CG_FUNCS) {
        t->full = 1;
        return -1;
    }
    t->f[t->n] = (struct cg_func){.id = id, .word = w};
    snprintf(t->f[t->n].name, PROFRUN_FUNC_MAX, "%s", v);
    return (int)t->n++;
}

/* The k-th space-separated field of s as a number, 0 when the line has fewer (callgrind
 * leaves trailing zero costs out). */
static uint64_t cg_field(const char *s, int k)
{
    s += strspn(s, " ");
    for (int i = 0; i < k; i++) {
        s += strcspn(s, " ");
        s += strspn(s, " ");
    }
    return strtoull(s, NULL, 10);
}

/* How many space-separated words s holds, and where `word` is among them (-1: absent). */
static int cg_words(const char *s, const char *word, int *at)
{
    int n = 0;

    *at = -1;
    for (s += strspn(s, " "); *s != '\0'; s += strspn(s, " ")) {
        size_t len = strcspn(s, " ");
        if (word != NULL && len == strlen(word) && strncmp(s, word, len) == 0)
            *at = n;
        n++;
        s += len;
    }
    return n;
}

int profrun_callgrind_read(const char *path, const char *const *words, struct profrun_callgrind *c)
{
    char line[PROFRUN_LINE_MAX];
    struct cg_funcs t = {.words = words};
    int npos = 1, ir = -1, fn = -1, after_calls = 0, have_total = 0, unused;
    uint64_t best[PROFRUN_MAX_WORDS] = {0};
    size_t nwords = 0;
    FILE *f;

    while (words != NULL && words[nwords] != NULL)
        nwords++;
    if (nwords > PROFRUN_MAX_WORDS) {
        errno = EINVAL;
        return -1;
    }
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    memset(c, 0, sizeof *c);
    while (fgets(line, sizeof line, f) != NULL) {
        size_t len = strcspn(line, "\n");
        int calls = 0;

        if (line[len] != '\n' && !feof(f)) /* longer than line: keep its start, skip the rest */
            for (int ch = getc(f); ch != '\n' && ch != EOF; ch = getc(f))
                ;
        line[len] = '\0';
        if (strncmp(line, "positions:", 10) == 0) {
            npos = cg_words(line + 10, NULL, &unused);
        } else if (strncmp(line, "events:", 7) == 0) {
            cg_words(line + 7, "Ir", &ir);
        } else if (strncmp(line, "summary:", 8) == 0 || strncmp(line, "totals:", 7) == 0) {
            if (ir >= 0 && !have_total) /* summary: first; totals: at the end, the same */
                c->total = cg_field(strchr(line, ':') + 1, ir);
            have_total = ir >= 0;
        } else if (strncmp(line, "fn=", 3) == 0) {
            fn = cg_func(&t, line + 3);
        } else if (strncmp(line, "cfn=", 4) == 0) {
            cg_func(&t, line + 4); /* a name written first as a call's target */
        } else if (strncmp(line, "calls=", 6) == 0) {
            calls = 1;
        } else if (((line[0] >= '0' && line[0] <= '9') || line[0] == '+' || line[0] == '-' ||
                    line[0] == '*') && !after_calls && fn >= 0 && ir >= 0) {
            t.f[fn].self += cg_field(line, npos + ir);
        }
        after_calls = calls;
    }
    fclose(f);
    if (ir < 0 || !have_total || t.full) {
        errno = EINVAL;
        return -1;
    }
    for (size_t i = 0; i < t.n; i++) { /* each word: the sum, and the first busiest function */
        const struct cg_func *fi = &t.f[i];
        c->self[fi->word] += fi->self;
        if (fi->self > best[fi->word]) {
            best[fi->word] = fi->self;
            memcpy(c->name[fi->word], fi->name, PROFRUN_FUNC_MAX);
        }
    }
    return 0;
}

/* opts with `first` before them and `last` (if not NULL) after, into argv. */
static int tool_args(const char **argv, const char *first, const char *const *opts,
                     const char *last)
{
    size_t n = 0;

    argv[n++] = first;
    for (size_t i = 0; opts != NULL && opts[i] != NULL; i++) {
        if (n + 2 >= PROFRUN_MAX_ARGS)
            return -1;
        argv[n++] = opts[i];
    }
    if (last != NULL)
        argv[n++] = last;
    argv[n] = NULL;
    return 0;
}

/* A fresh temporary file name from template (ending in XXXXXX), the file created. */
static int temp_name(char *template)
{
    int fd = mkstemp(template);

    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

/* Run `valgrind --tool=TOOL OPTS... --TOOL-out-file=OUT PROG PROG_ARGS...`, out a fresh
 * temporary file made from the template in out[]; valgrind's log is removed. 0, and the
 * caller reads out and removes it; or -1 with the reason in err[size], out removed. */
static int tool_out(const char *tool, const char *const *opts, const char *prog,
                    const char *const *prog_args, const char *value, char *out, char *err,
                    size_t size)
{
    char log[] = "/tmp/profrun-log-XXXXXX", toolarg[32], outarg[PROFRUN_LINE_MAX];
    const char *argv[PROFRUN_MAX_ARGS + 1];
    int status = -1;

    if (temp_name(out) != 0) {
        snprintf(err, size, "cannot create a temporary file in /tmp");
        return -1;
    }
    if (temp_name(log) != 0) {
        snprintf(err, size, "cannot create a temporary file in /tmp");
        unlink(out);
        return -1;
    }
    snprintf(toolarg, sizeof toolarg, "--tool=%s", tool);
    snprintf(outarg, sizeof outarg, "--%s-out-file=%s", tool, out);
    if (tool_args(argv, toolarg, opts, outarg) != 0)
        snprintf(err, size, "too many %s options", tool);
    else if ((status = profrun_run(argv, prog, prog_args, value, log)) != 0)
        snprintf(err, size, "valgrind --tool=%s exited with status %d", tool, status);
    unlink(log);
    if (status != 0)
        unlink(out);
    return status == 0 ? 0 : -1;
}

int profrun_massif(const char *const *opts, const char *prog, const char *const *prog_args,
                   const char *value, struct profrun_massif *m, char *err, size_t size)
{
    char out[] = "/tmp/profrun-massif-XXXXXX";
    int rc = -1;

    if (tool_out("massif", opts, prog, prog_args, value, out, err, size) != 0)
        return -1;
    if (profrun_massif_read(out, m) != 0)
        snprintf(err, size, "massif wrote no massif.out that could be read");
    else
        rc = 0;
    unlink(out);
    return rc;
}

int profrun_massif_self(const char *const *opts, const char *value, struct profrun_massif *m,
                        char *err, size_t size)
{
    return profrun_massif(opts, NULL, NULL, value, m, err, size);
}

int profrun_memcheck(const char *const *opts, const char *prog, const char *const *prog_args,
                     const char *value, struct profrun_memcheck *s, char *err, size_t size)
{
    char log[] = "/tmp/profrun-log-XXXXXX";
    const char *argv[PROFRUN_MAX_ARGS + 1];
    int rc = -1, status;

    if (temp_name(log) != 0) {
        snprintf(err, size, "cannot create a temporary file in /tmp");
        return -1;
    }
    if (tool_args(argv, "--tool=memcheck", opts, NULL) != 0) {
        snprintf(err, size, "too many memcheck options");
        goto out;
    }
    status = profrun_run(argv, prog, prog_args, value, log);
    if (status < 0)
        snprintf(err, size, "valgrind --tool=memcheck could not run");
    else if (profrun_memcheck_read(log, s) != 0)
        snprintf(err, size, "memcheck's log holds no heap summary (exit status %d)", status);
    else
        rc = 0;
out:
    unlink(log);
    return rc;
}

int profrun_memcheck_self(const char *const *opts, const char *value,
                          struct profrun_memcheck *s, char *err, size_t size)
{
    return profrun_memcheck(opts, NULL, NULL, value, s, err, size);
}

int profrun_callgrind(const char *const *opts, const char *prog, const char *const *prog_args,
                      const char *value, const char *const *words, struct profrun_callgrind *c,
                      char *err, size_t size)
{
    char out[] = "/tmp/profrun-callgrind-XXXXXX";
    int rc = -1;

    if (tool_out("callgrind", opts, prog, prog_args, value, out, err, size) != 0)
        return -1;
    if (profrun_callgrind_read(out, words, c) != 0)
        snprintf(err, size, "callgrind wrote no callgrind.out that could be read");
    else
        rc = 0;
    unlink(out);
    return rc;
}

int profrun_callgrind_self(const char *const *opts, const char *value, const char *const *words,
                           struct profrun_callgrind *c, char *err, size_t size)
{
    return profrun_callgrind(opts, NULL, NULL, value, words, c, err, size);
}
