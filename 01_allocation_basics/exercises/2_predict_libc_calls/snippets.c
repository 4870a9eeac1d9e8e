/* snippets.c: the nine snippets of the exercise. Read each one and write, in exercise.c,
 * how many allocations it makes and how many bytes they ask for. Frees count nothing. */
#include "exercise.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Where results go, so that the compiler keeps every call. */
static volatile uintptr_t sink;

void snippet_strdup_word(void)
{
    char *s = strdup("interview");

    sink = (uintptr_t)s;
    free(s);
}

void snippet_malloc_zero(void)
{
    void *p = malloc(0);

    sink = (uintptr_t)p;
    free(p);
}

void snippet_calloc_ten(void)
{
    int64_t *v = calloc(10, sizeof(int64_t));

    sink = (uintptr_t)v;
    free(v);
}

void snippet_format_on_stack(void)
{
    char buf[32];

    free(NULL);
    snprintf(buf, sizeof buf, "%d items", 42);
    sink = (uintptr_t)buf[0];
}

void snippet_fopen_fclose(void)
{
    FILE *f = fopen("/dev/null", "r");

    if (f != NULL)
        fclose(f);
}

/* Three lines, one buffer for all of them. */
void snippet_getline_kept(FILE *f)
{
    char *line = NULL;
    size_t size = 0;

    while (getline(&line, &size, f) != -1)
        sink = (uintptr_t)line[0];
    free(line);
}

/* Three lines, and the buffer freed after each one. */
void snippet_getline_freed(FILE *f)
{
    char *line = NULL;
    size_t size = 0;

    while (getline(&line, &size, f) != -1) {
        sink = (uintptr_t)line[0];
        free(line);
        line = NULL;
        size = 0;
    }
    free(line);
}

void snippet_malloc_realloc(void)
{
    char *p = malloc(100), *q;

    if (p == NULL)
        return;
    q = realloc(p, 200);
    if (q == NULL)
        q = p;
    sink = (uintptr_t)q;
    free(q);
}

void snippet_strndup_prefix(void)
{
    char *s = strndup("hello, world", 5);

    sink = (uintptr_t)s;
    free(s);
}
