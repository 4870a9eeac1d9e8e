/* exercise.h: lesson 01, fix: a store of credentials, one line "user:password\n" each,
 * appended one after another into one growing buffer. The caller hands store_add a line;
 * store_free gives the buffer back, and no byte of a password may be left in the process
 * when it has: not in the buffer, and not in any block the store freed on the way. An
 * empty store is {NULL, 0, 0}.
 *
 * The budget, per growth: one allocation of the new capacity (64 bytes, then twice the
 * last, until the lines fit) and one free of the old block, none for an empty store.
 * Out of memory: -1, errno ENOMEM, and the store as it was: the same data pointer, len,
 * cap and bytes. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

struct store {
    char *data; /* the lines, len bytes of cap; NULL while cap is 0 */
    size_t len;
    size_t cap;
};

#define STORE_FIRST_CAP 64

/* Append the n bytes at line. When len + n > cap: one block of the new capacity (64,
 * then doubled until it holds len + n), the old bytes moved into it, the old block freed.
 * 0; or -1, errno ENOMEM, *s and its bytes as they were. */
int store_add(struct store *s, const char *line, size_t n);

/* Wipe the buffer's cap bytes and free it (none when cap is 0); leave s {NULL, 0, 0}. */
void store_free(struct store *s);

#endif
