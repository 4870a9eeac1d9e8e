/* exercise.c: the message without its double free. message_clear freed the body but
 * left the pointer in place, so the next message_set_body or message_free freed the same
 * block again. A pointer you free and keep must be set to NULL (free(NULL) is nothing). */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>

void message_init(struct message *m)
{
    m->body = NULL;
    m->len = 0;
}

int message_set_body(struct message *m, const char *const *lines, size_t n)
{
    size_t total = 0;
    char *body, *at;

    for (size_t i = 0; i < n; i++)
        total += strlen(lines[i]) + (i > 0);
    body = malloc(total + 1); /* the whole body, measured first: one allocation */
    if (body == NULL)
        return -1;
    at = body;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(lines[i]);
        if (i > 0)
            *at++ = '\n';
        memcpy(at, lines[i], len);
        at += len;
    }
    *at = '\0';
    free(m->body);
    m->body = body;
    m->len = total;
    return 0;
}

const char *message_body(const struct message *m)
{
    return m->body != NULL ? m->body : "";
}

void message_clear(struct message *m)
{
    free(m->body);
    m->body = NULL; /* the message no longer owns it: say so */
    m->len = 0;
}

void message_free(struct message *m)
{
    free(m->body);
    m->body = NULL;
    m->len = 0;
}
