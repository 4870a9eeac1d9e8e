/* exercise.h: lesson 01, find: a field splitter that leaks. fields_split hands the
 * caller an array of strings, the caller owns them until fields_free. Out of memory:
 * fields_split returns -1, frees what it took and leaves *out untouched. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

struct fields {
    char **v; /* n strings, each its own block; v itself is one block */
    size_t n;
};

/* Split line at every `sep` ("a,,b" is "a", "", "b"; "" is one empty field). Exactly
 * n + 1 allocations: the array and one per field. 0, or -1 when out of memory. */
int fields_split(const char *line, char sep, struct fields *out);

/* Free the fields and the array; f is empty afterwards. */
void fields_free(struct fields *f);

/* The length of the longest field of line, or -1 when out of memory. */
long fields_longest(const char *line, char sep);

#endif
