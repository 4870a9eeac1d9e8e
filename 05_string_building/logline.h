/* logline: a log line nobody reads. A tiny logger (a level and a FILE * sink) and three
 * ways to write a line at a level, each costing something different when the level is off:
 *
 *   logline_fmt: formats first (vasprintf into a heap string), checks the level after:
 *     asprintf's allocations on every call, written or not; the line, when on, written
 *     with fputs and the string freed.
 *   logline_printf: checks the level first, then vfprintf straight into the sink: nothing
 *     allocated when off; when on, nothing per line once the stream has its buffer (stdio
 *     allocates it on a stream's first write). The call site still evaluates every
 *     argument before the call, an argument that allocates included.
 *   LOGLINE_DEBUGF: a macro that checks the level at the call site, before the arguments:
 *     when off, no argument is evaluated and no function is called.
 *
 * Every way writes the same bytes: the formatted text and a '\n'. A way returns 0 (the line
 * written, or off), or -1 with errno: ENOMEM when vasprintf failed (logline_fmt, on or off),
 * or the sink's error when the write failed. Nothing is left allocated either way.
 *
 * A macro cannot free what its arguments allocate: an argument such as logline_describe(o),
 * a malloc'd string, needs the check written out at the call site, the string freed inside
 * it (if (LOGLINE_ON(lg, LOGLINE_DEBUG)) { ... }). */
#ifndef LOGLINE_H
#define LOGLINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum logline_level { LOGLINE_DEBUG, LOGLINE_INFO, LOGLINE_WARN, LOGLINE_ERROR };

struct logline {
    enum logline_level level; /* a line below it is off */
    FILE *sink;
    uint64_t lines; /* lines written */
};

/* Whether a line at level lv would be written. */
#define LOGLINE_ON(lg, lv) ((lv) >= (lg)->level)

int logline_fmt(struct logline *lg, enum logline_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int logline_printf(struct logline *lg, enum logline_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* logline_printf at LOGLINE_DEBUG, the level checked first: the arguments are evaluated
 * only when the line is on. An int expression: logline_printf's result, or 0 when off. */
#define LOGLINE_DEBUGF(lg, ...)                                                            \
    (LOGLINE_ON((lg), LOGLINE_DEBUG) ? logline_printf((lg), LOGLINE_DEBUG, __VA_ARGS__) : 0)

/* ---- an argument that allocates ---- */

struct logline_obj {
    int id;
    const char *user;
    size_t items;
};

/* Calls of logline_describe so far (tests and the demo read it). */
extern uint64_t logline_describe_calls;

/* o described for a log line, "order 4711 of alice, 3 items": a malloc'd string of its
 * length + 1 bytes that the caller frees, or NULL (errno ENOMEM). Counted in
 * logline_describe_calls, failed calls too. */
char *logline_describe(const struct logline_obj *o);

/* The length of logline_describe(o)'s string, worked out without allocating. */
size_t logline_describe_len(const struct logline_obj *o);

/* ---- call sites: one debug line, as a caller writes it each way ---- */

enum logline_way { LOGLINE_FORMAT_FIRST, LOGLINE_CHECK_FIRST, LOGLINE_MACRO };

/* "request ID from USER": an int and a string. logline_fmt, logline_printf, or
 * LOGLINE_DEBUGF. */
int logline_site_request(struct logline *lg, enum logline_way way, int id, const char *user);

/* logline_describe(o) as the line: for the first two ways the string is made, passed and
 * freed whether the line is on or off (describe runs before the call); for the macro's way
 * the check is written out first, and describe runs only when the line is on. A failed
 * describe returns -1 (ENOMEM) and nothing is written; a failed line frees the string. */
int logline_site_order(struct logline *lg, enum logline_way way, const struct logline_obj *o);

#endif
