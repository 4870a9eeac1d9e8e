/* Fix user_new: one allocation per record, of exactly offsetof(struct user, name) + len + 1
 * bytes, the name's bytes inside it.
 *
 * The starter mallocs the struct, then a copy of the name: two blocks, two frees, and a
 * failure path that must give the struct back. A len whose size would overflow must be
 * refused before any malloc. */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>

struct user {
    USER_FIELDS; /* size_t len; uint32_t id (exercise.h) */
    char *name;  /* len + 1 bytes, a block of their own */
};

struct user *user_new(uint32_t id, const char *name, size_t len)
{
    struct user *u;

    if (len == SIZE_MAX) /* len + 1 would wrap round to 0 */
        return NULL;
    if ((u = malloc(sizeof *u)) == NULL)
        return NULL;
    if ((u->name = malloc(len + 1)) == NULL) {
        free(u); /* the struct goes back with the failure */
        return NULL;
    }
    memcpy(u->name, name, len);
    u->name[len] = '\0';
    u->len = len;
    u->id = id;
    return u;
}

void user_free(struct user *u)
{
    if (u == NULL)
        return;
    free(u->name);
    free(u);
}

uint32_t user_id(const struct user *u)
{
    return u->id;
}

size_t user_len(const struct user *u)
{
    return u->len;
}

const char *user_name(const struct user *u)
{
    return u->name;
}
