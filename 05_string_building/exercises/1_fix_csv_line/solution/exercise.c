/* solution/exercise.c: the reference CSV line builder for exercise.h. Two passes over
 * the fields: the first measures the line exactly (quotes, doubled quotes, commas, the
 * newline, the terminator), then one malloc, then the second pass writes it. One
 * allocation per line, no copy made twice. */
#include "exercise.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Does the field need quotes? Adds its length in the line to *size. */
static bool measure(const char *field, size_t *size)
{
    size_t n = 0, quotes = 0;
    bool quoted = false;

    for (const char *p = field; *p != '\0'; p++, n++) {
        quotes += *p == '"';
        quoted |= *p == ',' || *p == '"' || *p == '\r' || *p == '\n';
    }
    *size += n + (quoted ? quotes + 2 : 0);
    return quoted;
}

char *csv_join(const char *const *fields, size_t n, size_t *len)
{
    size_t size = 0;
    char *line, *at;

    for (size_t i = 0; i < n; i++)
        measure(fields[i], &size);
    size += (n > 0 ? n - 1 : 0) + 1; /* the commas between fields, and the '\n' */
    line = malloc(size + 1);         /* + 1: the terminator is part of the size */
    if (line == NULL)
        return NULL;
    at = line;
    for (size_t i = 0; i < n; i++) {
        size_t ignored = 0;
        if (i > 0)
            *at++ = ',';
        if (!measure(fields[i], &ignored)) {
            size_t flen = strlen(fields[i]);
            memcpy(at, fields[i], flen);
            at += flen;
            continue;
        }
        *at++ = '"';
        for (const char *p = fields[i]; *p != '\0'; p++) {
            if (*p == '"')
                *at++ = '"';
            *at++ = *p;
        }
        *at++ = '"';
    }
    *at++ = '\n';
    *at = '\0';
    if (len != NULL)
        *len = size;
    return line;
}
