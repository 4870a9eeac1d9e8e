/* Fix a case-insensitive sort whose comparator mallocs a lowercased copy of each side: two
 * allocations per comparison, so n words cost about 2 n log2 n of them.
 *
 * The order is right, every copy is freed, and a copy that cannot be allocated falls back
 * to comparing in place. TODO: make the sort allocate nothing of its own (qsort's buffer
 * is qsort's), in exactly the same order, ties between words equal but for case included
 * (exercise.h). */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A malloc'd copy of s with A-Z lowered, or NULL. */
static char *lowered(const char *s)
{
    size_t len = strlen(s);
    char *k = malloc(len + 1);

    if (k == NULL)
        return NULL;
    for (size_t i = 0; i <= len; i++)
        k[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    return k;
}

static int cmp_ci(const void *pa, const void *pb)
{
    const char *a = *(char *const *)pa, *b = *(char *const *)pb;
    char *la = lowered(a), *lb = la == NULL ? NULL : lowered(b);
    int c;

    if (lb == NULL) { /* no copy: this pair in place, the same order */
        free(la);
        c = strcasecmp(a, b);
    } else {
        c = strcmp(la, lb);
        free(la);
        free(lb);
    }
    return c != 0 ? c : strcmp(a, b); /* equal but for case: by the bytes */
}

void sort_ci(char **v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_ci);
}
