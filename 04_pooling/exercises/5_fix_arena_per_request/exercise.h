/* exercise.h: lesson 04, fix: a request parser that mallocs every node and string. The
 * arena belongs to the caller, who keeps it across requests; count_keys may use it for
 * anything that lives only during the call, and must leave it reset (arena_reset) when it
 * returns. The text is only read. Out of memory: -1, nothing held.
 *
 * The budget: the first call on a new arena makes exactly one allocation (one arena
 * chunk, ARENA_CHUNK bytes); every later call makes none, for requests whose pairs fit
 * in a chunk. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include "arena.h"

/* Parse text, "key=value;key=value;..." (empty fields skipped, a field without '=' is a
 * key with an empty value), into a list of pairs, and return how many keys start with
 * prefix; -1 when out of memory. */
int count_keys(struct arena *a, const char *text, const char *prefix);

#endif
