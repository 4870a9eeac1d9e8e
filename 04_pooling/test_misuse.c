/* test_misuse.c: the tools catch pool misuse. Runs the programs of 04_pooling/misuse/,
 * built beside this test by lesson.mk, under Valgrind memcheck (the build annotated with
 * MEMDEBUG_VALGRIND) and as ASan builds: a read after pool_put, after arena_reset, after
 * fl_free, past the end fl_realloc cut a block to and after slab_free must be reported by
 * both, a branch on a reused buffer's stale contents by memcheck, and correct use by
 * neither. A pointer into the slot map (handle.h) kept past a growth is a read after free
 * to both; kept past a remove and an insert that reused its slot, it reads a live object,
 * and no tool says a word: only the handle's generation catches it. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "buddy.h"
#include "cli.h"
#include "handle.h"
#include "native_only.h"
#include "report.h"
#include "slab.h"

#define OUT_MAX (64 * 1024)

static char out[OUT_MAX], said[OUT_MAX];

/* Run `tool PROG` (tool "" for none) from DIR/misuse/KIND/, stderr (the tool's report)
 * into out and stdout (what the program printed) into said, through a file; returns the
 * exit status, or -1 if it did not exit normally. */
static int run(const char *tool, const char *kind, const char *prog)
{
    char path[PATH_MAX], file[] = "/tmp/misuse-stdout-XXXXXX";
    int fd = mkstemp(file), rc;
    ssize_t got;

    said[0] = '\0';
    cr_assert(fd >= 0, "mkstemp %s: %s", file, strerror(errno));
    unlink(file);
    snprintf(path, sizeof path, "misuse/%s/%s", kind, prog);
    rc = cli_run_beside_fd(tool, path, "", fd, out, sizeof out);
    got = pread(fd, said, sizeof said - 1, 0);
    said[got > 0 ? got : 0] = '\0';
    close(fd);
    return rc;
}

#define MEMCHECK "valgrind -q --error-exitcode=99 --leak-check=full"

/* make check runs this suite under memcheck with --trace-children=yes: neither Valgrind
 * nor an ASan program can run inside Valgrind, and the suite runs unwatched anyway. */
#define OUTSIDE_VALGRIND NATIVE_ONLY("the misuse programs run outside it")

static void not_under_valgrind(void)
{
    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);
}

static void need_valgrind(void)
{
    not_under_valgrind();
    if (system("command -v valgrind >/dev/null") != 0)
        cr_skip_test("valgrind is not installed (make deps)");
}

static void expect_report(const char *tool, const char *kind, const char *prog, int want_rc,
                          const char *want, const char *where)
{
    int rc = run(tool, kind, prog);

    cr_assert(rc == want_rc || (want_rc != 0 && rc != 0),
              "%s under %s: expected a report and exit status %d, got %d:\n%s", prog, kind,
              want_rc, rc, out);
    cr_assert(strstr(out, want) != NULL, "%s under %s: expected \"%s\" in:\n%s", prog, kind,
              want, out);
    cr_assert(strstr(out, where) != NULL, "%s under %s: expected the report to point at %s:\n%s",
              prog, kind, where, out);
}

/* After expect_report: memcheck reported one error, the program's, none from the
 * allocator's own bookkeeping (what `own` names). */
static void expect_one_error(const char *prog, const char *own)
{
    cr_assert(strstr(strstr(out, "Invalid") + 1, "Invalid") == NULL,
              "%s: one error, the program's: %s are not reported:\n%s", prog, own, out);
}

static void expect_silence(const char *tool, const char *kind, const char *prog)
{
    int rc = run(tool, kind, prog);

    cr_assert(rc == 0 && out[0] == '\0', "%s under %s: correct use must report nothing, "
              "got exit status %d and:\n%s", prog, kind, rc, out);
}

Test(misuse, memcheck_reports_a_read_after_pool_put, OUTSIDE_VALGRIND)
{
    need_valgrind();
    expect_report(MEMCHECK, "vg", "use_after_put", 99, "Invalid read of size 1",
                  "use_after_put.c:20");
}

Test(misuse, asan_reports_a_read_after_pool_put, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_report("", "asan", "use_after_put", 1, "use-after-poison", "use_after_put.c:20");
}

Test(misuse, memcheck_reports_a_read_after_arena_reset, OUTSIDE_VALGRIND)
{
    need_valgrind();
    expect_report(MEMCHECK, "vg", "use_after_reset", 99, "Invalid read of size 8",
                  "use_after_reset.c:23");
}

Test(misuse, asan_reports_a_read_after_arena_reset, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_report("", "asan", "use_after_reset", 1, "use-after-poison", "use_after_reset.c:23");
}

Test(misuse, memcheck_reports_trusting_a_reused_buffer_to_be_zeroed, OUTSIDE_VALGRIND)
{
    need_valgrind();
    expect_report(MEMCHECK, "vg", "dirty_read", 99,
                  "Conditional jump or move depends on uninitialised value", "dirty_read.c:22");
}

Test(misuse, asan_checks_addresses_not_contents_so_a_dirty_read_passes, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_silence("", "asan", "dirty_read");
}

Test(misuse, memcheck_reports_nothing_for_correct_use, OUTSIDE_VALGRIND)
{
    need_valgrind();
    expect_silence(MEMCHECK, "vg", "correct_use");
}

Test(misuse, asan_reports_nothing_for_correct_use, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_silence("", "asan", "correct_use");
}

/* ---- the same bugs with plain malloc, and what glibc alone notices ---- */

Test(misuse, glibc_alone_does_not_notice_a_read_after_free, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_silence("", "vg", "use_after_free");
}

Test(misuse, memcheck_reports_a_read_after_free_with_both_stacks, OUTSIDE_VALGRIND)
{
    need_valgrind();
    expect_report(MEMCHECK, "vg", "use_after_free", 99, "inside a block of size 64 free'd",
                  "use_after_free.c:17");
    cr_assert(strstr(out, "use_after_free.c:16") != NULL && strstr(out, "use_after_free.c:11"),
              "memcheck names where the block was freed (line 16) and made (line 11):\n%s", out);
}

Test(misuse, asan_reports_a_heap_use_after_free, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_report("", "asan", "use_after_free", 1, "heap-use-after-free", "use_after_free.c:17");
}

/* ---- the same bug with the free list (freelist.h), which tells both tools ---- */

Test(misuse, memcheck_reports_a_read_after_fl_free_inside_the_block_fl_free_took_back,
     OUTSIDE_VALGRIND)
{
    need_valgrind();
    expect_report(MEMCHECK, "vg", "use_after_fl_free", 99, "Invalid read of size 1",
                  "use_after_fl_free.c:23");
    cr_assert(strstr(out, "9 bytes inside a block of size 48 free'd") != NULL,
              "memcheck sees the 48 bytes fl_alloc handed out as a block, freed:\n%s", out);
    cr_assert(strstr(out, "fl_free (freelist.c:") != NULL &&
                  strstr(out, "use_after_fl_free.c:22") != NULL &&
                  strstr(out, "use_after_fl_free.c:18") != NULL,
              "memcheck names fl_free and its caller (line 22) as the free, and the "
              "fl_alloc (line 18):\n%s", out);
}

Test(misuse, asan_reports_a_read_after_fl_free_as_use_after_poison, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_report("", "asan", "use_after_fl_free", 1, "use-after-poison",
                  "use_after_fl_free.c:23");
}

/* A shrink in place leaves the bytes in the block; fl_realloc tells the tools the new size. */

Test(misuse, memcheck_reports_a_read_past_the_new_end_after_fl_realloc_shrank_in_place,
     OUTSIDE_VALGRIND)
{
    need_valgrind();
    expect_report(MEMCHECK, "vg", "read_past_fl_shrink", 99, "Invalid read of size 1",
                  "read_past_fl_shrink.c:25");
    expect_one_error("read_past_fl_shrink",
                     "fl_realloc's own writes (the header of the tail it split off)");
}

Test(misuse, asan_reports_a_read_past_the_new_end_after_fl_realloc_shrank_in_place,
     OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_report("", "asan", "read_past_fl_shrink", 1, "use-after-poison",
                  "read_past_fl_shrink.c:25");
}

/* ---- the slab pool (slab.h): a freed object whose slab lives on ---- */

Test(misuse, glibc_alone_does_not_notice_a_read_after_slab_free, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_silence("", "vg", "use_after_slab_free");
}

/* memcheck describes an address by the malloc block around it before the chunks freed
 * into a mempool, so it names the slab (made by the first slab_alloc, line 18) and notes
 * that a block freed there, the object, was "recently re-allocated". Valgrind 3.19
 * (Debian 12) and 3.24 (Debian 13) word it alike; only the allocator at the top of the
 * slab's stack differs (3.19: memalign, 3.24: aligned_alloc), and it is not pinned. */
Test(misuse, memcheck_reports_a_read_after_slab_free_inside_the_slab_that_still_lives,
     OUTSIDE_VALGRIND)
{
    char size[32], want[96];

    snprintf(want, sizeof want, "inside a recently re-allocated block of size %s alloc'd",
             report_count(SLAB_BYTES, size, sizeof size));
    need_valgrind();
    expect_report(MEMCHECK, "vg", "use_after_slab_free", 99, "Invalid read of size 1",
                  "use_after_slab_free.c:25");
    cr_assert(strstr(out, want) != NULL,
              "memcheck sees the read inside the slab, malloc's block of SLAB_BYTES, with a "
              "freed block (the object) in it:\n%s", out);
    cr_assert(strstr(out, "slab_alloc (slab.c:") != NULL &&
                  strstr(out, "use_after_slab_free.c:18") != NULL,
              "memcheck names the slab_alloc that made the slab (line 18):\n%s", out);
    expect_one_error("use_after_slab_free", "the pool's own reads and writes of its free list");
}

Test(misuse, asan_reports_a_read_after_slab_free_as_use_after_poison, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_report("", "asan", "use_after_slab_free", 1, "use-after-poison",
                  "use_after_slab_free.c:25");
}

/* ---- the buddy allocator (buddy.h): a read past the bytes asked for, inside the block ----
 *
 * read_past_buddy_request.c asks a region of 2^12 B with blocks from 2^4 for 600 B, gets
 * the region's first block of 1,024 B, and reads byte 700. buddy.c opens only the 600 B
 * asked for. memcheck, as with the slab, describes the address by the malloc block around
 * it: the region and its side table from buddy_init's one malloc. */
#define MISUSE_BUDDY_K 12
#define MISUSE_BUDDY_MIN 4

Test(misuse, glibc_alone_does_not_notice_a_read_past_the_request_inside_a_buddy_block,
     OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    cr_assert(eq(int, run("", "vg", "read_past_buddy_request"), 0), "%s", out);
    cr_assert(eq(str, out, ""), "glibc's malloc made the region; the buddy's blocks are not "
                                "its own, so it has nothing to say:\n%s", out);
    cr_assert(strstr(said, "a block of 1024 B;") != NULL,
              "the request of 600 B took a block of 1,024 B:\n%s", said);
}

Test(misuse, memcheck_reports_a_read_past_the_request_inside_a_buddy_block, OUTSIDE_VALGRIND)
{
    char size[32], want[96];

    snprintf(want, sizeof want, "700 bytes inside a block of size %s alloc'd",
             report_count(buddy_init_bytes(MISUSE_BUDDY_K, MISUSE_BUDDY_MIN), size, sizeof size));
    need_valgrind();
    expect_report(MEMCHECK, "vg", "read_past_buddy_request", 99, "Invalid read of size 1",
                  "read_past_buddy_request.c:22");
    cr_assert(strstr(out, want) != NULL,
              "memcheck describes byte 700 by buddy_init's malloc block (the region and its "
              "side table), expected \"%s\" in:\n%s", want, out);
    cr_assert(strstr(out, "buddy_init (buddy.c:") != NULL &&
                  strstr(out, "read_past_buddy_request.c:16") != NULL,
              "memcheck names the buddy_init that made the region (line 16):\n%s", out);
    expect_one_error("read_past_buddy_request",
                     "the allocator's own reads and writes of its lists and side table");
}

Test(misuse, asan_reports_a_read_past_the_request_inside_a_buddy_block_as_use_after_poison,
     OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_report("", "asan", "read_past_buddy_request", 1, "use-after-poison",
                  "read_past_buddy_request.c:22");
}

Test(misuse, glibc_alone_aborts_on_a_double_free_its_tcache_catches, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    /* SIGABRT: the shell running the program reports 128 + 6 */
    expect_report("", "vg", "double_free", 134, "double free detected", "");
}

Test(misuse, memcheck_reports_the_second_free_as_invalid, OUTSIDE_VALGRIND)
{
    need_valgrind();
    expect_report(MEMCHECK, "vg", "double_free", 99, "Invalid free()", "double_free.c:24");
    cr_assert(strstr(out, "double_free.c:23") != NULL,
              "memcheck names the first free (line 23):\n%s", out);
}

Test(misuse, asan_reports_an_attempted_double_free, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_report("", "asan", "double_free", 1, "attempting double-free", "double_free.c:24");
}

/* ---- the four kinds of leak ---- */

Test(misuse, memcheck_names_all_four_kinds_of_leak_with_their_sizes, OUTSIDE_VALGRIND)
{
    static const char *const want[] = {
        "definitely lost: 16 bytes in 1 blocks", "indirectly lost: 200 bytes in 1 blocks",
        "possibly lost: 300 bytes in 1 blocks", "still reachable: 400 bytes in 1 blocks"};

    need_valgrind();
    /* definite and possible leaks are errors by default; the exit status says so */
    expect_report("valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=all", "vg",
                  "leak_kinds", 99, "LEAK SUMMARY", "leak_kinds.c:24");
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert(strstr(out, want[i]) != NULL, "expected \"%s\" in memcheck's summary:\n%s",
                  want[i], out);
}

Test(misuse, leak_sanitizer_reports_direct_and_indirect_leaks_only, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_report("env ASAN_OPTIONS=detect_leaks=1", "asan", "leak_kinds", 1,
                  "Direct leak of 16 byte(s) in 1 object(s)", "leak_kinds.c:24");
    cr_assert(strstr(out, "Indirect leak of 200 byte(s) in 1 object(s)") != NULL,
              "LeakSanitizer reports the block behind the lost one as indirect:\n%s", out);
    cr_assert(strstr(out, "216 byte(s) leaked in 2 allocation(s)") != NULL,
              "LeakSanitizer counts an interior pointer (300 B) and a global (400 B) as "
              "references, so only 216 bytes in 2 blocks are leaks to it:\n%s", out);
}

/* ---- the slot map (handle.h): a pointer kept where a handle should have been ---- */

/* handle.c's growth is a malloc of twice the slots, a copy and a free of the old array,
 * never realloc: the first growth's array (HMAP_MIN_CAP slots) is freed by the insert
 * that finds it full, and the pointer taken before points into it. */
static const char grow_read[] = "stale_ptr_after_grow.c:26",
                  grow_insert[] = "stale_ptr_after_grow.c:24",
                  grow_first[] = "stale_ptr_after_grow.c:20";

/* glibc puts the freed array in its tcache, whose link and key take the array's first 16
 * bytes, object 1's id and value: glibc 2.36 (Debian 12) and 2.41 (Debian 13) alike. The
 * program's exit status says the handle resolved to object 1 at its new address. */
Test(misuse, glibc_alone_does_not_notice_a_read_through_a_pointer_kept_past_a_growth,
     OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_silence("", "vg", "stale_ptr_after_grow");
    cr_assert(strstr(said, "kept pointer: id not 1") != NULL &&
                  strstr(said, "kept handle: id 1, at a new address: yes") != NULL,
              "glibc alone: the read gives malloc's link where object 1's id was, and the "
              "handle resolves to object 1 moved; the program printed:\n%s", said);
}

Test(misuse, memcheck_reports_a_read_through_a_pointer_kept_past_a_growth_inside_the_freed_array,
     OUTSIDE_VALGRIND)
{
    char want[96];

    snprintf(want, sizeof want, "0 bytes inside a block of size %zu free'd",
             HMAP_MIN_CAP * sizeof(struct hslot));
    need_valgrind();
    expect_report(MEMCHECK, "vg", "stale_ptr_after_grow", 99, "Invalid read of size 8", grow_read);
    cr_assert(strstr(out, want) != NULL,
              "memcheck sees the read in the first array, HMAP_MIN_CAP slots, freed: "
              "expected \"%s\" in:\n%s", want, out);
    cr_assert(strstr(out, "grow (handle.c:") != NULL && strstr(out, grow_insert) != NULL &&
                  strstr(out, grow_first) != NULL,
              "memcheck names grow()'s free under the insert that grew the array (%s) and "
              "grow()'s malloc under the first insert (%s):\n%s", grow_insert, grow_first, out);
    expect_one_error("stale_ptr_after_grow", "reads of the new array");
    cr_assert(strstr(said, "kept pointer: id 1, object 1's copy in the freed array") != NULL,
              "memcheck holds freed blocks back untouched, so the read gives object 1's old "
              "copy; the program printed:\n%s", said);
}

Test(misuse, asan_reports_a_read_through_a_pointer_kept_past_a_growth_as_heap_use_after_free,
     OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_report("", "asan", "stale_ptr_after_grow", 1, "heap-use-after-free", grow_read);
    cr_assert(strstr(out, " in grow ") != NULL && strstr(out, grow_insert) != NULL,
              "ASan names grow() and the insert that grew the array (%s) as the free:\n%s",
              grow_insert, out);
}

/* The slot's bytes are the live array's, written by the insert that reused the slot: no
 * tool can tell the stale read (line 25) from a good one. The program exits 0 only when
 * the pointer read object 2 and the kept handle resolved to NULL. */
static void expect_unseen(const char *tool, const char *kind, const char *who)
{
    int rc = run(tool, kind, "stale_ptr_after_reuse");

    cr_assert(rc == 0 && out[0] == '\0',
              "stale_ptr_after_reuse under %s: the stale read is of live, initialised bytes "
              "and must pass unseen, the program exiting 0; got exit status %d and:\n%s",
              who, rc, out);
    cr_assert(strstr(said, "kept pointer: id 2, value 200 (object 2's, read silently)") &&
                  strstr(said, "kept handle: NULL, caught; new handle: id 2"),
              "stale_ptr_after_reuse under %s: the kept pointer reads object 2 and the kept "
              "handle resolves to NULL; the program printed:\n%s", who, said);
}

Test(misuse, glibc_alone_does_not_notice_a_pointer_kept_past_a_slot_reuse, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_unseen("", "vg", "glibc alone");
}

Test(misuse, memcheck_does_not_notice_a_pointer_kept_past_a_slot_reuse, OUTSIDE_VALGRIND)
{
    need_valgrind();
    expect_unseen(MEMCHECK, "vg", "memcheck");
}

Test(misuse, asan_does_not_notice_a_pointer_kept_past_a_slot_reuse, OUTSIDE_VALGRIND)
{
    not_under_valgrind();
    expect_unseen("", "asan", "asan");
}
