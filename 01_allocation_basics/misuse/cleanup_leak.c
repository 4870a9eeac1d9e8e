/* cleanup_leak.c: the job of cleanup.h with the classic bug: the goto ladder, but the
 * name's failure path returns at once and forgets the struct taken before it. Every
 * other path is right, so only a failure of the 2nd allocation leaks, sizeof(struct
 * cleanup_record) bytes in 1 block; test_cleanup.c's sweep finds exactly that. Linked
 * into lesson 01's tests, and built alone (CLEANUP_LEAK_MAIN) for memcheck's report,
 * never into a demo. */
#include "cleanup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cleanup_leaky(const char *name, size_t ntags, struct cleanup_record **out)
{
    size_t len = strlen(name);
    struct cleanup_record *r;
    char *scratch;

    if (ntags == 0 || ntags > CLEANUP_MAX_TAGS)
        return errno = EINVAL, -1;
    r = malloc(sizeof *r);
    if (r == NULL)
        goto fail;
    r->ntags = ntags;
    r->name = malloc(len + 1);
    if (r->name == NULL)
        goto fail; /* the bug: r is still allocated; this should be fail_record */
    r->tags = malloc(ntags * sizeof *r->tags);
    if (r->tags == NULL)
        goto fail_name;
    scratch = malloc(len + 1);
    if (scratch == NULL)
        goto fail_tags;
    cleanup_fill(r, name, len, scratch);
    free(scratch);
    *out = r;
    return 0;

fail_tags:
    free(r->tags);
fail_name:
    free(r->name);
    free(r);
fail:
    errno = ENOMEM;
    return -1;
}

#ifdef CLEANUP_LEAK_MAIN
/* Run the job once; with COUNTALLOC_FAIL_AT=2 the name's malloc fails and the struct leaks. */
#include <stdio.h>

#include "cli.h"

int main(int argc, char **argv)
{
    struct cleanup_record *r = NULL;

    (void)argv;
    cli_max_args("cleanup_leak", argc, 0, "(it takes none)");

    if (cleanup_leaky("Alice", 3, &r) != 0) {
        fprintf(stderr, "cleanup_leak: out of memory building the record\n");
        return 1;
    }
    cleanup_free(r);
    return 0;
}
#endif
