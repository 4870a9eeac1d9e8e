/* test_driver.c: the side-by-side driver (driver.h). Every case runs in a child process
 * with its stdout and stderr caught: the driver ends the program on bad input (status
 * 2) and on out of memory (status 1), and prints its tables to stdout. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "driver.h"

/* What a child did. */
struct child {
    int status;      /* its exit status, or 128 + the signal that ended it */
    char out[8192];  /* its stdout */
    char err[1024];  /* its stderr */
};

static void slurp(FILE *f, char *buf, size_t size)
{
    ssize_t got = pread(fileno(f), buf, size - 1, 0);

    buf[got > 0 ? got : 0] = '\0';
    fclose(f);
}

/* Drop the lines a sanitizer adds ("==PID==..."): in a sanitizer build, LeakSanitizer
 * says at a forked child's exit that the worker's other threads were not suspended. */
static void drop_sanitizer_lines(char *text)
{
    char *line = text, *out = text;

    while (*line != '\0') {
        char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) + 1 : strlen(line);
        int pid_len = 0;

        sscanf(line, "==%*d==%n", &pid_len);
        if (pid_len == 0) {
            memmove(out, line, len);
            out += len;
        }
        line += len;
    }
    *out = '\0';
}

/* Run fn(arg) in a child; what it returns is the child's exit status. */
static void in_child(int (*fn)(void *arg), void *arg, struct child *c)
{
    FILE *out = tmpfile(), *err = tmpfile();
    int status;
    pid_t pid;

    cr_assert(out != NULL && err != NULL, "cannot make the files a child writes to");
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    cr_assert(pid >= 0, "cannot fork");
    if (pid == 0) {
        dup2(fileno(out), STDOUT_FILENO);
        dup2(fileno(err), STDERR_FILENO);
        status = fn(arg);
        fflush(stdout);
        fflush(stderr);
        _exit(status);
    }
    cr_assert(eq(int, waitpid(pid, &status, 0), pid));
    c->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    slurp(out, c->out, sizeof c->out);
    slurp(err, c->err, sizeof c->err);
    drop_sanitizer_lines(c->err);
}

/* ---- the arguments ---- */

static const struct driver_prog plain = {.name = "t", .default_n = 7, .max_n = 10};
static const struct driver_prog with_option = {.name = "t", .default_n = 7, .max_n = 10,
                                               .option = "--sites"};

struct args {
    const struct driver_prog *prog;
    char *argv[12];
};

/* driver_args on a NULL-terminated argv. */
static void from_argv(struct driver *d, const struct driver_prog *prog, char **argv)
{
    int argc = 0;

    while (argv[argc] != NULL)
        argc++;
    driver_args(d, prog, argc, argv);
}

/* Parse, then print what was parsed. */
static int parse(void *arg)
{
    struct args *a = arg;
    struct driver d;

    from_argv(&d, a->prog, a->argv);
    printf("heavy %d light %d option %d n %llu given %d\n", d.heavy, d.light, d.option,
           (unsigned long long)d.n, d.n_given);
    return 0;
}

static void expect_args(const struct driver_prog *prog, char **argv, int status,
                        const char *out, const char *err)
{
    struct args a = {prog, {NULL}};
    struct child c;

    for (int i = 0; argv[i] != NULL; i++)
        a.argv[i] = argv[i];
    in_child(parse, &a, &c);
    cr_assert(eq(int, c.status, status), "exit status (stderr: %s)", c.err);
    cr_assert(eq(str, c.out, (char *)out));
    cr_assert(eq(str, c.err, (char *)err));
}

Test(driver_args, no_arguments_run_both_sides_with_the_default_n)
{
    expect_args(&plain, (char *[]){"t", NULL}, 0, "heavy 1 light 1 option 0 n 7 given 0\n", "");
}

Test(driver_args, a_side_and_n)
{
    expect_args(&plain, (char *[]){"t", "--light", "1,0", NULL}, 0,
                "heavy 0 light 1 option 0 n 10 given 1\n", "");
    expect_args(&plain, (char *[]){"t", "--heavy", NULL}, 0,
                "heavy 1 light 0 option 0 n 7 given 0\n", "");
}

Test(driver_args, the_option_comes_after_the_side)
{
    expect_args(&with_option, (char *[]){"t", "--heavy", "--sites", "3", NULL}, 0,
                "heavy 1 light 0 option 1 n 3 given 1\n", "");
    expect_args(&with_option, (char *[]){"t", "--sites", NULL}, 0,
                "heavy 1 light 1 option 1 n 7 given 0\n", "");
}

Test(driver_args, bad_n_names_the_argument_and_the_range)
{
    static const char *const bad[] = {"abc", "-5", "0", "11", "99999999999999999999999", "1x"};
    char msg[128];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(msg, sizeof msg, "t: N must be a whole number from 1 to 10, got '%s'\n",
                 bad[i]);
        expect_args(&plain, (char *[]){"t", (char *)bad[i], NULL}, 2, "", msg);
    }
}

Test(driver_args, an_unknown_flag_is_read_as_n)
{
    expect_args(&plain, (char *[]){"t", "--sites", NULL}, 2, "",
                "t: N must be a whole number from 1 to 10, got '--sites'\n");
    expect_args(&with_option, (char *[]){"t", "--sites", "--light", NULL}, 2, "",
                "t: N must be a whole number from 1 to 10, got '--light'\n");
}

Test(driver_args, too_many_arguments_show_the_usage)
{
    expect_args(&plain, (char *[]){"t", "1", "2", NULL}, 2, "",
                "t: too many arguments (usage: t [--heavy|--light] [N])\n");
    expect_args(&with_option, (char *[]){"t", "--light", "--sites", "1", "2", NULL}, 2, "",
                "t: too many arguments (usage: t [--heavy|--light] [--sites] [N])\n");
}

/* ---- jobs ---- */

/* A side: its digest is *ctx; with ctx NULL it allocates and frees 100 bytes. */
static int side(void *ctx, uint64_t n, uint64_t *digest)
{
    void *p;

    (void)n;
    if (ctx != NULL) {
        *digest = *(uint64_t *)ctx;
        return 0;
    }
    if ((p = malloc(100)) == NULL)
        return -1;
    free(p);
    *digest = 1;
    return 0;
}

static void done(const struct driver_job *job)
{
    (void)job;
    printf("done\n");
}

static uint64_t one = 1, two = 2;

struct run {
    const struct driver_prog *prog;
    const struct driver_job *job;
    char *argv[4];
};

static int run_job(void *arg)
{
    struct run *r = arg;
    struct driver d;

    from_argv(&d, r->prog, r->argv);
    return driver_job(&d, r->job);
}

static bool has(const char *text, const char *line)
{
    return strstr(text, line) != NULL;
}

Test(driver_job, equal_digests_say_yes)
{
    static const struct driver_job job = {
        .title = "the job\n",
        .side = {{"heavy", side, &one, NULL}, {"light", side, &one, NULL}},
        .same = "same output from both",
        .done = done,
    };
    struct run r = {&plain, &job, {"t", NULL}};
    struct child c;

    in_child(run_job, &r, &c);
    cr_assert(eq(int, c.status, 0), "stderr: %s", c.err);
    cr_assert(eq(int, strncmp(c.out, "the job\n", 8), 0), "the title comes first: %s", c.out);
    cr_assert(has(c.out, "heavy/light"), "the table: %s", c.out);
    cr_assert(has(c.out, "\nsame output from both: yes\ndone\n"), "%s", c.out);
}

Test(driver_job, different_digests_are_a_bug_and_fail)
{
    static const struct driver_job job = {
        .side = {{"heavy", side, &one, NULL}, {"light", side, &two, NULL}},
        .same = "same output from both",
    };
    struct run r = {&plain, &job, {"t", NULL}};
    struct child c;

    in_child(run_job, &r, &c);
    cr_assert(eq(int, c.status, 1), "a mismatch is a failing status");
    cr_assert(has(c.out, "\nsame output from both: NO (a bug)\n"), "%s", c.out);
}

Test(driver_job, one_side_alone_has_nothing_to_compare)
{
    static const struct driver_job job = {
        .side = {{"heavy", side, &one, NULL}, {"light", side, &two, NULL}},
        .same = "same output from both",
    };
    struct run r = {&plain, &job, {"t", "--light", NULL}};
    struct child c;

    in_child(run_job, &r, &c);
    cr_assert(eq(int, c.status, 0));
    cr_assert(not(has(c.out, "same output")), "no check line with one side: %s", c.out);
    cr_assert(not(has(c.out, "heavy")), "heavy did not run: %s", c.out);
}

Test(driver_job, the_sides_between_run_only_beside_both)
{
    static const struct driver_job job = {
        .side = {{"first", side, &one, NULL}, {"second", side, &one, NULL},
                 {"third", side, &one, NULL}, {"last", side, &one, NULL}},
        .same = "same from all four",
    };
    struct run both = {&plain, &job, {"t", NULL}}, heavy = {&plain, &job, {"t", "--heavy", NULL}};
    struct child c;

    in_child(run_job, &both, &c);
    cr_assert(has(c.out, "first") && has(c.out, "second") && has(c.out, "third") &&
              has(c.out, "first/last") && has(c.out, "same from all four: yes"), "%s", c.out);
    in_child(run_job, &heavy, &c);
    cr_assert(has(c.out, "first") && !has(c.out, "second") && !has(c.out, "last"), "%s", c.out);
}

/* A custom check: 0 makes the line say NO; -1 leaves the line out. */
static int check_result;

static int check(const struct driver *d, const struct driver_job *job,
                 const struct driver_result *r)
{
    (void)d;
    (void)job;
    (void)r;
    return check_result;
}

Test(driver_job, a_custom_check_decides)
{
    static const struct driver_job job = {
        .side = {{"heavy", side, &one, NULL}, {"light", side, &one, NULL}},
        .same = "same fields from both",
        .check = check,
    };
    struct run r = {&plain, &job, {"t", NULL}};
    struct child c;

    check_result = 0;
    in_child(run_job, &r, &c);
    cr_assert(eq(int, c.status, 1));
    cr_assert(has(c.out, "same fields from both: NO (a bug)"), "%s", c.out);
    check_result = -1;
    in_child(run_job, &r, &c);
    cr_assert(eq(int, c.status, 0));
    cr_assert(not(has(c.out, "same fields")), "%s", c.out);
}

/* ---- out of memory ---- */

static const struct driver_job allocating = {
    .side = {{"heavy", side, NULL, NULL}, {"light", side, NULL, "doing it lightly"}},
    .oom = "doing the job",
    .same = "same output from both",
    .done = done,
};

struct failing {
    struct run run;
    uint64_t at; /* the allocation of the job that fails */
};

static int fail_job(void *arg)
{
    struct failing *f = arg;
    struct driver d;

    from_argv(&d, f->run.prog, f->run.argv);
    printf("before\n"); /* stdout's buffer, before the failure is armed */
    countalloc_fail_at(f->at, false);
    return driver_job(&d, f->run.job);
}

Test(driver_job, out_of_memory_ends_the_program_with_the_side_named)
{
    struct failing heavy = {{&plain, &allocating, {"t", NULL}}, 1};
    struct failing light = {{&plain, &allocating, {"t", NULL}}, 2};
    struct child c;

    SKIP_WITHOUT_INJECTION();
    in_child(fail_job, &heavy, &c);
    cr_assert(eq(int, c.status, 1));
    cr_assert(eq(str, c.err, "t: out of memory while doing the job\n"));
    cr_assert(eq(str, c.out, "before\ndone\n"), "done runs before the exit, no table");
    in_child(fail_job, &light, &c);
    cr_assert(eq(int, c.status, 1));
    cr_assert(eq(str, c.err, "t: out of memory while doing it lightly\n"));
}

/* ---- a process per side ---- */

static const struct driver_prog forking = {.name = "t", .default_n = 7, .max_n = 10,
                                           .fork = true};

/* Its digest is n; it keeps the process it ran in. */
static int where(void *ctx, uint64_t n, uint64_t *digest)
{
    *(pid_t *)ctx = getpid();
    *digest = n;
    return 0;
}

static pid_t pids[2];

static int fork_job(void *arg)
{
    static const struct driver_job job = {
        .side = {{"heavy", where, &pids[0], NULL}, {"light", where, &pids[1], NULL}},
        .same = "same output from both",
        .ctx_size = sizeof(pid_t),
    };
    struct run r = {&forking, &job, {"t", NULL}};

    (void)arg;
    if (run_job(&r) != 0)
        return 3;
    printf("heavy here %d, light here %d, both in one %d\n", pids[0] == getpid(),
           pids[1] == getpid(), pids[0] == pids[1]);
    return 0;
}

Test(driver_job, each_side_runs_in_a_process_of_its_own_and_sends_back_its_context)
{
    struct child c;

    in_child(fork_job, NULL, &c);
    cr_assert(eq(int, c.status, 0), "stderr: %s", c.err);
    cr_assert(has(c.out, "same output from both: yes\nheavy here 0, light here 0, both in one 0\n"), "%s", c.out);
}

Test(driver_job, a_forked_side_out_of_memory_ends_the_program_with_its_status)
{
    struct failing f = {{&forking, &allocating, {"t", NULL}}, 1};
    struct child c;

    SKIP_WITHOUT_INJECTION();
    in_child(fail_job, &f, &c);
    cr_assert(eq(int, c.status, 1));
    cr_assert(eq(str, c.err, "t: out of memory while doing the job\n"));
}
