/* Fix the service: each helper it runs with fork + execv costs it a page fault for every
 * page of its big buffer it writes afterwards, and a helper that cannot be exec'd comes
 * back as an exit status of 127 instead of an error.
 *
 * Start the helper with posix_spawn (<spawn.h>) instead, and return its error in errno. */
#include "exercise.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

int run_helper(const char *path, const char *arg, int *status)
{
    char *argv[] = {(char *)path, (char *)arg, NULL};
    pid_t pid = fork(); /* copies the page tables, write-protects every page */

    if (pid < 0)
        return -1;
    if (pid == 0) {
        execv(path, argv);
        _exit(127); /* the exec failed: the parent sees an exit status, not the errno */
    }
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}
