/* fam_copy.c: what C forbids of a struct with a flexible array member, and what it
 * allows without a word (README, "One allocation, not two"). Not part of the build: the
 * README compiles it with -Wpedantic for gcc's answer. */
#include "onealloc.h"

struct onealloc_one table[4]; /* an array of them: each element's size is fixed */

struct holder {
    int count;
    struct onealloc_one rec; /* a member of another struct: the same */
};

void copy(struct onealloc_one *dst, const struct onealloc_one *src);

void copy(struct onealloc_one *dst, const struct onealloc_one *src)
{
    *dst = *src; /* allowed, and silent: sizeof(struct onealloc_one) bytes, not the name */
}
