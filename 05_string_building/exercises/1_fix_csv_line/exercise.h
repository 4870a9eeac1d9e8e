/* exercise.h: lesson 05's first exercise, one CSV line from its fields.
 * csv_join returns a new string the caller frees; the fields are only read. Out of
 * memory: it returns NULL, holds nothing, and *len is left alone.
 *
 * The goal: exactly one allocation per line, of exactly the line's size (length + 1),
 * however many fields it has. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

/* fields[0..n) as one CSV line (RFC 4180 quoting): fields separated by ',', a field
 * holding ',', '"', '\r' or '\n' enclosed in double quotes with every '"' doubled, and
 * the line ended by '\n'. n = 0 gives "\n". *len (if len is not NULL) gets the length. */
char *csv_join(const char *const *fields, size_t n, size_t *len);

#endif
