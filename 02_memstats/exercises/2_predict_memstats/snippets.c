/* snippets.c: five snippets. For each, predict in exercise.c the five figures that
 * countalloc_read would show moved over it (see exercise.h). A snippet's return value is
 * still live when it ends: it counts in heap_alloc. */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>

void *snippet_keep_one_of_two(int *failed)
{
    char *a = malloc(100);
    char *b = malloc(200);

    free(a);
    *failed = a == NULL || b == NULL;
    return b;
}

/* A scratch buffer per iteration, freed at the end of it. */
void *snippet_scratch_in_a_loop(int *failed)
{
    for (int i = 0; i < 10; i++) {
        char *scratch = malloc(64);
        if (scratch == NULL) {
            *failed = 1;
            return NULL;
        }
        memset(scratch, i, 64);
        free(scratch);
    }
    *failed = 0;
    return NULL;
}

void *snippet_realloc_grow(int *failed)
{
    char *p = malloc(1000), *q;

    if (p == NULL) {
        *failed = 1;
        return NULL;
    }
    q = realloc(p, 4000);
    if (q == NULL) {
        free(p);
        *failed = 1;
        return NULL;
    }
    free(q);
    *failed = 0;
    return NULL;
}

/* Three names kept in an array of three pointers. */
void *snippet_three_names_kept(int *failed)
{
    static const char *const names[] = {"ada", "grace", "linus"};
    char **kept = malloc(3 * sizeof *kept);

    *failed = 0;
    if (kept == NULL) {
        *failed = 1;
        return NULL;
    }
    for (int i = 0; i < 3; i++)
        if ((kept[i] = strdup(names[i])) == NULL)
            *failed = 1;
    return kept;
}

void names_free(void *names)
{
    char **kept = names;

    for (int i = 0; kept != NULL && i < 3; i++)
        free(kept[i]);
    free(kept);
}

/* A linked list of five nodes of 16 bytes, then freed node by node. */
struct node {
    struct node *next;
    long value;
};

void *snippet_list_built_and_freed(int *failed)
{
    struct node *head = NULL;

    *failed = 0;
    for (long i = 0; i < 5; i++) {
        struct node *n = malloc(sizeof *n);
        if (n == NULL) {
            *failed = 1;
            break;
        }
        n->value = i;
        n->next = head;
        head = n;
    }
    while (head != NULL) {
        struct node *next = head->next;
        free(head);
        head = next;
    }
    return NULL;
}
