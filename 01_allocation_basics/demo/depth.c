/* depth.c: a 1 KiB struct passed down D levels of recursion, by value or by pointer.
 *
 *   depth [--heavy|--light] [D]    --heavy: by value, --light: by pointer (default both),
 *                                  D levels (default 64)
 *
 * Neither side allocates, so allocation counts and plain massif see nothing; under
 * `valgrind --tool=massif --stacks=yes` the stack's peak is about D KiB by value and a
 * few hundred bytes plus D small frames by pointer (make massif-stacks-01).
 */
#include <stdbool.h>
#include <stdio.h>

#include "big.h"
#include "cli.h"

#define PROG "depth"
#define DEFAULT_D 64
#define MAX_D 4096 /* 4 MiB of copies by value: within an 8 MiB stack */

int main(int argc, char **argv)
{
    static struct big big;
    bool run_heavy, run_light;
    uint64_t d = DEFAULT_D;
    int argi;

    cli_close_stdout_at_exit(PROG);
    argi = cli_side(argc, argv, &run_heavy, &run_light);
    cli_max_args(PROG, argc - argi + 1, 1, "[--heavy|--light] [D]");
    if (argi < argc)
        d = cli_u64(PROG, "D", argv[argi], 1, MAX_D);
    for (int i = 0; i < 128; i++)
        big.a[i] = i;
    if (run_heavy)
        printf("by value:   sum %lld over %llu levels\n",
               (long long)big_depth_value(big, (unsigned)d), (unsigned long long)d);
    if (run_light)
        printf("by pointer: sum %lld over %llu levels\n",
               (long long)big_depth_pointer(&big, (unsigned)d), (unsigned long long)d);
    return 0;
}
