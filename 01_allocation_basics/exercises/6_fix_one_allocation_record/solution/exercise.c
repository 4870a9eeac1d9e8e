/* solution/exercise.c: the reference record for exercise.h. name is a flexible array
 * member: one malloc of offsetof(struct user, name) + len + 1 holds the fields and the
 * name's bytes, and one free gives it all back. offsetof, not sizeof: name[] starts
 * inside the struct's trailing padding, which sizeof counts. */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>

struct user {
    USER_FIELDS; /* size_t len; uint32_t id (exercise.h) */
    char name[]; /* len + 1 bytes, in the same block */
};

struct user *user_new(uint32_t id, const char *name, size_t len)
{
    size_t head = offsetof(struct user, name);
    struct user *u;

    if (len > SIZE_MAX - head - 1) /* head + len + 1 would wrap round */
        return NULL;
    if ((u = malloc(head + len + 1)) == NULL) /* nothing else to give back */
        return NULL;
    memcpy(u->name, name, len);
    u->name[len] = '\0';
    u->len = len;
    u->id = id;
    return u;
}

void user_free(struct user *u)
{
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
