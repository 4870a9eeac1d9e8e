/* refcycle.c: a reference cycle leaked for real (README, "Reference counting"). A parent
 * and three children whose back-pointers are counted (rc_tree_new(3, true)): the last
 * outside reference is released and nothing is freed. Built with refcount.c on glibc's
 * malloc as it is, without the counting allocator, at -O0; the tests run it under memcheck
 * and pin what memcheck calls its blocks. No arguments. */
#include <stdio.h>

#include "refcount.h"

#define KIDS 3

/* The caller's one reference, given back: the only outside pointer goes with this frame. */
static int build_and_drop(void)
{
    struct rc_node *parent = rc_tree_new(KIDS, true);

    if (parent == NULL)
        return -1;
    rc_release(parent); /* the bug: the children's counted back-pointers keep it all */
    return 0;
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "refcycle: takes no arguments, got %d\n", argc - 1);
        return 2;
    }
    if (build_and_drop() != 0) {
        fprintf(stderr, "refcycle: out of memory while building the tree\n");
        return 1;
    }
    return 0;
}
