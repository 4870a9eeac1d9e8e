/* cleanup.c: the four ways of cleanup.h. The functions are quoted whole in the README
 * (between their first line and their closing brace), so each stays self-contained. */
#include "cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void cleanup_fill(struct cleanup_record *r, const char *name, size_t len, char *scratch)
{
    uint32_t h = 2166136261u; /* FNV-1a of the folded name */

    memcpy(r->name, name, len + 1);
    for (size_t i = 0; i <= len; i++) {
        scratch[i] = (char)tolower((unsigned char)name[i]);
        h = (h ^ (unsigned char)scratch[i]) * 16777619u;
    }
    for (size_t i = 0; i < r->ntags; i++)
        r->tags[i] = h ^ (uint32_t)i;
}

static bool bad_ntags(size_t ntags)
{
    if (ntags == 0 || ntags > CLEANUP_MAX_TAGS) {
        errno = EINVAL;
        return true;
    }
    return false;
}

/* (a) nested ifs: each success opens a level, each failure frees what the levels above took */
int cleanup_nested(const char *name, size_t ntags, struct cleanup_record **out)
{
    size_t len = strlen(name);
    struct cleanup_record *r;

    if (bad_ntags(ntags))
        return -1;
    r = malloc(sizeof *r);
    if (r != NULL) {
        r->ntags = ntags;
        r->name = malloc(len + 1);
        if (r->name != NULL) {
            r->tags = malloc(ntags * sizeof *r->tags);
            if (r->tags != NULL) {
                char *scratch = malloc(len + 1);
                if (scratch != NULL) {
                    cleanup_fill(r, name, len, scratch);
                    free(scratch);
                    *out = r;
                    return 0;
                } else {
                    free(r->tags);
                    free(r->name);
                    free(r);
                }
            } else {
                free(r->name);
                free(r);
            }
        } else {
            free(r);
        }
    }
    errno = ENOMEM;
    return -1;
}

/* (b) the goto ladder: a failure jumps to the label that undoes everything taken so far */
int cleanup_ladder(const char *name, size_t ntags, struct cleanup_record **out)
{
    size_t len = strlen(name);
    struct cleanup_record *r;
    char *scratch;

    if (bad_ntags(ntags))
        return -1;
    r = malloc(sizeof *r);
    if (r == NULL)
        goto fail;
    r->ntags = ntags;
    r->name = malloc(len + 1);
    if (r->name == NULL)
        goto fail_record;
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
fail_record:
    free(r);
fail:
    errno = ENOMEM;
    return -1;
}

/* (c) one exit: every pointer starts NULL, the one block of frees runs on every path */
int cleanup_single(const char *name, size_t ntags, struct cleanup_record **out)
{
    size_t len = strlen(name);
    struct cleanup_record *r = NULL;
    char *copy = NULL, *scratch = NULL;
    uint32_t *tags = NULL;
    int rc = -1;

    if (bad_ntags(ntags))
        return -1;
    r = malloc(sizeof *r);
    copy = malloc(len + 1);
    tags = malloc(ntags * sizeof *tags);
    scratch = malloc(len + 1);
    if (r == NULL || copy == NULL || tags == NULL || scratch == NULL) {
        errno = ENOMEM;
        goto out;
    }
    *r = (struct cleanup_record){.name = copy, .ntags = ntags, .tags = tags};
    cleanup_fill(r, name, len, scratch);
    *out = r;
    r = NULL, copy = NULL, tags = NULL; /* the caller owns them now */
    rc = 0;
out:
    free(scratch);
    free(tags);
    free(copy);
    free(r);
    return rc;
}

/* (d) cleanup attributes: the compiler calls the function on every way out of the scope */
static void free_charp(char **p) { free(*p); }
static void free_tagsp(uint32_t **p) { free(*p); }
static void free_recordp(struct cleanup_record **p) { free(*p); }

int cleanup_attr(const char *name, size_t ntags, struct cleanup_record **out)
{
    size_t len = strlen(name);

    if (bad_ntags(ntags))
        return -1;
    __attribute__((cleanup(free_recordp))) struct cleanup_record *r = malloc(sizeof *r);
    if (r == NULL)
        return errno = ENOMEM, -1;
    __attribute__((cleanup(free_charp))) char *copy = malloc(len + 1);
    if (copy == NULL)
        return errno = ENOMEM, -1;
    __attribute__((cleanup(free_tagsp))) uint32_t *tags = malloc(ntags * sizeof *tags);
    if (tags == NULL)
        return errno = ENOMEM, -1;
    __attribute__((cleanup(free_charp))) char *scratch = malloc(len + 1);
    if (scratch == NULL)
        return errno = ENOMEM, -1;
    *r = (struct cleanup_record){.name = copy, .ntags = ntags, .tags = tags};
    cleanup_fill(r, name, len, scratch);
    *out = r;
    r = NULL, copy = NULL, tags = NULL; /* handed out: the cleanups free only scratch */
    return 0;
}

void cleanup_free(struct cleanup_record *r)
{
    if (r == NULL)
        return;
    free(r->tags);
    free(r->name);
    free(r);
}

bool cleanup_same(const struct cleanup_record *a, const struct cleanup_record *b)
{
    return strcmp(a->name, b->name) == 0 && a->ntags == b->ntags &&
           memcmp(a->tags, b->tags, a->ntags * sizeof *a->tags) == 0;
}

const struct cleanup_way cleanup_ways[4] = {
    {"nested ifs", cleanup_nested},
    {"goto ladder", cleanup_ladder},
    {"one exit, NULLs first", cleanup_single},
    {"cleanup attribute", cleanup_attr},
};
