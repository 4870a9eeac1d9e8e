/* test_criterion_diff.c: libgit2 is loaded and started when Criterion prints a diff, not
 * when a test process starts (criterion_diff.c and libgit2_stub.c, linked into every test
 * binary), and the diff is still libgit2's. */
#include <criterion/criterion.h>

#include <dlfcn.h>
#include <errno.h>
#include <git2.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* libgit2 itself: by its path where the build puts a stand-in under its soname
 * (LIBGIT2_PATH), else the next definitions past this binary's. */
static void *libgit2_symbol(const char *name)
{
#ifdef LIBGIT2_PATH
    void *lib = dlopen(LIBGIT2_PATH, RTLD_NOW | RTLD_LOCAL);

    cr_assert(lib != NULL, "%s: %s", LIBGIT2_PATH, dlerror());
#else
    void *lib = RTLD_NEXT;
#endif
    void *fn = dlsym(lib, name);

    cr_assert(fn != NULL, "libgit2's %s not found: %s", name, dlerror());
    return fn;
}

/* libgit2's own start and stop: the count of starts it returns tells whether anyone
 * started it before. */
static int libgit2_init(void)
{
    return ((int (*)(void))libgit2_symbol("git_libgit2_init"))();
}

static int libgit2_shutdown(void)
{
    return ((int (*)(void))libgit2_symbol("git_libgit2_shutdown"))();
}

#ifdef LIBGIT2_PATH
/* Whether the file of this loaded object is the one `want` names: compared by device and
 * inode, since the loader may name it by another path (/lib against /usr/lib). */
static int is_file(struct dl_phdr_info *info, size_t size, void *want)
{
    const struct stat *w = want;
    struct stat st;

    (void)size;
    return info->dlpi_name[0] != '\0' && stat(info->dlpi_name, &st) == 0 &&
           st.st_dev == w->st_dev && st.st_ino == w->st_ino;
}

Test(criterion_diff, a_test_process_starts_without_libgit2_loaded_and_its_stand_in_in_place)
{
    Dl_info where;
    struct stat real;
    void *lib;

    cr_assert_eq(stat(LIBGIT2_PATH, &real), 0, "%s: %s", LIBGIT2_PATH, strerror(errno));
    cr_assert_eq(dl_iterate_phdr(is_file, &real), 0, "%s is loaded at the test's start",
                 LIBGIT2_PATH);
    /* What answers to libgit2's soname is the stand-in, from the build's own lib/. */
    lib = dlopen(strrchr(LIBGIT2_PATH, '/') + 1, RTLD_NOW | RTLD_NOLOAD);
    cr_assert(lib != NULL, "nothing loaded answers to %s", strrchr(LIBGIT2_PATH, '/') + 1);
    cr_assert(dladdr(dlsym(lib, "git_diff_buffers"), &where) != 0);
    cr_assert(strstr(where.dli_fname, "/lib/libgit2.so") != NULL &&
                  strcmp(where.dli_fname, LIBGIT2_PATH) != 0,
              "the soname's git_diff_buffers is %s's", where.dli_fname);
    dlclose(lib);
}
#endif

Test(criterion_diff, a_test_process_starts_with_libgit2_not_started)
{
    /* Criterion asked for libgit2 when this process started; libgit2 itself was not
     * started: its own start now is its first (count 1; 2 had it been started before). */
    cr_assert_eq(libgit2_init(), 1);
    cr_assert_eq(libgit2_shutdown(), 0);
}

struct seen {
    int hunks, removed, added, context;
};

static int on_hunk(const git_diff_delta *d, const git_diff_hunk *h, void *payload)
{
    (void)d, (void)h;
    ((struct seen *)payload)->hunks++;
    return 0;
}

static int on_line(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l,
                   void *payload)
{
    struct seen *s = payload;

    (void)d, (void)h;
    s->removed += l->origin == GIT_DIFF_LINE_DELETION;
    s->added += l->origin == GIT_DIFF_LINE_ADDITION;
    s->context += l->origin == GIT_DIFF_LINE_CONTEXT;
    return 0;
}

Test(criterion_diff, the_first_diff_starts_libgit2_and_is_libgit2s)
{
    static const char a[] = "alpha\nbeta\ngamma\ndelta\n", b[] = "alpha\nBETA\ngamma\ndelta\n";
    struct seen s = {0};

    cr_assert_eq(git_diff_buffers(a, strlen(a), "a", b, strlen(b), "b", NULL, NULL, NULL,
                                  on_hunk, on_line, &s), 0);
    /* One line changed among four: one hunk, the line out and in, the other three kept. */
    cr_assert_eq(s.hunks, 1);
    cr_assert_eq(s.removed, 1);
    cr_assert_eq(s.added, 1);
    cr_assert_eq(s.context, 3);
    /* The diff started libgit2: a start now is its second. */
    cr_assert_eq(libgit2_init(), 2);
    cr_assert_eq(libgit2_shutdown(), 1);
}

Test(criterion_diff, a_failing_string_comparison_still_prints_libgit2s_diff)
{
    static char out[64 * 1024]; /* under make check, Valgrind's lines too */
    int rc;

    /* A test's process is told it is one by BXFI_MAP (Criterion's sandbox, BoxFort), read
     * when it starts: a Criterion program started with it set would take itself for one. */
    cr_assert_eq(unsetenv("BXFI_MAP"), 0);
    rc = cli_run_beside("", "criterion_diff_child", "", out, sizeof out);

    cr_assert_eq(rc, 1, "criterion_diff_child: expected exit status 1 (a test failed), saw %d",
                 rc);
    cr_assert(strstr(out, "@@ -1,4 +1,4 @@") != NULL, "no hunk header in:\n%s", out);
    cr_assert(strstr(out, "-\"beta\\n\"") != NULL, "no removed line in:\n%s", out);
    cr_assert(strstr(out, "+\"BETA\\n\"") != NULL, "no added line in:\n%s", out);
    cr_assert(strstr(out, " \"gamma\\n\"") != NULL, "no context line in:\n%s", out);
}
