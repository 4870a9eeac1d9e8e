/* solution/exercise.c: the reference server for exercise.h. The EX_RECENT names live in
 * a ring inside the server, allocated once with it; a request copies the name into the
 * oldest slot and formats the reply into the caller's buffer: no allocation at all. */
#include "exercise.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ex_server {
    uint64_t visits;
    size_t newest;                        /* slot of the last name greeted */
    char name[EX_RECENT][EX_NAME_MAX];    /* the ring */
};

struct ex_server *ex_server_new(void)
{
    struct ex_server *s = malloc(sizeof *s); /* the session's one allocation */

    if (s == NULL)
        return NULL;
    s->visits = 0;
    s->newest = 0;
    return s;
}

int ex_handle(struct ex_server *s, const char *name, char *reply, size_t cap)
{
    s->newest = (s->newest + 1) % EX_RECENT; /* overwrite the oldest */
    snprintf(s->name[s->newest], EX_NAME_MAX, "%s", name);
    s->visits++;
    snprintf(reply, cap, "hello %s, visitor #%llu", name, (unsigned long long)s->visits);
    return 0;
}

const char *ex_recent(const struct ex_server *s, size_t i)
{
    if (i >= EX_RECENT || i >= s->visits)
        return NULL;
    return s->name[(s->newest + EX_RECENT - i) % EX_RECENT];
}

void ex_server_free(struct ex_server *s)
{
    free(s);
}
