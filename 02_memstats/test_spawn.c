/* test_spawn.c: lesson 02's starting a process from a big one. The faults are exact, from
 * the pages: with THP off, a parent that writes its buffer one byte a page right after a
 * fork takes one minor fault a page while the child has not exec'd yet, and copies every
 * page (Private_Dirty 0 before the writes, the whole buffer after, no frame kept); after
 * the child has exec'd and been reaped it still faults once a page, but keeps every frame
 * (the kernel reuses the page in place). vfork, posix_spawn, system() and popen() leave
 * it 0 faults: glibc 2.36 and 2.41 start system's and popen's shell with posix_spawn's
 * clone (CLONE_VM | CLONE_VFORK), so no page table is copied. VmPTE grows by exactly the
 * PTE and PMD tables the pages need, give or take a PUD table where the buffer opens a
 * new 512 GiB of address space. Each way returns the child's status; a program that does
 * not exist is posix_spawn's ENOENT and exit 127 for the others.
 *
 * Under Valgrind the faults are Valgrind's too, and it runs vfork, and posix_spawn's clone
 * (CLONE_VM | CLONE_VFORK), as a fork: the page figures run natively, and so does the
 * missing program, whose exec error posix_spawn's child then cannot hand back to the
 * parent (posix_spawn returns 0, and the child exits 127). Each child a test starts runs under Valgrind as well in make check
 * (--trace-children=yes), most of a second each: there the status tests start the first
 * way's children alone (ways_here), as cli_bad_cases does for bad arguments. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "spawner.h"

#define MIB_8 ((size_t)8 << 20) /* 2,048 pages of 4 KiB: quick to write a page at a time */
#define MISSING "/nonexistent/program"

static size_t page;

static void setup(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
}

/* The shell's "not found" line stays out of the test's output. */
static void quiet(void)
{
    setup();
    cr_redirect_stderr();
}

/* The ways whose children a test starts: all of them natively, the first under Valgrind. */
static int ways_here(void)
{
    return RUNNING_ON_VALGRIND ? 1 : SPAWN_WAYS;
}

/* The mark of every test that counts the parent's faults. */
#define FAULTS_NATIVE NATIVE_ONLY("Valgrind's own pages fault beside the buffer's, and its vfork is a fork")

static void parent_faults(enum spawn_way way, enum spawn_when when, struct spawn_faults *f)
{
    bool exited_0;

    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
    cr_assert(eq(int, spawn_parent_faults(way, when, MIB_8, f), 0), "%s: %s", spawn_way_name(way),
              strerror(errno));
    cr_assert(eq(u64, f->pages, MIB_8 / page));
    exited_0 = WIFEXITED(f->status) && WEXITSTATUS(f->status) == 0;
    cr_assert(exited_0, "%s: the child's status %#x", spawn_way_name(way), f->status);
}

/* ---- the parent's faults ---- */

Test(spawn_faults, before_the_childs_exec_the_parent_faults_once_a_page_and_copies_every_page,
     .init = setup, FAULTS_NATIVE)
{
    struct spawn_faults f;

    parent_faults(SPAWN_FORK, SPAWN_BEFORE_EXEC, &f);
    cr_assert(eq(u64, f.faults, f.pages),
              "fork write-protects every page in both processes: %llu pages written, expected as "
              "many faults, saw %llu", (unsigned long long)f.pages, (unsigned long long)f.faults);
    cr_assert(eq(u64, f.dirty_before, 0), "every page shared with the child: Private_Dirty 0, saw %llu",
              (unsigned long long)f.dirty_before);
    cr_assert(eq(u64, f.dirty_after, f.pages * page), "each fault copied its page: the buffer's "
              "Private_Dirty is all of it, saw %llu", (unsigned long long)f.dirty_after);
    if (f.frames_kept >= 0)
        cr_assert(eq(i64, f.frames_kept, 0), "every page copied to a new frame, saw %lld kept",
                  (long long)f.frames_kept);
}

Test(spawn_faults, after_the_reap_the_parent_still_faults_once_a_page_but_keeps_every_frame,
     .init = setup, FAULTS_NATIVE)
{
    struct spawn_faults f;

    parent_faults(SPAWN_FORK, SPAWN_REAPED, &f);
    cr_assert(eq(u64, f.faults, f.pages),
              "the child is gone, its pages' write protection is not: expected a fault a page (%llu), "
              "saw %llu", (unsigned long long)f.pages, (unsigned long long)f.faults);
    cr_assert(eq(u64, f.dirty_before, f.pages * page), "no other process maps them: Private_Dirty whole");
    cr_assert(eq(u64, f.dirty_after, f.dirty_before));
    if (f.frames_kept >= 0)
        cr_assert(eq(i64, f.frames_kept, (int64_t)f.pages),
                  "the kernel reuses a page no one else maps: every frame kept, saw %lld of %llu",
                  (long long)f.frames_kept, (unsigned long long)f.pages);
}

Test(spawn_faults, vfork_posix_spawn_system_and_popen_leave_the_parent_no_fault_to_take,
     .init = setup, FAULTS_NATIVE)
{
    static const enum spawn_way ways[] = {SPAWN_VFORK, SPAWN_POSIX_SPAWN, SPAWN_SYSTEM, SPAWN_POPEN};

    for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++) {
        struct spawn_faults f;

        parent_faults(ways[i], SPAWN_REAPED, &f);
        /* system() and popen(): glibc 2.36 and 2.41 start the shell with posix_spawn's
         * clone (CLONE_VM | CLONE_VFORK) */
        cr_assert(eq(u64, f.faults, 0),
                  "%s shares the parent's address space until the exec: no page table copied, "
                  "no fault; saw %llu for %llu pages", spawn_way_name(ways[i]),
                  (unsigned long long)f.faults, (unsigned long long)f.pages);
        cr_assert(eq(u64, f.dirty_after, f.pages * page));
        if (f.frames_kept >= 0)
            cr_assert(eq(i64, f.frames_kept, (int64_t)f.pages));
    }
}

Test(spawn_faults, a_bad_size_or_a_way_that_cannot_write_before_the_exec_is_einval, .init = setup)
{
    struct spawn_faults f;

    errno = 0;
    cr_assert(eq(int, spawn_parent_faults(SPAWN_FORK, SPAWN_REAPED, 0, &f), -1));
    cr_assert(eq(int, errno, EINVAL));
    errno = 0;
    cr_assert(eq(int, spawn_parent_faults(SPAWN_FORK, SPAWN_REAPED, page + 1, &f), -1));
    cr_assert(eq(int, errno, EINVAL), "not a whole number of pages");
    errno = 0;
    cr_assert(eq(int, spawn_parent_faults(SPAWN_POSIX_SPAWN, SPAWN_BEFORE_EXEC, page, &f), -1));
    cr_assert(eq(int, errno, EINVAL), "posix_spawn returns after the exec: no before");
}

/* ---- the page tables ---- */

Test(spawn_tables, the_tables_needed_are_a_pte_table_a_2_mib_and_a_pmd_table_a_1_gib)
{
    cr_assert(eq(u64, spawn_table_pages(0), 0));
    cr_assert(eq(u64, spawn_table_pages(4096), 2), "one of each");
    cr_assert(eq(u64, spawn_table_pages((size_t)2 << 20), 2));
    cr_assert(eq(u64, spawn_table_pages(((size_t)2 << 20) + 4096), 3));
    cr_assert(eq(u64, spawn_table_pages((size_t)1 << 30), 513));
    cr_assert(eq(u64, spawn_table_pages(((size_t)1 << 30) + 4096), 515));
}

Test(spawn_tables, vmpte_grows_by_the_tables_the_pages_need_and_a_forked_child_has_them_too,
     .init = setup, NATIVE_ONLY("Valgrind maps and writes pages of its own while the buffer is written"))
{
    struct spawn_tables t;
    size_t quarter = MIB_8 / 4 / page * page;
    uint64_t first, rest;

    cr_assert(eq(int, spawn_tables_measure(MIB_8, &t), 0), "%s", strerror(errno));
    cr_assert(eq(u64, t.pages, MIB_8 / page));
    first = t.quarter - t.before;
    rest = t.whole - t.quarter;
    /* the first write opens the region's 1 GiB (a PMD table) and, rarely, a new 512 GiB
     * of address space (a PUD table): one table more at most */
    cr_assert(ge(u64, first, spawn_table_pages(quarter) * page), "the first quarter: %llu B", (unsigned long long)first);
    cr_assert(le(u64, first, (spawn_table_pages(quarter) + 1) * page), "the first quarter: %llu B",
              (unsigned long long)first);
    cr_assert(eq(u64, rest, (spawn_table_pages(MIB_8) - spawn_table_pages(quarter)) * page),
              "the rest: a PTE table a 2 MiB, exactly; saw %llu B", (unsigned long long)rest);
    cr_assert(ge(u64, t.child, spawn_table_pages(MIB_8) * page),
              "fork copies the buffer's tables into the child: its VmPTE %llu B", (unsigned long long)t.child);
    cr_assert(le(u64, t.child, t.whole), "and no more than the parent has");
    cr_assert(eq(u64, t.after, t.before), "unmapped, the tables are freed");
}

/* ---- each way's status ---- */

static void expect_exit(enum spawn_way way, const char *path, int code)
{
    const char *argv[] = {path, NULL};
    int status = -1, rc = spawn_run(way, argv, &status);
    bool exited = WIFEXITED(status);

    cr_assert(eq(int, rc, 0), "%s %s: %s", spawn_way_name(way), path, strerror(errno));
    cr_assert(exited, "%s %s: status %#x", spawn_way_name(way), path, status);
    cr_assert(eq(int, WEXITSTATUS(status), code), "%s %s: expected exit %d, saw %d", spawn_way_name(way),
              path, code, WEXITSTATUS(status));
}

Test(spawn_status, each_way_returns_the_childs_exit_status_0_and_1)
{
    for (int way = 0; way < ways_here(); way++) {
        expect_exit((enum spawn_way)way, SPAWN_TRUE, 0);
        expect_exit((enum spawn_way)way, SPAWN_FALSE, 1);
    }
}

Test(spawn_status, a_program_that_does_not_exist_is_posix_spawns_enoent_and_exit_127_for_the_others,
     .init = quiet,
     NATIVE_ONLY("Valgrind runs posix_spawn's clone (CLONE_VM | CLONE_VFORK) as a fork: the "
                 "child's exec error never reaches the parent, and posix_spawn returns 0"))
{
    const char *argv[] = {MISSING, NULL};
    int status = 0;

    errno = 0;
    cr_assert(eq(int, spawn_run(SPAWN_POSIX_SPAWN, argv, &status), -1),
              "posix_spawn reports the exec's error itself (glibc 2.36 and 2.41)");
    cr_assert(eq(int, errno, ENOENT), "saw %s", strerror(errno));
    cr_assert(eq(int, status, -1), "no child, no status");
    /* fork's and vfork's child exits 127 when its execve fails; the shell of system and
     * popen says "not found" on stderr and exits 127 */
    for (int way = 0; way < SPAWN_WAYS; way++)
        if (way != SPAWN_POSIX_SPAWN)
            expect_exit((enum spawn_way)way, MISSING, 127);
}

Test(spawn_status, an_argument_the_shell_would_read_too_many_or_none_is_einval_and_starts_nothing)
{
    const char *spaced[] = {SPAWN_TRUE, "a b", NULL}, *glob[] = {SPAWN_TRUE, "*", NULL},
               *many[] = {SPAWN_TRUE, "1", "2", "3", "4", NULL}, *none[] = {NULL};
    static char longword[SPAWN_CMD_MAX];
    const char *toolong[] = {SPAWN_TRUE, longword, NULL};
    int status = 0;

    memset(longword, 'x', sizeof longword - 1);
    for (int way = SPAWN_SYSTEM; way <= SPAWN_POPEN; way++) {
        errno = 0;
        cr_assert(eq(int, spawn_run((enum spawn_way)way, spaced, &status), -1));
        cr_assert(eq(int, errno, EINVAL), "a space: the shell would split it");
        errno = 0;
        cr_assert(eq(int, spawn_run((enum spawn_way)way, glob, &status), -1));
        cr_assert(eq(int, errno, EINVAL), "a '*': the shell would expand it");
        errno = 0;
        cr_assert(eq(int, spawn_run((enum spawn_way)way, toolong, &status), -1));
        cr_assert(eq(int, errno, ENAMETOOLONG));
    }
    for (int way = 0; way < SPAWN_WAYS; way++) {
        errno = 0;
        cr_assert(eq(int, spawn_run((enum spawn_way)way, many, &status), -1));
        cr_assert(eq(int, errno, EINVAL), "more than %d arguments", SPAWN_ARGS_MAX);
        errno = 0;
        cr_assert(eq(int, spawn_run((enum spawn_way)way, none, &status), -1));
        cr_assert(eq(int, errno, EINVAL), "no path");
        cr_assert(eq(int, status, -1));
    }
}

/* ---- the counts ---- */

Test(spawn_counts, fork_vfork_posix_spawn_and_system_allocate_nothing_popen_frees_what_it_takes)
{
    const char *argv[] = {SPAWN_TRUE, NULL};
    struct countalloc_stats d;
    int status, rc = -1;

    for (int way = 0; way < ways_here() && way < SPAWN_POPEN; way++) {
        ASSERT_NO_ALLOCS(rc = spawn_run((enum spawn_way)way, argv, &status));
        cr_assert(eq(int, rc, 0), "%s", spawn_way_name((enum spawn_way)way));
    }
    if (ways_here() <= SPAWN_POPEN)
        return;
    /* popen: its FILE; the posix_spawn file actions that make the pipe's end the child's
     * stdout, freed before popen returns; and the buffer the first read takes. pclose frees
     * the FILE and its buffer: 3 mallocs, 3 frees (glibc 2.36 and 2.41) */
    ALLOC_MEASURE(rc = spawn_run(SPAWN_POPEN, argv, &status), d);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(u64, d.mallocs, 3), "popen's FILE, its file actions and the read's buffer: "
              "expected 3 mallocs, saw %llu", (unsigned long long)d.mallocs);
    cr_assert(eq(u64, d.frees, d.mallocs), "each freed");
    cr_assert(eq(i64, d.heap_alloc, 0));
}

static int sweep_popen(void *ctx)
{
    const char *argv[] = {SPAWN_TRUE, NULL};
    int status;

    (void)ctx;
    return spawn_run(SPAWN_POPEN, argv, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0
               ? 0
               : -1;
}

Test(spawn_oom, a_failed_popen_is_enomem_and_a_failed_buffer_is_absorbed_nothing_leaks)
{
    const char *argv[] = {SPAWN_TRUE, NULL};
    int status = 0, rc, err;

    /* the FILE's or the file actions' malloc failed: popen returns NULL with ENOMEM, and
     * no child starts; the buffer's: glibc's stdio reads unbuffered instead, and the run
     * succeeds */
    ASSERT_SWEEP_ABSORBS(sweep_popen, NULL);
    countalloc_fail_at(1, false);
    rc = spawn_run(SPAWN_POPEN, argv, &status);
    err = errno;
    countalloc_fail_off();
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, err, ENOMEM), "saw %s", strerror(err));
}

/* ---- timed ---- */

Test(spawn_time, each_start_is_timed_and_no_runs_is_einval,
     NATIVE_ONLY("it starts children to time them, and a time under Valgrind is Valgrind's"))
{
    double times[2] = {0, 0};

    cr_assert(eq(int, spawn_time(SPAWN_POSIX_SPAWN, 2, times), 0), "%s", strerror(errno));
    cr_assert(gt(dbl, times[0], 0.0));
    cr_assert(gt(dbl, times[1], 0.0));
    errno = 0;
    cr_assert(eq(int, spawn_time(SPAWN_POSIX_SPAWN, 0, times), -1));
    cr_assert(eq(int, errno, EINVAL));
}

/* ---- the program ---- */

Test(spawn_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "4097", "1x", "--bogus", "99999999999999999999999",
                                      "1 2", "--tables 0", "--tables 4097", "--tables 1 2",
                                      "--time 0", "--time 4097", "--time abc", "--time 1 2"};

    ASSERT_BAD_ARGUMENTS("demo/spawn", "MIB", bad);
}

Test(spawn_program, once_takes_one_way_of_five_and_names_way_otherwise)
{
    static const char *const bad[] = {"--once bogus", "--once", "--once fork 2", "--once FORK"};

    ASSERT_BAD_ARGUMENTS("demo/spawn", "WAY", bad);
}

/* ---- the system call each way makes, seen with strace (clones.sh prints them) ---- */

/* demo/spawn --once WAY under strace: its process-starting calls (strace writes them on
 * stderr, one a line), into out. */
static void traced(const char *way, char *out, size_t size)
{
    char args[64];
    int rc;

    snprintf(args, sizeof args, "--once %s", way);
    rc = cli_run_beside("strace -f -qq -e trace=clone,clone3,fork,vfork -e signal=none",
                        "demo/spawn", args, out, size);
    cr_assert_eq(rc, 0, "strace demo/spawn %s: exit status %d (is ptrace allowed?):\n%s", args,
                 rc, out);
}

Test(spawn_syscalls, fork_clones_without_clone_vm_the_others_with_clone_vm_and_clone_vfork,
     NATIVE_ONLY_AT(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER,
                    "strace's view: under Valgrind the program strace starts is Valgrind, and in a "
                    "sanitizer build LeakSanitizer stops at exit under ptrace (it says so)"))
{
    static char out[16 * 1024];

    /* fork: a copy of the address space, nothing shared. */
    traced("fork", out, sizeof out);
    cr_assert(strstr(out, "clone(") != NULL, "fork made no clone:\n%s", out);
    cr_assert(strstr(out, "CLONE_VM") == NULL, "fork shared the address space:\n%s", out);
    /* vfork: the call of its own. */
    traced("vfork", out, sizeof out);
    cr_assert(strstr(out, "vfork()") != NULL && strstr(out, "clone") == NULL, "%s", out);
    /* posix_spawn, and the shell of system() and popen(): in the parent's address space,
     * the parent suspended until the child execs. */
    for (const char *const *w = (const char *const[]){"posix_spawn", "system", "popen", NULL}; *w;
         w++) {
        traced(*w, out, sizeof out);
        cr_assert(strstr(out, "CLONE_VM|CLONE_VFORK") != NULL, "%s made no CLONE_VM|CLONE_VFORK:\n%s",
                  *w, out);
    }
}
