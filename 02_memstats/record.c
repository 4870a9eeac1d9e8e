/* record.c: see record.h. */
#include "record.h"

#include <errno.h>
#include <stdlib.h>
#include <valgrind/valgrind.h>

#include "countalloc.h"
#include "inside.h"

#define FIELD(type, decl, member) {decl, offsetof(type, member), sizeof(((type *)0)->member)}

const struct record_type record_loose = {
    "struct rec_loose", sizeof(struct rec_loose), _Alignof(struct rec_loose),
    {FIELD(struct rec_loose, "char flag", flag), FIELD(struct rec_loose, "int64_t id", id),
     FIELD(struct rec_loose, "char kind", kind), FIELD(struct rec_loose, "int32_t count", count),
     FIELD(struct rec_loose, "char tag", tag), FIELD(struct rec_loose, "double score", score)},
};

const struct record_type record_tight = {
    "struct rec_tight", sizeof(struct rec_tight), _Alignof(struct rec_tight),
    {FIELD(struct rec_tight, "int64_t id", id), FIELD(struct rec_tight, "double score", score),
     FIELD(struct rec_tight, "int32_t count", count), FIELD(struct rec_tight, "char flag", flag),
     FIELD(struct rec_tight, "char kind", kind), FIELD(struct rec_tight, "char tag", tag)},
};

size_t record_hole_after(const struct record_type *t, size_t i)
{
    size_t next = i + 1 < RECORD_FIELDS ? t->field[i + 1].offset : t->size;

    return next - (t->field[i].offset + t->field[i].size);
}

size_t record_field_bytes(const struct record_type *t)
{
    size_t sum = 0;

    for (size_t i = 0; i < RECORD_FIELDS; i++)
        sum += t->field[i].size;
    return sum;
}

size_t record_padding(const struct record_type *t)
{
    size_t sum = 0;

    for (size_t i = 0; i < RECORD_FIELDS; i++)
        sum += record_hole_after(t, i);
    return sum;
}

void record_boxes_free(void **box, uint64_t n)
{
    if (box == NULL)
        return;
    for (uint64_t i = 0; i < n; i++)
        free(box[i]);
    free(box);
}

void **record_boxes_new(size_t size, uint64_t n)
{
    void **box = calloc(n, sizeof *box);

    if (box == NULL)
        return NULL;
    for (uint64_t i = 0; i < n; i++)
        if ((box[i] = calloc(1, size)) == NULL) {
            record_boxes_free(box, i);
            return NULL;
        }
    return box;
}

/* Whether glibc can be asked: Valgrind replaces __libc_malloc. ASan's build (the one
 * where allocations cannot be made to fail) leaves __libc_malloc glibc's, but the
 * malloc_usable_size found after the program is ASan's, which refuses a block it did
 * not hand out ("attempting to call malloc_usable_size() for pointer which is not
 * owned"), so the usable column cannot be read there. */
static bool glibc_serves(void)
{
    return !RUNNING_ON_VALGRIND && countalloc_can_inject();
}

int record_chunk(size_t size, size_t *chunk, size_t *usable)
{
    void *p;

    *chunk = *usable = 0;
    if (!glibc_serves())
        return 0;
    if ((p = inside_glibc_malloc(size)) == NULL)
        return -1;
    *chunk = platform_chunk_of(p).size;
    *usable = platform_glibc_usable_size(p);
    inside_glibc_free(p);
    return 0;
}

/* The same calls to glibc's own malloc: the array of n pointers, then with each set
 * a block of `size` bytes in each slot; the sum of their chunks. */
static int glibc_chunks(size_t size, uint64_t n, bool each, uint64_t *bytes)
{
    size_t len;
    void **box;
    uint64_t got = 0;
    int rc = 0;

    *bytes = 0;
    if (__builtin_mul_overflow(n, each ? sizeof *box : size, &len)) {
        errno = ENOMEM;
        return -1;
    }
    if ((box = inside_glibc_malloc(len)) == NULL)
        return -1;
    *bytes = platform_chunk_of(box).size;
    for (; each && got < n; got++) {
        if ((box[got] = inside_glibc_malloc(size)) == NULL) {
            rc = -1;
            break;
        }
        *bytes += platform_chunk_of(box[got]).size;
    }
    while (got > 0)
        inside_glibc_free(box[--got]);
    inside_glibc_free(box);
    return rc;
}

static void counted_end(struct record_cost *out, const struct countalloc_stats *start)
{
    struct countalloc_stats d = countalloc_measure_end(start);

    out->allocs = d.mallocs;
    out->bytes = d.total_alloc;
}

/* glibc's side of *_cost, where glibc serves. */
static int glibc_end(struct record_cost *out, size_t size, uint64_t n, bool each)
{
    out->chunk_bytes = 0;
    out->glibc = glibc_serves();
    return out->glibc ? glibc_chunks(size, n, each, &out->chunk_bytes) : 0;
}

int record_array_cost(size_t size, uint64_t n, struct record_cost *out)
{
    struct countalloc_stats start;
    void *array;

    countalloc_measure_begin(&start);
    array = calloc(n, size);
    counted_end(out, &start);
    if (array == NULL)
        return -1;
    free(array);
    return glibc_end(out, size, n, false);
}

int record_each_cost(size_t size, uint64_t n, struct record_cost *out)
{
    struct countalloc_stats start;
    void **box;

    countalloc_measure_begin(&start);
    box = record_boxes_new(size, n);
    counted_end(out, &start);
    if (box == NULL)
        return -1;
    record_boxes_free(box, n);
    return glibc_end(out, size, n, true);
}
