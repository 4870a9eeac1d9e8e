/* exercise.h: lesson 01, fix: a user record that owns its name. user_new copies the
 * name's len bytes and adds a '\0'; the caller frees the record with user_free, which
 * does nothing for NULL. Out of memory, or a len so large that no block could hold the
 * record: NULL, and nothing left allocated.
 *
 * The budget: one allocation per record, of exactly offsetof(struct user, name) + len + 1
 * bytes (see "One allocation, not two" in the lesson's README). */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>
#include <stdint.h>

/* The fields every record starts with, before its name, as CPython's PyObject_HEAD is
 * the fields every object starts with. struct user is exercise.c's own: USER_FIELDS,
 * then the name, in that order. The tests size the one block from these fields. */
#define USER_FIELDS                                                                     \
    size_t len;  /* the name's length, without its '\0' */                              \
    uint32_t id

struct user; /* defined in exercise.c; read it through the functions below */

/* A record with this id and the len bytes at name, which need no '\0' of their own (one
 * is added). name is only read. */
struct user *user_new(uint32_t id, const char *name, size_t len);
void user_free(struct user *u);

uint32_t user_id(const struct user *u);
size_t user_len(const struct user *u);
const char *user_name(const struct user *u); /* len bytes, then '\0' */

#endif
