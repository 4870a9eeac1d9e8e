/* libgit2_stub.c: a library that stands in for libgit2 in Criterion test binaries, by its
 * soname, so that a test's process loads neither libgit2 nor the libraries libgit2 needs.
 *
 * Criterion's library names libgit2 among the libraries it needs (for the diffs its string
 * assertions print), and libgit2 1.5 (Debian 12) needs 15 more besides libc (1.9, Debian
 * 13: 16): mbedTLS, OpenSSL's libcrypto, libssh2, Kerberos, PCRE2 and others, 22 objects
 * in every test's process in all (ldd), loaded, relocated and, under Valgrind, read for
 * their symbols, in each of some 1,500 processes that make check starts under memcheck. A
 * test binary names this library first, under libgit2's soname and found through its run
 * path (common/common.mk), so the dynamic loader takes it for the libgit2 Criterion asks
 * for: 7 objects instead of 22 for a toolbox test (ldd).
 *
 * Nothing calls these three: criterion_diff.c, linked into the same binaries, defines them
 * in the executable, which comes first in symbol lookup, and loads libgit2 itself, by its
 * path, the first time Criterion prints a diff. They exist so that a binary that lacked
 * criterion_diff.o would stop at once, saying why, instead of printing no diff. */
#include <stdio.h>
#include <stdlib.h>

int git_libgit2_init(void);
int git_libgit2_shutdown(void);
int git_diff_buffers(void);

static void not_linked(const char *fn)
{
    fprintf(stderr, "libgit2_stub: %s called: link common/criterion_diff.o into this test "
                    "binary, which loads libgit2 itself\n", fn);
    abort();
}

int git_libgit2_init(void)
{
    not_linked("git_libgit2_init");
    return -1;
}

int git_libgit2_shutdown(void)
{
    not_linked("git_libgit2_shutdown");
    return -1;
}

int git_diff_buffers(void)
{
    not_linked("git_diff_buffers");
    return -1;
}
