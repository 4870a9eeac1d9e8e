/* Fix the server: its heap grows on every request (each visit is kept on a list until
 * greeter_free, and each reply mallocs a scratch buffer). memcheck sees no leak; the
 * heap in use and the site report do. Keep only the GREETER_RECENT names, in memory
 * allocated once, and write replies into the caller's buffer: GREETER_ALLOC_BUDGET per
 * session. */
#include "exercise.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct visit {
    struct visit *next;
    char *name;
};

struct greeter {
    uint64_t visits;
    struct visit *log; /* every visit, newest first */
};

struct greeter *greeter_new(void)
{
    struct greeter *s = malloc(sizeof *s);

    if (s == NULL)
        return NULL;
    s->visits = 0;
    s->log = NULL;
    return s;
}

int greeter_handle(struct greeter *s, const char *name, char *reply, size_t cap)
{
    size_t len = strlen(name) + 48;
    char *scratch = malloc(len);
    struct visit *v = NULL;

    if (scratch == NULL)
        return -1;
    v = malloc(sizeof *v);
    if (v == NULL)
        goto out_free_scratch;
    v->name = strndup(name, GREETER_NAME_MAX - 1);
    if (v->name == NULL)
        goto out_free_visit;
    snprintf(scratch, len, "hello %s, visitor #%llu", name,
             (unsigned long long)(s->visits + 1));
    snprintf(reply, cap, "%s", scratch);
    free(scratch);
    v->next = s->log;
    s->log = v;
    s->visits++;
    return 0;
out_free_visit:
    free(v);
out_free_scratch:
    free(scratch);
    return -1;
}

const char *greeter_recent(const struct greeter *s, size_t i)
{
    const struct visit *v = s->log;

    if (i >= GREETER_RECENT)
        return NULL;
    while (v != NULL && i-- > 0)
        v = v->next;
    return v != NULL ? v->name : NULL;
}

void greeter_free(struct greeter *s)
{
    if (s == NULL)
        return;
    while (s->log != NULL) {
        struct visit *next = s->log->next;
        free(s->log->name);
        free(s->log);
        s->log = next;
    }
    free(s);
}
