/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-02).
 *
 * The service's buffer is 8 MiB mapped here (2,048 pages of 4 KiB), THP off so that a
 * fault maps one page, every page written before the helper runs. Right after run_helper
 * the test writes one byte in each page again and counts its minor faults: with fork +
 * execv, one a page (the pages stay write-protected after the child is gone); with
 * posix_spawn, none. Under Valgrind the faults are Valgrind's too, and it runs
 * posix_spawn's clone (CLONE_VM | CLONE_VFORK) as a fork, whose child cannot hand an exec
 * error back: those two tests run natively, the ASan build included, where the buffer's
 * writes are not instrumented (PROCFS_UNSHADOWED) and the missing helper's ENOENT tells
 * posix_spawn from fork + execv in any case. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "exercise.h"
#include "procfs.h"

#define BUFFER ((size_t)8 << 20)
#define MISSING "/nonexistent/helper"

static size_t page;

static void setup(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
}

/* ls's "cannot access" line, and the like, stay out of the test's output. */
static void quiet(void)
{
    setup();
    cr_redirect_stderr();
}

static uint64_t minor_faults(void)
{
    struct rusage ru;

    return getrusage(RUSAGE_THREAD, &ru) == 0 ? (uint64_t)ru.ru_minflt : 0;
}

PROCFS_UNSHADOWED __attribute__((noinline))
static uint64_t write_pages(unsigned char *p, size_t len, unsigned char value)
{
    uint64_t n = 0;

    for (size_t i = 0; i < len; i += page, n++)
        ((volatile unsigned char *)p)[i] = value;
    return n;
}

Test(helper, the_buffer_written_right_after_a_helper_has_run_takes_no_page_fault, .init = setup,
     NATIVE_ONLY("Valgrind's own pages fault beside the buffer's, and its posix_spawn is a fork"))
{
    int was = procfs_thp_off(), status = -1, rc;
    unsigned char *buf = mmap(NULL, BUFFER, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t pages, f0, faults;
    bool exited_0;

    cr_assert(not(eq(ptr, buf, MAP_FAILED)), "mmap: %s", strerror(errno));
    write_pages(buf, BUFFER, 1);
    rc = run_helper("/bin/true", NULL, &status);
    cr_assert(eq(int, rc, 0), "run_helper(/bin/true): %s", strerror(errno));
    exited_0 = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    cr_assert(exited_0, "/bin/true: expected exit 0, the status was %#x", status);
    write_pages(buf, 0, 2); /* the stack and the calls below, made once first */
    minor_faults();
    f0 = minor_faults();
    pages = write_pages(buf, BUFFER, 2);
    faults = minor_faults() - f0;
    munmap(buf, BUFFER);
    procfs_thp_restore(was);
    cr_assert(eq(u64, faults, 0),
              "the service wrote one byte in each of its %llu pages after the helper ran and took "
              "%llu page faults: the start write-protected its pages (fork copies the page tables); "
              "expected none", (unsigned long long)pages, (unsigned long long)faults);
}

static void expect_exit(const char *path, const char *arg, int code)
{
    int status = -1, rc = run_helper(path, arg, &status);
    bool exited = WIFEXITED(status);

    cr_assert(eq(int, rc, 0), "run_helper(%s %s): %s", path, arg ? arg : "", strerror(errno));
    cr_assert(exited, "%s: expected it to exit, the status was %#x", path, status);
    cr_assert(eq(int, WEXITSTATUS(status), code), "%s %s: expected exit status %d, saw %d", path,
              arg ? arg : "", code, WEXITSTATUS(status));
}

Test(helper, the_helpers_exit_status_comes_back_and_its_argument_reaches_it, .init = quiet)
{
    expect_exit("/bin/true", NULL, 0);
    expect_exit("/bin/false", NULL, 1);
    expect_exit("/bin/ls", "/nonexistent", 2); /* ls: a file it cannot access, exit 2 */
}

Test(helper, a_helper_that_cannot_be_execd_is_an_error_with_its_errno, .init = quiet,
     NATIVE_ONLY("Valgrind runs posix_spawn's clone as a fork: the exec's error never comes back"))
{
    int status = -1, rc;

    errno = 0;
    rc = run_helper(MISSING, NULL, &status);
    cr_assert(eq(int, rc, -1),
              "run_helper(%s) returned %d with the status %#x (exit %d): a helper that cannot be "
              "exec'd must be an error, -1 with the exec's errno, not a child's exit status", MISSING,
              rc, status, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    cr_assert(eq(int, errno, ENOENT), "expected ENOENT (no such file), saw %s", strerror(errno));
}

Test(helper, running_a_helper_allocates_nothing)
{
    int status = -1, rc = -1;

    ASSERT_NO_ALLOCS(rc = run_helper("/bin/true", NULL, &status));
    cr_assert(eq(int, rc, 0), "%s", strerror(errno));
}
