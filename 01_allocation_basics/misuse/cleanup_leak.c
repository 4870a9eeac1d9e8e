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
/* cleanup_leak: run the job once; with COUNTALLOC_FAIL_AT=2 the name's malloc fails and
 * the struct leaks. cleanup_leak sweep: the OOM sweep of the job, what it finds (the
 * block it leaks stays leaked). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "countalloc.h"
#include "sweep.h"

#define PROG "cleanup_leak"

static int job(void *ctx)
{
    struct cleanup_record *r = NULL;

    (void)ctx;
    if (cleanup_leaky("Alice", 8, &r) != 0)
        return -1;
    cleanup_free(r);
    return 0;
}

int main(int argc, char **argv)
{
    struct sweep_result s;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[sweep]");
    if (argc == 1) {
        if (job(NULL) != 0) {
            fprintf(stderr, "%s: out of memory building the record\n", PROG);
            return 1;
        }
        return 0;
    }
    if (strcmp(argv[1], "sweep") != 0) {
        fprintf(stderr, "%s: the argument must be \"sweep\" or nothing, not \"%s\"\n", PROG, argv[1]);
        return 2;
    }
    if (!countalloc_can_inject()) {
        fprintf(stderr, "%s: this build (sanitizers) has no fault injection\n", PROG);
        return 1;
    }
    sweep_run(job, NULL, 0, &s);
    printf("the sweep of cleanup_leaky(\"Alice\", 8): %u allocation points failed in turn, %u reported\n",
           s.points, s.points - s.unreported);
    printf("  leaks: %u; the first when allocation %u failed: %lld bytes in %lld block (the struct is %zu)\n",
           s.leaks, s.first_leak, (long long)s.leaked_bytes, (long long)s.leaked_objects,
           sizeof(struct cleanup_record));
    printf("  with no failure: %s\n", s.completed ? "a clean run" : "NOT a clean run");
    return 0;
}
#endif
