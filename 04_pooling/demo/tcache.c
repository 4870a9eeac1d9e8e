/* tcache.c: where glibc's free puts a 1 KiB and a 4 KiB block, plain and through the
 * counting allocator (tcache.h). make tcache-04 runs it. bench.c's WithAlloc mallocs
 * 1,024 bytes through the counting allocator, whose 16-byte header makes glibc's request
 * 1,040 bytes. */
#include <gnu/libc-version.h>
#include <stdio.h>

#include "cli.h"
#include "report.h"
#include "tcache.h"

#define PROG "tcache"

int main(int argc, char **argv)
{
    static const struct {
        size_t n;
        bool counted;
        const char *how;
    } rows[] = {
        {1024, false, "glibc's own"},
        {1032, false, "glibc's own"},
        {1040, false, "glibc's own"},
        {1024, true, "counted (bench.c)"},
        {4096, false, "glibc's own"},
        {4096, true, "counted (bench.c)"},
    };

    cli_close_stdout_at_exit(PROG);
    if (argc > 1) {
        fprintf(stderr, "%s: takes no arguments, got '%s'\n", PROG, argv[1]);
        return 2;
    }
    printf("glibc %s: where free puts a block (a live block after it keeps it off the heap's top)\n",
           gnu_get_libc_version());
    printf("  %-32s %-10s %16s\n", "", "freed into", "bins grew by");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char what[64], grew[32];
        long g = tcache_freed_to_bins(rows[i].n, rows[i].counted);

        if (g < 0)
            cli_oom(PROG, "allocating the block");
        snprintf(what, sizeof what, "malloc(%zu), %s", rows[i].n, rows[i].how);
        report_count((unsigned long long)g, grew, sizeof grew);
        printf("  %-32s %-10s %14s B\n", what, g == 0 ? "tcache" : "bins", grew);
    }
    return 0;
}
