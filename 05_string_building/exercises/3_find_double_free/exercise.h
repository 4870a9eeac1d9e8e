/* exercise.h: lesson 05, find: a message whose body is freed twice. The message is a
 * handle the caller owns (on the stack); it owns its body, a heap string or NULL. Out of
 * memory: message_set_body returns -1 and the message is as it was. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

struct message {
    char *body; /* NULL, or a string the message owns */
    size_t len; /* the body's length; 0 without one */
};

/* A message with no body (allocates nothing). */
void message_init(struct message *m);

/* Replace the body with lines[0..n) joined by '\n': exactly one allocation, of the
 * body's length + 1 bytes; the old body is freed. 0, or -1 when out of memory. */
int message_set_body(struct message *m, const char *const *lines, size_t n);

/* The body, or "" when there is none. */
const char *message_body(const struct message *m);

/* Drop the body; the message can be given a new one. */
void message_clear(struct message *m);

/* Free what the message owns. */
void message_free(struct message *m);

#endif
