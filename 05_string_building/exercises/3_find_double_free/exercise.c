/* Find the double free of a message's body with memcheck, read both stacks, and fix it.
 *
 * Two tests crash (SIGABRT: glibc caught a bad free), one fails because it reads a body
 * already freed, and the others pass. A crash names no line; memcheck and
 * AddressSanitizer do. Run the tests under memcheck and read the first "Invalid free()":
 * where it happened, and where the block was freed the first time:
 *
 *   valgrind --trace-children=yes --soname-synonyms=somalloc=nouserintercepts \
 *       build/05_string_building/exercises/3_find_double_free/starter
 *
 * Fix it so that every block is freed exactly once, whatever order the calls come in. */
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
    m->len = 0;
}

void message_free(struct message *m)
{
    free(m->body);
    m->body = NULL;
    m->len = 0;
}
