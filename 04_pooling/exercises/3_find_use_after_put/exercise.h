/* exercise.h: lesson 04, find: a request handler that reads its buffer after giving it
 * back to the pool. The server is a handle the caller owns (on the stack); its pool owns
 * the free buffers. Out of memory: server_handle returns -1, the server as it was.
 *
 * The pool here tells memcheck what it hands out and takes back (common/memdebug.h), so
 * memcheck reports a read of a put buffer as an invalid read. */
#ifndef EXERCISE_H
#define EXERCISE_H

#define MEMDEBUG_VALGRIND 1 /* the pool's annotations on, in every file of the exercise */

#include <stddef.h>

#include "pool.h"

#define SERVER_BUF 256 /* bytes per request buffer */
#define SERVER_CAP 4   /* free buffers the pool keeps */

struct server {
    struct pool bufs;       /* request buffers */
    unsigned long served;   /* requests answered */
};

/* An idle server (allocates nothing). */
void server_init(struct server *s);

/* Answer one request line, "METHOD PATH" (at most SERVER_BUF - 1 bytes): writes
 * "METHOD PATH: HANDLER" into reply (cap bytes). 0, or -1 on a malformed request, a reply
 * that does not fit, or no memory. Once the pool is warm it allocates nothing. */
int server_handle(struct server *s, const char *request, char *reply, size_t cap);

/* Release the pool's buffers. */
void server_destroy(struct server *s);

#endif
