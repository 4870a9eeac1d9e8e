/* onealloc.h: a record that owns its name, made with two allocations or with one, for
 * lesson 01. Two: the struct holds `char *name` and the name is a second block (the
 * strdup way). One: the name is a C99 flexible array member, `char name[]`, the last
 * member, and one malloc of offsetof(struct, name) + len + 1 holds the struct and the
 * bytes. Same contents, half the allocations, and one chunk of glibc's overhead instead
 * of two.
 *
 * Ownership: each _new returns a record the caller frees with the matching _free, which
 * does nothing for NULL. Out of memory, or a length whose size would overflow: NULL,
 * errno ENOMEM, nothing left allocated, the name untouched. */
#ifndef ONEALLOC_H
#define ONEALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Two allocations: the struct, and the name's len + 1 bytes. */
struct onealloc_two {
    size_t len;
    uint32_t id;
    char *name;
};

/* One allocation: the name's bytes follow the members. No copy by assignment (it copies
 * sizeof bytes, never the name), no array of them, no member of this type elsewhere. */
struct onealloc_one {
    size_t len;
    uint32_t id;
    char name[]; /* flexible array member: len + 1 bytes, allocated with the struct */
};

/* The size one malloc asks for: offsetof(struct onealloc_one, name) + len + 1, or 0 when
 * that would overflow size_t. */
size_t onealloc_one_size(size_t len);

/* A record with this id and the len bytes at name (a '\0' is added). */
struct onealloc_two *onealloc_two_new(uint32_t id, const char *name, size_t len);
void onealloc_two_free(struct onealloc_two *r);
struct onealloc_one *onealloc_one_new(uint32_t id, const char *name, size_t len);
void onealloc_one_free(struct onealloc_one *r);

/* The two hold the same id, length and name. */
bool onealloc_same(const struct onealloc_two *a, const struct onealloc_one *b);

/* The chunk glibc's malloc takes for a request of n bytes: the size field glibc keeps
 * before a block from __libc_malloc(n), flags masked (the same figure as glibc's own
 * malloc_usable_size + 8). Asked of glibc itself, not computed, and not counted (the
 * block is freed at once). Under Valgrind, whose allocator has no such field, n + 8.
 * 0 when no block could be had. */
size_t onealloc_chunk(size_t n);

/* n records of one name, made the one way or the two way, then freed, with what that
 * moved: allocations, frees and bytes asked for (counted), and the sum of glibc's chunks
 * for those requests. The array that holds the records is allocated outside the count.
 * 0, or -1 out of memory, having freed everything. */
struct onealloc_tally {
    uint64_t mallocs, frees, bytes;
    uint64_t chunks;
};
int onealloc_tally(bool one, const char *name, size_t len, size_t n, struct onealloc_tally *out);

#endif
