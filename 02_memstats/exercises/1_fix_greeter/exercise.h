/* exercise.h: a greeting server whose heap grows with every request. The server is a
 * heap object owned by the caller from greeter_new to greeter_free; names passed in
 * stay the caller's. Out of memory: greeter_new returns NULL, greeter_handle returns -1
 * and the server is unchanged.
 *
 * The goal: after a request loop, heap_alloc and heap_objects are back where they were
 * before it (nothing kept per request), and a whole session (new, 1,000 requests, free)
 * makes at most GREETER_ALLOC_BUDGET allocations. Find where the heap grows with the
 * site report (the failing test prints its top line), then fix that line. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

#define GREETER_RECENT 8       /* names the server remembers, newest first */
#define GREETER_NAME_MAX 32    /* bytes kept of a name, the NUL included */
#define GREETER_ALLOC_BUDGET 1 /* allocations for a whole session: the server itself */

struct greeter;

/* A server that has greeted nobody yet, or NULL when out of memory. */
struct greeter *greeter_new(void);

/* Greet `name`: write "hello NAME, visitor #K" into reply (cap bytes, truncated to fit)
 * and remember the name (its first GREETER_NAME_MAX - 1 bytes). Returns 0, or -1. */
int greeter_handle(struct greeter *s, const char *name, char *reply, size_t cap);

/* The i-th most recent name (0: the last one greeted), or NULL if i >= GREETER_RECENT
 * or fewer were greeted. Valid until the next greeter_handle or greeter_free. */
const char *greeter_recent(const struct greeter *s, size_t i);

/* Free the server and everything it holds. NULL does nothing. */
void greeter_free(struct greeter *s);

#endif
