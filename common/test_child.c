/* test_child.c: child_run brings a child's result back whole, keeps the child's changes
 * in the child, and reports a child that failed, crashed, or could not start: a pipe it
 * could not make (a descriptor limit) and a fork that failed (a seccomp filter). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stddef.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "child.h"

struct seen {
    pid_t pid;      /* the process fn ran in */
    int answer;
};

static int touched; /* what fn changes in its own process */

static int answer(void *arg)
{
    struct seen *s = arg;

    touched++;
    s->pid = getpid();
    s->answer = 42;
    return 0;
}

Test(child_run, brings_the_childs_result_back_and_leaves_the_parent_as_it_was)
{
    struct seen s = {0};

    cr_assert(eq(int, child_run(answer, &s, sizeof s), 0));
    cr_assert(eq(int, s.answer, 42), "the struct the child filled in came back");
    cr_assert(s.pid != 0 && s.pid != getpid(), "fn ran in another process");
    cr_assert(eq(int, touched, 0), "the child's change to a global stayed in the child");
}

/* More than a pipe holds (64 KiB on Linux): the parent must read while the child writes. */
static unsigned char big[1 << 18];

static int fill(void *arg)
{
    unsigned char *b = arg;

    for (size_t i = 0; i < sizeof big; i++)
        b[i] = (unsigned char)(i * 7 + 1);
    return 0;
}

Test(child_run, brings_back_a_result_larger_than_a_pipe_holds)
{
    size_t wrong = 0;

    cr_assert(eq(int, child_run(fill, big, sizeof big), 0));
    for (size_t i = 0; i < sizeof big; i++)
        wrong += big[i] != (unsigned char)(i * 7 + 1);
    cr_assert(eq(sz, wrong, 0), "every byte of the 256 KiB result came back");
}

static int fail(void *arg)
{
    *(int *)arg = 1;
    return -1;
}

Test(child_run, reports_a_function_that_failed_and_leaves_the_result_alone)
{
    int v = 0;

    cr_assert(eq(int, child_run(fail, &v, sizeof v), -1));
    cr_assert(eq(int, v, 0), "a failed child sends nothing back");
}

static int crash(void *arg)
{
    struct rlimit none = {0, 0};

    (void)arg;
    setrlimit(RLIMIT_CORE, &none); /* a crash on purpose leaves no core file behind */
    raise(SIGSEGV);
    return 0;
}

Test(child_run, reports_a_child_that_crashed)
{
    int v = 0;

    cr_assert(eq(int, child_run(crash, &v, sizeof v), -1));
}

Test(child_run, reports_a_pipe_it_could_not_make)
{
    struct rlimit was, low;
    int v = 0, rc, err, lowest = open("/dev/null", O_RDONLY);

    cr_assert(lowest >= 0 && getrlimit(RLIMIT_NOFILE, &was) == 0);
    close(lowest);
    low = (struct rlimit){.rlim_cur = (rlim_t)lowest, .rlim_max = was.rlim_max};
    cr_assert(eq(int, setrlimit(RLIMIT_NOFILE, &low), 0));
    rc = child_run(answer, &v, sizeof v); /* every descriptor it may open is taken */
    err = errno;
    setrlimit(RLIMIT_NOFILE, &was);
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, err, EMFILE), "errno says why: %s", strerror(err));
    cr_assert(eq(int, v, 0));
}

static int fill_two(void *arg)
{
    int *pair = arg;

    pair[0] = 7;
    pair[1] = 9;
    return 0;
}

static int exit_three(void *arg)
{
    (void)arg;
    exit(3);
}

Test(child_run_parts, brings_the_parts_back_in_order_and_says_how_the_child_ended)
{
    int pair[2] = {0, 0}, other = 0, status;
    struct child_part parts[] = {{&pair[1], sizeof pair[1]}, {&pair[0], sizeof pair[0]}};
    struct child_part none[] = {{&other, sizeof other}};

    cr_assert(eq(int, child_run_parts(fill_two, pair, parts, 2, &status), 0));
    cr_assert(eq(int, pair[0], 7));
    cr_assert(eq(int, pair[1], 9));
    bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    cr_assert(clean, "the child exited 0: status %#x", status);

    cr_assert(eq(int, child_run_parts(exit_three, NULL, none, 1, &status), -1));
    bool three = WIFEXITED(status) && WEXITSTATUS(status) == 3;
    cr_assert(three, "the child's own exit status comes back: want 3, got %#x", status);
}

/* ---- a fork that fails ----
 *
 * As root no resource limit makes fork fail (RLIMIT_NPROC does not apply), so a seccomp
 * filter does: every syscall that makes a process (clone, clone3, fork, vfork) fails with
 * EAGAIN, as fork does when the system is out of processes. The filter cannot be taken
 * back, so it goes into a process of its own, which reports by its exit status. */
enum fork_failed { FF_OK, FF_NO_FILTER, FF_RC, FF_ERRNO, FF_RESULT, FF_DESCRIPTORS };

static int no_new_processes(void)
{
#ifdef __x86_64__
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 4, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 3, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_fork, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_vfork, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAGAIN),
    };
    struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};

    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
                   prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0
               ? 0
               : -1;
#else
    return -1;
#endif
}

static int open_descriptors(void)
{
    int n = 0;

    for (int fd = 0; fd < 1024; fd++)
        n += fcntl(fd, F_GETFD) != -1;
    return n;
}

static enum fork_failed run_without_fork(void)
{
    int v = 0, rc, err, before = open_descriptors();

    if (no_new_processes() != 0)
        return FF_NO_FILTER;
    rc = child_run(answer, &v, sizeof v);
    err = errno;
    if (rc != -1)
        return FF_RC;
    if (err != EAGAIN)
        return FF_ERRNO;
    if (v != 0)
        return FF_RESULT;
    if (open_descriptors() != before) /* both ends of the pipe closed again */
        return FF_DESCRIPTORS;
    return FF_OK;
}

Test(child_run, reports_a_fork_that_failed_and_closes_its_pipe)
{
    static const char *const what[] = {
        [FF_NO_FILTER] = "the seccomp filter could not be installed",
        [FF_RC] = "child_run did not return -1",
        [FF_ERRNO] = "errno is not fork's EAGAIN",
        [FF_RESULT] = "the result was written",
        [FF_DESCRIPTORS] = "the pipe's descriptors were left open",
    };
    int status;
    pid_t pid = fork();

    cr_assert(pid >= 0);
    if (pid == 0)
        _exit(run_without_fork()); /* _exit: nothing at exit may need a new thread */
    cr_assert(eq(int, waitpid(pid, &status, 0), pid));
    bool exited = WIFEXITED(status);
    cr_assert(exited, "the filtered process ended by signal %d", WTERMSIG(status));
    int code = WEXITSTATUS(status);
    cr_assert(eq(int, code, FF_OK), "%s", code > FF_OK && code <= FF_DESCRIPTORS ? what[code] : "?");
}
