/* snippets.c: six ways to hold ten numbers. Read each one and write, in exercise.c, how
 * many allocations it makes and how many bytes they ask for. sizeof(int64_t) is 8, a
 * pointer is 8 bytes, and struct rec below is 16. */
#include "exercise.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Sum of v[0..n): what each snippet checks before it frees. */
static int64_t sum(const int64_t *v, size_t n)
{
    int64_t s = 0;

    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

#define WANT 45 /* 0 + 1 + ... + 9 */

/* Append, growing by one element every time: realloc(v, (len + 1) * 8). */
int snippet_grow_by_one(void)
{
    int64_t *v = NULL, *w;
    size_t len = 0;
    int rc;

    for (int64_t i = 0; i < GROW_N; i++) {
        w = realloc(v, (len + 1) * sizeof *v);
        if (w == NULL)
            break;
        v = w;
        v[len++] = i;
    }
    rc = sum(v, len) == WANT ? 0 : -1;
    free(v);
    return rc;
}

/* Append, doubling the capacity when full: 1, 2, 4, ... elements. */
int snippet_grow_doubling_from_one(void)
{
    int64_t *v = NULL, *w;
    size_t len = 0, cap = 0;
    int rc;

    for (int64_t i = 0; i < GROW_N; i++) {
        if (len == cap) {
            size_t ncap = cap == 0 ? 1 : cap * 2;
            w = realloc(v, ncap * sizeof *v);
            if (w == NULL)
                break;
            v = w;
            cap = ncap;
        }
        v[len++] = i;
    }
    rc = sum(v, len) == WANT ? 0 : -1;
    free(v);
    return rc;
}

/* The same, but the first buffer holds 4 elements. */
int snippet_grow_doubling_from_four(void)
{
    int64_t *v = NULL, *w;
    size_t len = 0, cap = 0;
    int rc;

    for (int64_t i = 0; i < GROW_N; i++) {
        if (len == cap) {
            size_t ncap = cap == 0 ? 4 : cap * 2;
            w = realloc(v, ncap * sizeof *v);
            if (w == NULL)
                break;
            v = w;
            cap = ncap;
        }
        v[len++] = i;
    }
    rc = sum(v, len) == WANT ? 0 : -1;
    free(v);
    return rc;
}

/* Sized up front: Go's make([]int64, 0, 10). */
int snippet_presized(void)
{
    int64_t *v = malloc(GROW_N * sizeof *v);
    int rc;

    if (v == NULL)
        return -1;
    for (int64_t i = 0; i < GROW_N; i++)
        v[i] = i;
    rc = sum(v, GROW_N) == WANT ? 0 : -1;
    free(v);
    return rc;
}

/* Boxed: an array of pointers, each number in a block of its own (Python's list of ints,
 * Go's []*int64 or []any). */
int snippet_boxed(void)
{
    int64_t **box = malloc(GROW_N * sizeof *box);
    int64_t s = 0;
    size_t made = 0;

    if (box == NULL)
        return -1;
    for (; made < GROW_N; made++) {
        box[made] = malloc(sizeof **box);
        if (box[made] == NULL)
            break;
        *box[made] = (int64_t)made;
        s += *box[made];
    }
    while (made > 0)
        free(box[--made]);
    free(box);
    return s == WANT ? 0 : -1;
}

/* Records that own their names: each struct rec is a block, and so is each name. Three
 * records, named "ada", "grace" and "linus", each holding one of the numbers. */
struct rec {
    char *name;
    int64_t n;
};

int snippet_records_with_names(void)
{
    static const char *const names[] = {"ada", "grace", "linus"};
    struct rec *r[3] = {NULL, NULL, NULL};
    int rc = 0;

    for (int i = 0; i < 3 && rc == 0; i++) {
        r[i] = malloc(sizeof *r[i]);
        if (r[i] == NULL || (r[i]->name = strdup(names[i])) == NULL)
            rc = -1;
        else
            r[i]->n = i;
        if (rc != 0) {
            free(r[i]);
            r[i] = NULL;
        }
    }
    for (int i = 0; i < 3; i++) {
        if (r[i] != NULL)
            free(r[i]->name);
        free(r[i]);
    }
    return rc;
}
