/* test_profrun.c: profrun runs this test binary's own variant (below) under massif,
 * memcheck and callgrind, and reads what they wrote; the parsers refuse files that are
 * not theirs. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "countalloc.h"
#include "native_only.h"
#include "profrun.h"

/* The variant: three blocks, the largest from big_block, and one of them never freed. */
static void *volatile keep[3];

/* Each stores its block itself: a plain `return malloc(n)` is a tail call at -O2, and
 * its frame would vanish from the stacks the tools record. */
__attribute__((noinline)) static int big_block(void)
{
    keep[0] = malloc(30000);
    return keep[0] != NULL;
}

__attribute__((noinline)) static int small_block(int i, size_t n)
{
    keep[i] = malloc(n);
    return keep[i] != NULL;
}

static int variant(void)
{
    if (!big_block() || !small_block(1, 1000) || !small_block(2, 500))
        return 1;
    free(keep[0]); /* the peak is seen at a free: 31,500 bytes live just before */
    free(keep[1]);
    return 0;      /* keep[2] stays: 500 bytes in use at exit */
}

__attribute__((constructor)) static void variant_start(void)
{
    if (getenv(PROFRUN_ENV) != NULL)
        _exit(variant());
}

static void need_valgrind(void)
{
    char why[160];

    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
    if (profrun_available(why, sizeof why) != 0)
        cr_skip_test("%s", why);
}

Test(profrun, massif_reads_the_variants_peak_and_its_largest_branch, RUNS_VALGRIND)
{
    static const char *const opts[] = {"--time-unit=B", NULL};
    struct profrun_massif m;
    char err[160];

    need_valgrind();
    cr_assert(eq(int, profrun_massif_self(opts, "1", &m, err, sizeof err), 0), "%s", err);
    cr_assert(m.peak >= 0, "no peak snapshot");
    cr_assert(eq(u64, m.snap[m.peak].heap, 31500));
    cr_assert(m.snap[m.peak].time >= 31500, "time(B) counts every byte allocated before");
    cr_assert(m.snap[m.peak].extra > 0, "three blocks carry some extra heap");
    cr_assert(m.ntop >= 2 && m.npath >= 2);
    cr_assert(eq(str, m.top[0].func, "big_block"));
    cr_assert(eq(u64, m.top[0].bytes, 30000));
    cr_assert(strncmp(m.top[0].where, "test_profrun.c:", 15) == 0, "where: %s", m.top[0].where);
    cr_assert(eq(str, m.path[0].func, "big_block"));
    cr_assert(eq(str, m.path[1].func, "variant"), "the caller follows the allocating frame");
    cr_assert(eq(u64, m.snap[m.nsnap - 1].heap, 500), "the last snapshot holds the kept block");
}

Test(profrun, memcheck_reads_the_variants_heap_summary, RUNS_VALGRIND)
{
    struct profrun_memcheck s;
    char err[160];

    need_valgrind();
    cr_assert(eq(int, profrun_memcheck_self(NULL, "1", &s, err, sizeof err), 0), "%s", err);
    cr_assert(eq(u64, s.allocs, 3));
    cr_assert(eq(u64, s.frees, 2));
    cr_assert(eq(u64, s.bytes, 31500));
    cr_assert(eq(u64, s.exit_bytes, 500));
    cr_assert(eq(u64, s.exit_blocks, 1));
    cr_assert(eq(u64, s.errors, 0));
}

/* Collected from variant_start on (variant is inlined into it, and it ends in _exit):
 * the blocks' functions are inside. */
Test(profrun, callgrind_reads_the_variants_instructions_and_its_functions_own, RUNS_VALGRIND)
{
    static const char *const opts[] = {"--collect-atstart=no", "--toggle-collect=variant_start",
                                       NULL};
    static const char *const words[] = {"big_block", "small_block", "no_such_function", NULL};
    struct profrun_callgrind c;
    char err[160];

    need_valgrind();
    cr_assert(eq(int, profrun_callgrind_self(opts, "1", words, &c, err, sizeof err), 0), "%s", err);
    cr_assert(c.self[0] > 0 && c.self[1] > 0, "big_block and small_block ran inside variant");
    cr_assert(c.self[0] + c.self[1] < c.total,
              "their own instructions are part of the total, malloc's are not theirs");
    cr_assert(eq(str, c.name[0], "big_block"));
    cr_assert(eq(str, c.name[1], "small_block"));
    cr_assert(eq(u64, c.self[2], 0));
    cr_assert(eq(str, c.name[2], ""), "a word no function holds names none");
}

/* Another program, named: its arguments reach it, PROFRUN_ENV is set only when asked,
 * and its exit status comes back. */
Test(profrun, runs_another_program_with_its_arguments_and_returns_its_status, RUNS_VALGRIND)
{
    static const char *const none[] = {"--tool=none", "-q", NULL};
    static const char *const unset[] = {"-c", "test \"${" PROFRUN_ENV "+set}\" != set && exit 3", NULL};
    static const char *const set[] = {"-c", "test \"$" PROFRUN_ENV "\" = 9 && exit 4", NULL};
    char log[] = "/tmp/test-profrun-log-XXXXXX";
    int fd;

    need_valgrind();
    fd = mkstemp(log);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert(eq(int, profrun_run(none, "/bin/sh", unset, NULL, log), 3));
    cr_assert(eq(int, profrun_run(none, "/bin/sh", set, "9", log), 4));
    unlink(log);
}

/* Fault injection armed here stays here: the child that starts the tool makes its own
 * allocations (setenv) before exec, and the program under the tool is not the one being
 * failed. */
Test(profrun, the_tools_run_is_not_failed_by_the_injection_armed_here, RUNS_VALGRIND)
{
    static const char *const none[] = {"--tool=none", "-q", NULL};
    static const char *const clean[] = {"-c", "test -z \"$COUNTALLOC_FAIL_AT\" && exit 5", NULL};
    char log[] = "/tmp/test-profrun-log-XXXXXX";
    int fd, rc;

    need_valgrind();
    if (!countalloc_can_inject())
        cr_skip_test("fault injection is unavailable in sanitizer builds");
    fd = mkstemp(log);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert(eq(int, setenv("COUNTALLOC_FAIL_AT", "1", 1), 0));
    countalloc_fail_at(1, true); /* every allocation from now on fails */
    rc = profrun_run(none, "/bin/sh", clean, "1", log);
    countalloc_fail_off();
    unsetenv("COUNTALLOC_FAIL_AT");
    unlink(log);
    cr_assert(eq(int, rc, 5), "the child's setenv failed (127), or the tool's program saw "
              "COUNTALLOC_FAIL_AT (1)");
}

/* This binary named by its path, as a lesson's test names main: the same summary. */
Test(profrun, memcheck_reads_a_named_programs_heap_summary, RUNS_VALGRIND)
{
    struct profrun_memcheck s;
    char exe[4096], err[160];

    need_valgrind();
    cr_assert(eq(int, cli_exe_path(exe, sizeof exe), 0));
    cr_assert(eq(int, profrun_memcheck(NULL, exe, NULL, "1", &s, err, sizeof err), 0), "%s", err);
    cr_assert(eq(u64, s.allocs, 3));
    cr_assert(eq(u64, s.bytes, 31500));
    cr_assert(eq(u64, s.exit_blocks, 1));
}

/* A file holding text, its name in path (a template ending in XXXXXX). */
static void write_file(char *path, const char *text)
{
    int fd = mkstemp(path);
    FILE *f;

    cr_assert(fd >= 0);
    f = fdopen(fd, "w");
    cr_assert(f != NULL);
    fputs(text, f);
    fclose(f);
}

Test(profrun, a_file_that_is_not_a_massif_out_is_refused)
{
    char path[] = "/tmp/test-profrun-XXXXXX";
    struct profrun_massif m;

    write_file(path, "==1== total heap usage: 1 allocs, 1 frees, 8 bytes allocated\n");
    errno = 0;
    cr_assert(eq(int, profrun_massif_read(path, &m), -1));
    cr_assert(eq(int, errno, EINVAL));
    unlink(path);
}

Test(profrun, a_log_without_a_heap_summary_is_refused)
{
    char path[] = "/tmp/test-profrun-XXXXXX";
    struct profrun_memcheck s;

    write_file(path, "desc: (none)\ncmd: ./prog\ntime_unit: B\n");
    errno = 0;
    cr_assert(eq(int, profrun_memcheck_read(path, &s), -1));
    cr_assert(eq(int, errno, EINVAL));
    unlink(path);
}

/* Compressed names and positions, a name first seen as a call's target, a name written in
 * full, a cost line after calls= (a call's cost in all, not the function's own), Ir as the
 * second event, and a trailing zero left out. */
Test(profrun, callgrind_counts_each_functions_own_instructions_from_the_format)
{
    static const char *const words[] = {"strlen", "loop", NULL};
    char path[] = "/tmp/test-profrun-XXXXXX";
    struct profrun_callgrind c;

    write_file(path, "# callgrind format\n"
                     "version: 1\n"
                     "positions: line\n"
                     "events: Dr Ir\n"
                     "summary: 7 1000\n"
                     "\n"
                     "ob=(1) /usr/lib/libc.so.6\n"
                     "fl=(1) ./main.c\n"
                     "fn=(1) loop\n"
                     "12 1 100\n"
                     "+2 0 20\n"
                     "cfl=(2) ./strlen-avx2.S\n"
                     "cfn=(2) __strlen_avx2\n"
                     "calls=3 40\n"
                     "* 0 600\n"
                     "-1 2 5\n"
                     "fl=(2)\n"
                     "fn=(2)\n"
                     "40 4 600\n"
                     "fn=(3) main\n"
                     "5 0 272\n"
                     "7 9\n"
                     "fn=my_strlen\n"
                     "3 0 3\n"
                     "\n"
                     "totals: 7 1000\n");
    cr_assert(eq(int, profrun_callgrind_read(path, words, &c), 0));
    cr_assert(eq(u64, c.total, 1000), "the summary's Ir, the second event");
    cr_assert(eq(u64, c.self[0], 603),
              "__strlen_avx2's own, known by its id after cfn=, and my_strlen's");
    cr_assert(eq(u64, c.self[1], 125), "loop's own: the call's 600 belong to strlen");
    cr_assert(eq(str, c.name[0], "__strlen_avx2"), "the one with the most of the word's");
    cr_assert(eq(str, c.name[1], "loop"));
    unlink(path);
}

Test(profrun, a_file_that_is_not_a_callgrind_out_is_refused)
{
    static const char *const words[] = {"a", "b", "c", "d", "e", NULL};
    char massif[] = "/tmp/test-profrun-XXXXXX", least[] = "/tmp/test-profrun-XXXXXX";
    struct profrun_callgrind c;

    write_file(massif, "desc: (none)\ncmd: ./prog\ntime_unit: B\nsnapshot=0\n");
    errno = 0;
    cr_assert(eq(int, profrun_callgrind_read(massif, NULL, &c), -1));
    cr_assert(eq(int, errno, EINVAL));
    unlink(massif);
    write_file(least, "events: Ir\nsummary: 5\n");
    cr_assert(eq(int, profrun_callgrind_read(least, NULL, &c), 0), "the least a file can hold");
    cr_assert(eq(u64, c.total, 5));
    errno = 0;
    cr_assert(eq(int, profrun_callgrind_read(least, words, &c), -1), "five words, four allowed");
    cr_assert(eq(int, errno, EINVAL));
    unlink(least);
}

Test(profrun, a_missing_file_is_an_error_from_fopen)
{
    struct profrun_massif m;
    struct profrun_memcheck s;

    errno = 0;
    cr_assert(eq(int, profrun_massif_read("/nonexistent/massif.out", &m), -1));
    cr_assert(eq(int, errno, ENOENT));
    cr_assert(eq(int, profrun_memcheck_read("/nonexistent/log", &s), -1));
}

Test(profrun, memcheck_figures_with_commas_are_read_whole)
{
    char path[] = "/tmp/test-profrun-XXXXXX";
    struct profrun_memcheck s;

    write_file(path, "==7== HEAP SUMMARY:\n"
                     "==7==     in use at exit: 11,000 bytes in 1,000 blocks\n"
                     "==7==   total heap usage: 3,001 allocs, 2,001 frees, 179,000 bytes "
                     "allocated\n"
                     "==7== ERROR SUMMARY: 12 errors from 3 contexts (suppressed: 0 from 0)\n");
    cr_assert(eq(int, profrun_memcheck_read(path, &s), 0));
    cr_assert(eq(u64, s.allocs, 3001));
    cr_assert(eq(u64, s.frees, 2001));
    cr_assert(eq(u64, s.bytes, 179000));
    cr_assert(eq(u64, s.exit_bytes, 11000));
    cr_assert(eq(u64, s.exit_blocks, 1000));
    cr_assert(eq(u64, s.errors, 12));
    unlink(path);
}
