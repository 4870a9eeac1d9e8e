/* use_after_reset.c: keeps a pointer to an arena object across arena_reset and reads it.
 * memcheck reports "Invalid read" and ASan "use-after-poison" at the marked line. */
#include <stdio.h>

#include "arena.h"

struct node {
    struct node *next;
    long key;
};

int main(void)
{
    struct arena a;
    struct node *n;

    arena_init(&a, 0);
    n = arena_alloc(&a, sizeof *n);
    if (n == NULL)
        return 1;
    *n = (struct node){NULL, 42};
    arena_reset(&a);
    printf("key: %ld\n", n->key); /* the bug: the reset freed every node */
    arena_destroy(&a);
    return 0;
}
