/* snippets.c: N_RECORDS records of struct tight (exercise.h), two ways. Read each one
 * and write, in exercise.c, how many allocations it makes and how many bytes they ask
 * for in all. */
#include "exercise.h"

#include <stdlib.h>

/* What each snippet checks before it frees: the ids 0, 1, ... N_RECORDS - 1. */
#define WANT ((int64_t)N_RECORDS * (N_RECORDS - 1) / 2)

/* One array: Go's make([]tight, n). */
int snippet_tight_array(void)
{
    struct tight *a = malloc(N_RECORDS * sizeof *a);
    int64_t sum = 0;

    if (a == NULL)
        return -1;
    for (int i = 0; i < N_RECORDS; i++)
        a[i] = (struct tight){.score = 0.5, .id = i, .kind = 'k', .flag = 1};
    for (int i = 0; i < N_RECORDS; i++)
        sum += a[i].id;
    free(a);
    return sum == WANT ? 0 : -1;
}

/* One malloc per record, behind an array of pointers: Go's []*tight, Python's list of
 * objects. */
int snippet_tight_each(void)
{
    struct tight **each = malloc(N_RECORDS * sizeof *each);
    int64_t sum = 0;
    int made = 0;

    if (each == NULL)
        return -1;
    for (; made < N_RECORDS; made++) {
        if ((each[made] = malloc(sizeof **each)) == NULL)
            break;
        *each[made] = (struct tight){.score = 0.5, .id = made, .kind = 'k', .flag = 1};
        sum += each[made]->id;
    }
    while (made > 0)
        free(each[--made]);
    free(each);
    return sum == WANT ? 0 : -1;
}
