/* uninit_use.c: an array from malloc, filled but for one element, copied, summed, and only
 * then tested. memcheck says nothing at the copy or the sum: it carries the bytes' being
 * undefined along with them, and reports at the branch that depends on them ("Conditional
 * jump or move depends on uninitialised value(s)", the line marked "uninit: use"), far
 * from the malloc. With --track-origins=yes it adds where the bytes came from: the malloc
 * on the line marked "uninit: origin". Built at -O0 on glibc's malloc; make uninit-01 and
 * test_uninit.c run it under memcheck. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 8
#define SKIPPED 3 /* the element never written */

int main(void)
{
    int *a = malloc(N * sizeof *a); /* uninit: origin */
    int *b = malloc(N * sizeof *b);
    long sum = 0;

    if (a == NULL || b == NULL) {
        free(a);
        free(b);
        return 1;
    }
    for (int i = 0; i < N; i++)
        if (i != SKIPPED)
            a[i] = i;
    memcpy(b, a, N * sizeof *a); /* copied: no report */
    for (int i = 0; i < N; i++)
        sum += b[i]; /* added up: no report */
    if (sum > 0) /* uninit: use */
        puts("positive");
    else
        puts("not positive");
    free(a);
    free(b);
    return 0;
}
