/* exercise.h: parse "3,14,15,92" into an array of int64_t. The caller owns *out and
 * releases it with ints_free. Out of memory: ints_parse returns -1, frees what it took
 * and leaves *out untouched.
 *
 * The budget: one allocation per call, of exactly count * sizeof(int64_t) bytes (Go's
 * make([]int64, 0, n)), and none at all for an empty text. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>
#include <stdint.h>

struct ints {
    int64_t *v; /* len numbers; NULL when len is 0 */
    size_t len;
};

/* Parse text: decimal numbers separated by commas ("-1,,7" is -1, 0, 7: an empty field
 * is 0), "" is no numbers at all. text is only read. 0, or -1 when out of memory. */
int ints_parse(const char *text, struct ints *out);

/* Free the numbers; n is empty afterwards. */
void ints_free(struct ints *n);

#endif
