/* Fix field_sum: the sums are right, but every call allocates (1 allocs/op; B/op is the
 * line's length plus one). Find the allocation and remove it without changing a result:
 * the budget is 0 allocs/op, measured with countalloc_allocs_per_run (Go's
 * AllocsPerRun). */
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
