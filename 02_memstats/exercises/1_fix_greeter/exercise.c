/* exercise.c: your server (make exercise-02 checks it; exercise.h is the contract).
 *
 * It works, but every request leaves memory behind: each visit is pushed onto a list
 * that only ex_server_free empties, so the heap grows for as long as the server runs.
 * memcheck finds no leak (it is all freed at the end); only the heap in use, and the
 * site report, show it. Each request also mallocs a scratch buffer for the reply.
 *
 * TODO: keep only the EX_RECENT names the contract asks for, in memory the server
 * allocated once, and write the reply straight into the caller's buffer. Budget: one
 * allocation per session (EX_ALLOC_BUDGET), none per request. */
#include "exercise.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct visit {
    struct visit *next;
    char *name;
};

struct ex_server {
    uint64_t visits;
    struct visit *log; /* every visit, newest first */
};

struct ex_server *ex_server_new(void)
{
    struct ex_server *s = malloc(sizeof *s);

    if (s == NULL)
        return NULL;
    s->visits = 0;
    s->log = NULL;
    return s;
}

int ex_handle(struct ex_server *s, const char *name, char *reply, size_t cap)
{
    size_t len = strlen(name) + 48;
    char *scratch = malloc(len);
    struct visit *v = NULL;

    if (scratch == NULL)
        return -1;
    v = malloc(sizeof *v);
    if (v == NULL)
        goto out_free_scratch;
    v->name = strndup(name, EX_NAME_MAX - 1);
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

const char *ex_recent(const struct ex_server *s, size_t i)
{
    const struct visit *v = s->log;

    if (i >= EX_RECENT)
        return NULL;
    while (v != NULL && i-- > 0)
        v = v->next;
    return v != NULL ? v->name : NULL;
}

void ex_server_free(struct ex_server *s)
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
