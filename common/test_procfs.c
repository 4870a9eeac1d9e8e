/* test_procfs.c: procfs_read reads a file whole, or cut to the buffer, ends it with '\0'
 * and allocates nothing; procfs_kib turns a kB figure into bytes. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "procfs.h"

static const char text[] = "Name:\tx\nVmSize:\t   10240 kB\nVmRSS:\t     512 kB\n";

/* A temporary file holding text; its name into path (a template ending in XXXXXX). */
static void make_file(char *path)
{
    int fd = mkstemp(path);

    cr_assert(fd >= 0);
    cr_assert(eq(sz, (size_t)write(fd, text, strlen(text)), strlen(text)));
    close(fd);
}

Test(procfs, reads_a_file_whole_and_ends_it)
{
    char path[] = "/tmp/test-procfs-XXXXXX", buf[256];

    make_file(path);
    memset(buf, 'x', sizeof buf);
    cr_assert(eq(int, procfs_read(path, buf, sizeof buf), 0));
    cr_assert(eq(str, buf, (char *)text));
    unlink(path);
}

Test(procfs, a_file_longer_than_the_buffer_is_cut_to_fit)
{
    char path[] = "/tmp/test-procfs-XXXXXX", buf[8], one[1];

    make_file(path);
    cr_assert(eq(int, procfs_read(path, buf, sizeof buf), 0));
    cr_assert(eq(str, buf, "Name:\tx"), "7 bytes and the terminating 0");
    cr_assert(eq(int, procfs_read(path, one, sizeof one), 0));
    cr_assert(eq(str, one, ""));
    errno = 0;
    cr_assert(eq(int, procfs_read(path, buf, 0), -1));
    cr_assert(eq(int, errno, EINVAL));
    unlink(path);
}

Test(procfs, a_file_that_is_not_there_is_an_error_from_open)
{
    char buf[16];

    errno = 0;
    cr_assert(eq(int, procfs_read("/proc/self/no-such-file", buf, sizeof buf), -1));
    cr_assert(eq(int, errno, ENOENT));
}

Test(procfs, kib_reads_a_figure_as_bytes_and_an_absent_key_as_0)
{
    cr_assert(eq(u64, procfs_kib(text, "\nVmSize:"), 10240 * 1024));
    cr_assert(eq(u64, procfs_kib(text, "\nVmRSS:"), 512 * 1024));
    cr_assert(eq(u64, procfs_kib(text, "\nVmHWM:"), 0));
}

/* What it is for: a program reads its own memory figures without moving them. */
Test(procfs, reading_this_process_status_allocates_nothing)
{
    char status[8192];
    int rc = -1;

    ASSERT_NO_ALLOCS(rc = procfs_read("/proc/self/status", status, sizeof status));
    cr_assert(eq(int, rc, 0));
    cr_assert(procfs_kib(status, "\nVmRSS:") > 0, "a running process has resident pages");
}

/* procfs_status_bytes: one figure of this process's status, as procfs_kib reads it from the
 * whole file, without allocating; an absent key is 0. */
Test(procfs, status_bytes_reads_one_figure_without_allocating)
{
    char status[8192];
    uint64_t hwm = 0, none = 1;

    ASSERT_NO_ALLOCS(hwm = procfs_status_bytes("\nVmHWM:"));
    ASSERT_NO_ALLOCS(none = procfs_status_bytes("\nNoSuchKey:"));
    cr_assert(eq(int, procfs_read("/proc/self/status", status, sizeof status), 0));
    /* the high-water mark moves only up, and only with the resident set */
    cr_assert(hwm > 0 && hwm <= procfs_kib(status, "\nVmHWM:"), "VmHWM %" PRIu64 " then %" PRIu64,
              hwm, procfs_kib(status, "\nVmHWM:"));
    cr_assert(eq(u64, hwm % 1024, 0), "a kB figure as bytes");
    cr_assert(eq(u64, none, 0));
}

/* procfs_self_vm: both figures of the same file, and a 4 MiB block written shows in both. */
Test(procfs, self_vm_reads_the_address_space_and_the_resident_set_and_allocates_nothing)
{
    uint64_t size0 = 0, rss0 = 0, size1 = 0, rss1 = 0;
    size_t len = 4u << 20;
    char *p;
    int rc = -1;

    ASSERT_NO_ALLOCS(rc = procfs_self_vm(&size0, &rss0));
    cr_assert(eq(int, rc, 0));
    cr_assert(rss0 > 0 && size0 >= rss0, "VmSize %llu, VmRSS %llu", (unsigned long long)size0,
              (unsigned long long)rss0);
    p = malloc(len);
    cr_assert(not(eq(ptr, p, NULL)));
    memset(p, 1, len);
    cr_assert(eq(int, procfs_self_vm(&size1, &rss1), 0));
    cr_assert(ge(u64, size1, size0 + len), "the block's pages are mapped");
    cr_assert(ge(u64, rss1, rss0 + len / 2), "and, once written, resident");
    free(p);
}

/* procfs_mapping finds the mapping that holds an address, reading smaps a piece at a time,
 * and allocates nothing. A block of 4 MiB is past glibc's mmap threshold: its own pages. */
/* Each page of a fresh anonymous mapping faults once when first written: 64 pages (256 KiB
 * with 4 KiB pages, under a huge page's 2 MiB) raise the count by at least 64. */
Test(procfs, minor_faults_count_each_fresh_page_written_and_allocate_nothing)
{
    enum { PAGES = 64 };
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *m = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t before, after;

    cr_assert(m != MAP_FAILED);
    ASSERT_NO_ALLOCS(before = procfs_minor_faults());
    for (size_t i = 0; i < PAGES; i++)
        m[i * page] = 1;
    after = procfs_minor_faults();
    cr_assert(ge(u64, after - before, PAGES), "%d fresh pages written: %" PRIu64 " faults",
              PAGES, after - before);
    munmap(m, PAGES * page);
}

/* The switch is the process's: off while a measurement runs, then as the caller had it,
 * including a caller that had it off already (an outer measurement). */
Test(procfs, thp_off_turns_huge_pages_off_and_restore_puts_back_the_callers_setting)
{
    int outer, inner;

    cr_assert(eq(int, prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0), 0), "a test starts with them on");
    ASSERT_NO_ALLOCS(outer = procfs_thp_off());
    cr_assert(eq(int, outer, 0), "the caller had them on");
    cr_assert(eq(int, prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0), 1), "off while it measures");
    inner = procfs_thp_off();
    cr_assert(eq(int, inner, 1), "an inner measurement finds them off");
    procfs_thp_restore(inner);
    cr_assert(eq(int, prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0), 1),
              "the inner restore leaves them off for the outer measurement");
    procfs_thp_restore(outer);
    cr_assert(eq(int, prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0), 0), "on again, as the caller had them");
}

Test(procfs, mapping_finds_the_block_that_holds_an_address_and_allocates_nothing)
{
    size_t len = 4u << 20;
    char *p = malloc(len), block[4096];
    int rc = -1;

    cr_assert(not(eq(ptr, p, NULL)));
    memset(p, 1, len);
    ASSERT_NO_ALLOCS(rc = procfs_mapping("/proc/self/smaps", p + len / 2, block, sizeof block));
    cr_assert(eq(int, rc, 0));
    cr_assert(ge(u64, procfs_kib(block, "\nRss:"), len), "every page of the block was written");
    cr_assert(ge(u64, procfs_kib(block, "\nPrivate_Dirty:"), len));
    cr_assert(eq(ptr, strchr(block + 1, '-') < strchr(block, '\n') ? block : NULL, block),
              "the block starts with the mapping's address line");
    errno = 0;
    cr_assert(eq(int, procfs_mapping("/proc/self/smaps", (void *)16, block, sizeof block), -1));
    cr_assert(eq(int, errno, ENOENT), "no mapping holds the first page");
    errno = 0;
    cr_assert(eq(int, procfs_mapping("/proc/self/smaps", p, block, 8), -1));
    cr_assert(eq(int, errno, ERANGE), "a block that does not fit");
    free(p);
}
