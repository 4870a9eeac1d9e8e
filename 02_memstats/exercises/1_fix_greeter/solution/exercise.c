/* solution/exercise.c: the reference server for exercise.h. The GREETER_RECENT names live
 * in a ring inside the server, allocated once with it; a request copies the name into the
 * oldest slot and formats the reply into the caller's buffer: no allocation at all. */
#include "exercise.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct greeter {
    uint64_t visits;
    size_t newest;                               /* slot of the last name greeted */
    char name[GREETER_RECENT][GREETER_NAME_MAX]; /* the ring */
};

struct greeter *greeter_new(void)
{
    struct greeter *s = malloc(sizeof *s); /* the session's one allocation */

    if (s == NULL)
        return NULL;
    s->visits = 0;
    s->newest = 0;
    return s;
}

int greeter_handle(struct greeter *s, const char *name, char *reply, size_t cap)
{
    s->newest = (s->newest + 1) % GREETER_RECENT; /* overwrite the oldest */
    snprintf(s->name[s->newest], GREETER_NAME_MAX, "%s", name);
    s->visits++;
    snprintf(reply, cap, "hello %s, visitor #%llu", name, (unsigned long long)s->visits);
    return 0;
}

const char *greeter_recent(const struct greeter *s, size_t i)
{
    if (i >= GREETER_RECENT || i >= s->visits)
        return NULL;
    return s->name[(s->newest + GREETER_RECENT - i) % GREETER_RECENT];
}

void greeter_free(struct greeter *s)
{
    free(s);
}
