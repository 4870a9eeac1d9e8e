/* exercise.h: lesson 05, fix: a report written line by line through a fresh builder per
 * line. The records and the sink are the caller's; a line passed to the sink is valid
 * only during that call. Out of memory: emit_lines returns -1 and frees what it took
 * (lines already emitted stay emitted).
 *
 * The budget: one builder (sb.h) for the whole call, emptied with sb_reset between
 * lines, so a call makes as many allocations as that builder grows: exactly one, of
 * SB_MIN_CAP bytes, when every line fits in it, and one more each time a line needs
 * the builder to double. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

#include "sb.h"

struct rec {
    const char *name;
    long value;
};

/* For each record, pass the line "NAME: VALUE\n" (its length without a terminator) to
 * sink(line, len, arg). 0, or -1 when out of memory. */
int emit_lines(const struct rec *recs, size_t n,
               void (*sink)(const char *line, size_t len, void *arg), void *arg);

#endif
