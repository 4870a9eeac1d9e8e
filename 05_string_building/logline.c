/* logline.c: a debug line formatted first, checked first, or not evaluated at all; and an
 * argument that allocates (logline.h). */
#include "logline.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

/* ---- format first: the string is made before the level is looked at ---- */

int logline_fmt(struct logline *lg, enum logline_level lv, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n, rc = 0;

    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1; /* errno ENOMEM: on or off, nothing allocated is left */
    if (LOGLINE_ON(lg, lv)) {
        if (fputs(s, lg->sink) == EOF || putc('\n', lg->sink) == EOF)
            rc = -1;
        else
            lg->lines++;
    }
    free(s);
    return rc;
}

/* ---- check first: nothing made for a line that is off ---- */

int logline_printf(struct logline *lg, enum logline_level lv, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!LOGLINE_ON(lg, lv))
        return 0;
    va_start(ap, fmt);
    n = vfprintf(lg->sink, fmt, ap);
    va_end(ap);
    if (n < 0 || putc('\n', lg->sink) == EOF)
        return -1;
    lg->lines++;
    return 0;
}

/* ---- an argument that allocates ---- */

uint64_t logline_describe_calls;

#define DESCRIBE "order %d of %s, %zu items"

size_t logline_describe_len(const struct logline_obj *o)
{
    return (size_t)snprintf(NULL, 0, DESCRIBE, o->id, o->user, o->items);
}

char *logline_describe(const struct logline_obj *o)
{
    size_t n = logline_describe_len(o) + 1;
    char *s;

    logline_describe_calls++;
    if ((s = malloc(n)) == NULL)
        return NULL;
    snprintf(s, n, DESCRIBE, o->id, o->user, o->items);
    return s;
}

/* ---- call sites ---- */

int logline_site_request(struct logline *lg, enum logline_way way, int id, const char *user)
{
    switch (way) {
    case LOGLINE_FORMAT_FIRST:
        return logline_fmt(lg, LOGLINE_DEBUG, "request %d from %s", id, user);
    case LOGLINE_CHECK_FIRST:
        return logline_printf(lg, LOGLINE_DEBUG, "request %d from %s", id, user);
    case LOGLINE_MACRO:
        return LOGLINE_DEBUGF(lg, "request %d from %s", id, user);
    }
    errno = EINVAL;
    return -1;
}

int logline_site_order(struct logline *lg, enum logline_way way, const struct logline_obj *o)
{
    char *d;
    int rc, saved;

    if (way == LOGLINE_MACRO && !LOGLINE_ON(lg, LOGLINE_DEBUG))
        return 0; /* the macro's check, written out: describe is not called */
    if ((d = logline_describe(o)) == NULL)
        return -1;
    if (way == LOGLINE_FORMAT_FIRST)
        rc = logline_fmt(lg, LOGLINE_DEBUG, "%s", d);
    else
        rc = logline_printf(lg, LOGLINE_DEBUG, "%s", d);
    saved = errno;
    free(d);
    errno = saved;
    return rc;
}
