/* cleanup.h: one job that takes four allocations and can fail at each, written four
 * ways, for lesson 01's "three allocations and the second fails". The job builds a
 * record: the struct, a copy of its name, an array of ntags tags, and a scratch buffer
 * (the name folded to lower case, from which the tags are worked out) freed before
 * return. In that order: sizeof(struct cleanup_record) + (len + 1) + ntags * 4 +
 * (len + 1) bytes, in 4 allocations, 3 of them kept.
 *
 *   cleanup_nested  nested ifs, a free in every branch
 *   cleanup_ladder  the goto ladder: one label per resource, in reverse order
 *   cleanup_single  every pointer NULL first, one exit, one block of frees (free(NULL)
 *                   does nothing)
 *   cleanup_attr    __attribute__((cleanup(fn))) on the scratch buffer and the partial
 *                   results (gcc and clang); ownership handed out by setting the pointer
 *                   to NULL
 *
 * Each returns 0 and *out a record the caller frees with cleanup_free (NULL: nothing),
 * or -1 with errno ENOMEM, *out untouched and nothing left allocated; ntags of 0 or past
 * CLEANUP_MAX_TAGS: -1, errno EINVAL, no allocation. misuse/cleanup_leak.c is the same
 * job with the classic bug. */
#ifndef CLEANUP_H
#define CLEANUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLEANUP_MAX_TAGS ((size_t)1 << 20)

struct cleanup_record {
    char *name;     /* a copy of the name, '\0'-terminated */
    size_t ntags;
    uint32_t *tags; /* ntags tags: the folded name's hash, mixed with the index */
};

int cleanup_nested(const char *name, size_t ntags, struct cleanup_record **out);
int cleanup_ladder(const char *name, size_t ntags, struct cleanup_record **out);
int cleanup_single(const char *name, size_t ntags, struct cleanup_record **out);
int cleanup_attr(const char *name, size_t ntags, struct cleanup_record **out);
void cleanup_free(struct cleanup_record *r);

/* The buggy one (misuse/cleanup_leak.c): when the name's malloc fails, the struct is
 * left behind. */
int cleanup_leaky(const char *name, size_t ntags, struct cleanup_record **out);

/* The work every way shares: fold name into scratch (len + 1 bytes), fill the tags. */
void cleanup_fill(struct cleanup_record *r, const char *name, size_t len, char *scratch);

/* Same name and same tags. */
bool cleanup_same(const struct cleanup_record *a, const struct cleanup_record *b);

/* The four ways and the buggy one, by name, for the demo and the tests. */
typedef int (*cleanup_fn)(const char *name, size_t ntags, struct cleanup_record **out);
struct cleanup_way {
    const char *name;
    cleanup_fn fn;
};
extern const struct cleanup_way cleanup_ways[4];

#endif
