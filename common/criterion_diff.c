/* criterion_diff.c: libgit2 started when Criterion prints a diff, not in every test process.
 * Linked into every Criterion test binary (lessons', exercises', the toolbox's), never into a
 * program.
 *
 * Criterion 2.4 prints a diff when a string comparison of its newer assertions fails
 * (`cr_assert(eq(str, a, b))`), through libgit2, and starts libgit2 for that when each
 * process starts: the runner and every test's own process. libgit2 1.5 (Debian 12) reads
 * and parses the system's certificate bundle while it starts (mbedTLS, for HTTPS that
 * Criterion never uses): measured with callgrind, 54 M of the 65 M instructions a test
 * process runs before its test begins. Natively that is a few milliseconds; under make
 * check's memcheck it was a third of each test process's start, 0.25 s of about 0.8 s, in
 * each of some 1,500 test processes.
 *
 * The executable's definitions come first in symbol lookup, so libcriterion's calls to
 * these three reach the ones below. git_libgit2_init and git_libgit2_shutdown only count;
 * git_diff_buffers starts libgit2 the first time a diff is asked for and hands the call on
 * to libgit2's own. What Criterion prints is libgit2's diff, as before: test_criterion_diff.c
 * checks that a failing comparison still shows it, and that a test process starts with
 * libgit2 neither started nor loaded.
 *
 * libgit2 is not even loaded until then: the test binaries name libgit2_stub.c's library,
 * under libgit2's soname, in its place (common/common.mk). So the library is opened here by
 * its path, LIBGIT2_PATH, which the build reads off the compiler's library path; a build
 * without the stand-in (LIBGIT2_PATH undefined) takes the next definitions in lookup order,
 * libgit2's own, loaded with the binary. */
#include <git2.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>

typedef int diff_buffers_fn(const void *, size_t, const char *, const void *, size_t,
                            const char *, const git_diff_options *, git_diff_file_cb,
                            git_diff_binary_cb, git_diff_hunk_cb, git_diff_line_cb, void *);

static atomic_int asked;               /* Criterion's git_libgit2_init calls, less its shutdowns */
static int started = -1;               /* libgit2's own git_libgit2_init: its result, once */
static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static int (*real_shutdown)(void);
static diff_buffers_fn *real_diff;

static void start(void)
{
    void *lib = RTLD_NEXT;
    int (*init)(void);

#ifdef LIBGIT2_PATH
    lib = dlopen(LIBGIT2_PATH, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL)
        return;
#endif
    init = (int (*)(void))dlsym(lib, "git_libgit2_init");
    real_shutdown = (int (*)(void))dlsym(lib, "git_libgit2_shutdown");
    real_diff = (diff_buffers_fn *)dlsym(lib, "git_diff_buffers");
    if (init != NULL && real_shutdown != NULL && real_diff != NULL)
        started = init();
}

int git_libgit2_init(void)
{
    return atomic_fetch_add(&asked, 1) + 1;
}

int git_libgit2_shutdown(void)
{
    int left = atomic_fetch_sub(&asked, 1) - 1;

    if (left > 0 || started < 0)
        return left;
    real_shutdown();
    return left;
}

int git_diff_buffers(const void *old_buffer, size_t old_len, const char *old_as_path,
                     const void *new_buffer, size_t new_len, const char *new_as_path,
                     const git_diff_options *options, git_diff_file_cb file_cb,
                     git_diff_binary_cb binary_cb, git_diff_hunk_cb hunk_cb,
                     git_diff_line_cb line_cb, void *payload)
{
    pthread_once(&start_once, start);
    if (started < 0)
        return -1;
    return real_diff(old_buffer, old_len, old_as_path, new_buffer, new_len, new_as_path, options,
                     file_cb, binary_cb, hunk_cb, line_cb, payload);
}
