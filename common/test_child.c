/* test_child.c: child_run brings a child's result back whole, keeps the child's changes
 * in the child, and reports a child that failed, crashed, or could not start: a pipe it
 * could not make (a descriptor limit) and a fork that failed (a seccomp filter).
 * child_run_capped sets RLIMIT_AS at VmSize plus the slack asked for: a mapping larger
 * than the slack is refused with ENOMEM and leaves VmSize as it was, a smaller one is
 * granted and counted. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stddef.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "child.h"
#include "native_only.h"

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

/* ---- an attempt with no address space left ---- */

/* Valgrind maps the address space itself; ASan's shadow memory lies past any limit. */
#define CAPPED_NATIVE                                                                     \
    NATIVE_ONLY_AT(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER,                          \
                   "Valgrind maps the address space itself; ASan's shadow memory lies "   \
                   "past any RLIMIT_AS")

/* The slack the tests ask for: sixteen pages. */
static uint64_t slack(void)
{
    return 16 * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* What an attempt saw in the child: the limit in force, and its mapping's size. */
struct mapped {
    size_t bytes;
    rlim_t cur, max;
};

/* Map m->bytes, keep them mapped (the child's end unmaps them), and read the limit. */
static int map_bytes(void *arg)
{
    struct mapped *m = arg;
    struct rlimit lim;

    if (getrlimit(RLIMIT_AS, &lim) != 0)
        return -1;
    m->cur = lim.rlim_cur;
    m->max = lim.rlim_max;
    return mmap(NULL, m->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
                   MAP_FAILED
               ? -1
               : 0;
}

Test(child_run_capped, a_mapping_past_the_slack_is_enomem_and_leaves_vmsize_as_it_was,
     CAPPED_NATIVE)
{
    struct mapped m = {.bytes = (size_t)slack() + (size_t)sysconf(_SC_PAGESIZE)};
    struct child_capped c;

    cr_assert(eq(int, child_run_capped(slack(), map_bytes, &m, sizeof m, &c), 0), "%s",
              strerror(errno));
    cr_assert(eq(u64, m.cur, c.size_before + slack()), "the limit: VmSize plus the slack");
    cr_assert(eq(u64, m.max, c.size_before + slack()), "the hard limit too");
    cr_assert(eq(int, c.err, ENOMEM), "a page more than the slack: mmap refuses with %s, saw %s",
              strerror(ENOMEM), strerror(c.err));
    cr_assert(eq(u64, c.size_after, c.size_before), "nothing mapped");
}

Test(child_run_capped, a_mapping_within_the_slack_is_granted_and_counted, CAPPED_NATIVE)
{
    struct mapped m = {.bytes = (size_t)slack() / 4};
    struct child_capped c;

    cr_assert(eq(int, child_run_capped(slack(), map_bytes, &m, sizeof m, &c), 0), "%s",
              strerror(errno));
    cr_assert(eq(int, c.err, 0), "a quarter of the slack is granted, saw %s", strerror(c.err));
    cr_assert(eq(u64, c.size_after, c.size_before + m.bytes), "VmSize grew by the mapping");
}

static int refuse_einval(void *arg)
{
    (void)arg;
    errno = EINVAL;
    return -1;
}

Test(child_run_capped, says_the_errno_of_the_refusal_and_needs_no_result_of_the_attempt,
     CAPPED_NATIVE)
{
    struct child_capped c;

    cr_assert(eq(int, child_run_capped(slack(), refuse_einval, NULL, 0, &c), 0), "%s",
              strerror(errno));
    cr_assert(eq(int, c.err, EINVAL), "saw %s", strerror(c.err));
    cr_assert(gt(u64, c.size_before, 0), "VmSize was read");
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
