/* exercise.h: lesson 03's first exercise, a function with a hidden allocation.
 * field_sum adds up the whole numbers of a comma-separated line. The line belongs to the
 * caller and is never changed; nothing is kept between calls. Out of memory: -1, *sum
 * unchanged.
 *
 * The goal: 0 allocs/op, with exactly the same sums as the starter. */
#ifndef EXERCISE_H
#define EXERCISE_H

/* Sum the fields of `line`: each field between commas is read as strtoll(field, NULL, 10)
 * reads it (leading blanks skipped, trailing junk ignored, no digits: 0); empty fields
 * are skipped. Returns 0 and sets *sum, or -1 when out of memory. The values and their
 * sum must fit in a long long. */
int field_sum(const char *line, long long *sum);

#endif
