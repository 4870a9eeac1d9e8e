/* test_cli.c: the argument checks every program shares (cli.h). A rejected argument ends
 * the process with status 2, so those tests expect that exit code. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

Test(cli_u64, reads_digits_with_commas_and_underscores)
{
    cr_assert(eq(u64, cli_u64("t", "N", "1,000,000", 1, 10000000), 1000000));
    cr_assert(eq(u64, cli_u64("t", "N", "4_096", 1, 10000), 4096));
}

Test(cli_u64, accepts_both_ends_of_the_range)
{
    cr_assert(eq(u64, cli_u64("t", "N", "1", 1, 10), 1));
    cr_assert(eq(u64, cli_u64("t", "N", "10", 1, 10), 10));
}

Test(cli_u64, rejects_a_number_above_the_range, .exit_code = 2)
{
    cli_u64("t", "N", "11", 1, 10);
}

Test(cli_u64, rejects_zero_when_the_range_starts_at_one, .exit_code = 2)
{
    cli_u64("t", "N", "0", 1, 10);
}

Test(cli_u64, rejects_a_negative_number, .exit_code = 2)
{
    cli_u64("t", "N", "-5", 0, 10);
}

Test(cli_u64, rejects_trailing_letters, .exit_code = 2)
{
    cli_u64("t", "N", "1x", 0, 10);
}

Test(cli_u64, rejects_a_number_that_overflows_64_bits, .exit_code = 2)
{
    cli_u64("t", "N", "99999999999999999999999", 0, UINT64_MAX);
}

Test(cli_u64, rejects_an_empty_argument, .exit_code = 2)
{
    cli_u64("t", "N", "", 0, 10);
}

Test(cli_side, runs_both_without_a_flag)
{
    char *argv[] = {"prog", "100", NULL};
    bool heavy = false, light = false;

    cr_assert(eq(int, cli_side(2, argv, &heavy, &light), 1), "N is the next argument");
    cr_assert(heavy && light, "both");
}

Test(cli_side, runs_both_with_no_arguments_at_all)
{
    char *argv[] = {"prog", NULL};
    bool heavy = false, light = false;

    cr_assert(eq(int, cli_side(1, argv, &heavy, &light), 1));
    cr_assert(heavy && light, "both");
}

Test(cli_side, heavy_flag_runs_heavy_alone)
{
    char *argv[] = {"prog", "--heavy", "100", NULL};
    bool heavy = false, light = true;

    cr_assert(eq(int, cli_side(3, argv, &heavy, &light), 2), "the flag is consumed");
    cr_assert(heavy && light == false, "heavy alone");
}

Test(cli_side, light_flag_runs_light_alone)
{
    char *argv[] = {"prog", "--light", NULL};
    bool heavy = true, light = false;

    cr_assert(eq(int, cli_side(2, argv, &heavy, &light), 2));
    cr_assert(heavy == false && light, "light alone");
}

Test(cli_side, a_flag_after_the_first_argument_is_left_to_the_caller)
{
    char *argv[] = {"prog", "100", "--light", NULL};
    bool heavy = false, light = false;

    cr_assert(eq(int, cli_side(3, argv, &heavy, &light), 1));
    cr_assert(heavy && light, "both");
}

Test(cli_flag, is_the_first_argument_alone_and_only_when_it_is_the_flag)
{
    char *with[] = {"prog", "--counted", "64", NULL}, *without[] = {"prog", "64", NULL};
    char *later[] = {"prog", "64", "--counted", NULL}, *none[] = {"prog", NULL};

    cr_assert(cli_flag(3, with, "--counted"), "argv[1] is the flag");
    cr_assert(not(cli_flag(2, without, "--counted")), "N is not the flag");
    cr_assert(not(cli_flag(3, later, "--counted")), "a flag after the first argument is left to the caller");
    cr_assert(not(cli_flag(1, none, "--counted")), "no arguments at all");
    cr_assert(not(cli_flag(3, with, "--count")), "the whole word, not a prefix");
}

Test(cli_max_args, allows_up_to_the_maximum)
{
    cli_max_args("t", 2, 1, "[N]");
}

Test(cli_max_args, rejects_one_more, .exit_code = 2)
{
    cli_max_args("t", 3, 1, "[N]");
}

/* ---- where this program is ---- */

Test(cli_exe, path_names_this_test_binary_and_dir_holds_it)
{
    char path[4096], dir[4096];

    cr_assert(eq(int, cli_exe_path(path, sizeof path), 0));
    cr_assert(eq(int, cli_exe_dir(dir, sizeof dir), 0));
    size_t n = strlen(dir);
    cr_assert(eq(str, path + n, "/test_cli"), "path %s, dir %s", path, dir);
    cr_assert(strncmp(path, dir, n) == 0, "path %s is not in dir %s", path, dir);
    cr_assert(access(path, X_OK) == 0, "%s is not this executable", path);
}

Test(cli_exe, a_buffer_too_small_is_an_error_not_a_cut_path)
{
    char path[4096], small[8];
    size_t n;

    cr_assert(eq(int, cli_exe_path(path, sizeof path), 0));
    n = strlen(path);
    memset(small, 'x', sizeof small);
    errno = 0;
    cr_assert(eq(int, cli_exe_path(small, sizeof small), -1));
    cr_assert(eq(int, errno, ENAMETOOLONG));
    char exact[4096];
    cr_assert(eq(int, cli_exe_path(exact, n), -1), "no room for the terminating 0");
    cr_assert(eq(int, cli_exe_path(exact, n + 1), 0));
    cr_assert(eq(str, exact, path));
}

/* ---- running a program beside this one ---- */

Test(cli_run_beside, gives_127_for_a_program_not_there_and_reads_back_stderr)
{
    char out[256];

    cr_assert(eq(int, cli_run_beside("", "no_such_program", "1 2", out, sizeof out), 127),
              "a program that is not there: 127, as a shell says");
    cr_assert(strstr(out, "no_such_program") != NULL, "the complaint names it: %s", out);
}

Test(cli_run_beside, sets_variables_runs_the_tool_and_splits_the_arguments)
{
    char out[16 * 1024];

    /* CLI_TEST_VAR set by cli_run_beside, CLI_TEST_TOOL by env (the tool), then
     * `/bin/sh -c printenv>&2`: three words, or sh would not print the environment */
    cr_assert(eq(int, cli_run_beside("CLI_TEST_VAR=a=b env CLI_TEST_TOOL=yes", "/bin/sh", "-c printenv>&2", out, sizeof out), 0),
              "%s", out);
    cr_assert(strstr(out, "\nCLI_TEST_VAR=a=b\n") != NULL || strncmp(out, "CLI_TEST_VAR=a=b\n", 17) == 0, "%s", out);
    cr_assert(strstr(out, "CLI_TEST_TOOL=yes\n") != NULL, "%s", out);
    cr_assert(eq(int, cli_run_beside("", "/bin/sh", "-c printenv>&2", out, sizeof out), 0), "%s", out);
    cr_assert(strstr(out, "CLI_TEST_") == NULL, "nothing set: %s", out);
    cr_assert(eq(int, cli_run_beside("", "no_such_program", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
                                                           "21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 "
                                                           "41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 "
                                                           "61 62 63 64", out, sizeof out), -1),
              "more than 64 words in all: refused");
    cr_assert(eq(int, errno, E2BIG));
}

Test(cli_run_beside, writes_stdout_to_the_descriptor_given_or_drops_it)
{
    static char got[64 * 1024];
    char out[256], file[] = "/tmp/test_cli-XXXXXX";
    int fd = mkstemp(file);
    ssize_t n;

    cr_assert(fd >= 0);
    unlink(file);
    cr_assert(eq(int, cli_run_beside_fd("CLI_TEST_VAR=x", "/bin/sh", "-c printenv", fd, out, sizeof out), 0), "%s", out);
    n = pread(fd, got, sizeof got - 1, 0);
    close(fd);
    cr_assert(n > 0);
    got[n] = '\0';
    cr_assert(strstr(got, "CLI_TEST_VAR=x\n") != NULL, "stdout in the file: %s", got);
    cr_assert(eq(int, cli_own_lines(out, NULL), 0), "nothing on stderr (Valgrind's lines aside): %s", out);
}

Test(cli_run_beside, cuts_what_it_reads_to_fit)
{
    char out[8];

    cr_assert(eq(int, cli_run_beside("", "no_such_program", "", out, sizeof out), 127));
    cr_assert(eq(sz, strlen(out), sizeof out - 1));
}

Test(cli_own_lines, counts_the_programs_lines_and_leaves_valgrinds_out)
{
    const char *out = "==123== Memcheck, a memory error detector\n"
                      "prog: N must be 1 to 10, got '0'\n"
                      "==123== ERROR SUMMARY: 0 errors\n"
                      "prog: a second line\n";
    const char *first = NULL;

    cr_assert(eq(int, cli_own_lines(out, &first), 2));
    cr_assert(eq(int, strncmp(first, "prog: N must", 12), 0), "the first of the program's lines");
    cr_assert(eq(int, cli_own_lines("one line, no newline", NULL), 1));
    cr_assert(eq(int, cli_own_lines("==1== only Valgrind\n", &first), 0));
    cr_assert(eq(str, (char *)first, ""), "no line of its own: \"\"");
    cr_assert(eq(int, cli_own_lines("", NULL), 0));
}

/* ---- stdout that cannot be written ---- */

/* Fork a child whose stdout is `path` and whose stderr comes back in err: it prints a
 * line, calls cli_flush_stdout, and says on stderr that it went on. Its wait status. */
static int flush_child(const char *path, char *err, size_t size)
{
    int fds[2], status;
    pid_t pid;
    ssize_t got, n = 0;

    cr_assert(eq(int, pipe(fds), 0));
    fflush(NULL); /* nothing of ours written twice by the child */
    pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int fd = open(path, O_WRONLY);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fds[1], 2) < 0)
            _exit(3);
        cli_close_stdout_at_exit("flushtest");
        printf("a line of output\n");
        cli_flush_stdout();
        fprintf(stderr, "went on\n");
        _exit(0); /* not exit: the sanitizers' leak check would run on the test runner's heap */
    }
    close(fds[1]);
    while (n < (ssize_t)size - 1 && (got = read(fds[0], err + n, size - 1 - (size_t)n)) > 0)
        n += got;
    err[n] = '\0';
    close(fds[0]);
    cr_assert(eq(int, waitpid(pid, &status, 0), pid));
    return status;
}

Test(cli_flush_stdout, stops_at_once_when_stdout_cannot_be_written)
{
    char err[256];
    int status = flush_child("/dev/full", err, sizeof err);

    bool exited = WIFEXITED(status);

    cr_assert(exited, "the child exited (wait status %d)", status);
    cr_assert(eq(int, WEXITSTATUS(status), 1));
    cr_assert(eq(str, err, "flushtest: write error: No space left on device\n"),
              "one line, and nothing after the flush ran: %s", err);
}

Test(cli_flush_stdout, returns_when_the_output_was_written)
{
    char err[256];
    int status = flush_child("/dev/null", err, sizeof err);

    bool exited = WIFEXITED(status);

    cr_assert(exited, "the child exited (wait status %d)", status);
    cr_assert(eq(int, WEXITSTATUS(status), 0));
    cr_assert(eq(str, err, "went on\n"));
}
