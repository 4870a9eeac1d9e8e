/* exercise.c: your field_sum (make exercise-03 checks it; exercise.h is the contract).
 *
 * It gives the right sums, but every call allocates: a benchmark of it reports
 * 1 allocs/op and as many B/op as the line is long, however warm it runs.
 *
 * TODO: find the allocation and remove it, without changing a single result.
 * Budget: 0 allocs/op (test_exercise.c checks it with countalloc_allocs_per_run, the
 * C counterpart of Go's testing.AllocsPerRun). */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>

int field_sum(const char *line, long long *sum)
{
    char *copy = strdup(line); /* strtok_r writes into its string */
    char *save = NULL;
    long long total = 0;

    if (copy == NULL)
        return -1;
    for (char *f = strtok_r(copy, ",", &save); f != NULL; f = strtok_r(NULL, ",", &save))
        total += strtoll(f, NULL, 10);
    free(copy);
    *sum = total;
    return 0;
}
