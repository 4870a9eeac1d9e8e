/* exercise.c: the parser on the caller's arena. Every node and string of a request dies
 * when the call returns, so they come from the arena (a pointer bump each) and go back
 * together with one arena_reset: no free per object, and once the arena has its chunk,
 * no malloc at all. */
#include "exercise.h"

#include <string.h>

struct pair {
    struct pair *next;
    char *key;
    char *value;
};

static char *copy(struct arena *a, const char *s, size_t n)
{
    char *c = arena_alloc(a, n + 1);

    if (c != NULL) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

int count_keys(struct arena *a, const char *text, const char *prefix)
{
    struct pair *list = NULL;
    size_t plen = strlen(prefix);
    int count = 0;

    while (*text != '\0') {
        size_t len = strcspn(text, ";");
        const char *eq = memchr(text, '=', len);
        size_t klen = eq != NULL ? (size_t)(eq - text) : len;

        if (len > 0) {
            struct pair *p = arena_alloc(a, sizeof *p);
            if (p == NULL)
                goto fail;
            p->key = copy(a, text, klen);
            p->value = copy(a, eq != NULL ? eq + 1 : text + len,
                            eq != NULL ? len - klen - 1 : 0);
            if (p->key == NULL || p->value == NULL)
                goto fail;
            p->next = list;
            list = p;
        }
        text += len;
        if (*text == ';')
            text++;
    }
    for (const struct pair *p = list; p != NULL; p = p->next)
        count += strncmp(p->key, prefix, plen) == 0;
    arena_reset(a);
    return count;
fail:
    arena_reset(a);
    return -1;
}
