/* record.h: what one record costs, lesson 02. The same six fields in two orders: the
 * careless one (rec_loose), where the compiler pads after each small field so that the
 * next large one is aligned, and the largest first (rec_tight). C never reorders fields,
 * so the order written is the layout.
 *   - the layout: each field's offset and size, and the hole after it, from offsetof and
 *     sizeof;
 *   - the heap: n records as one array, or one malloc each behind an array of pointers,
 *     counted by the counting allocator (the bytes asked for) and read from glibc's own
 *     malloc (the chunks it hands out: the request plus its 8-byte size field, rounded up
 *     to 16, at least 32).
 *
 * Ownership: record_boxes_new's array and records belong to the caller until
 * record_boxes_free. The *_cost functions free everything they allocated before they
 * return. Out of memory: they return -1 (NULL) having freed what they took. */
#ifndef RECORD_H
#define RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rec_loose {   /* the fields in the order they came to mind */
    char flag;
    int64_t id;
    char kind;
    int32_t count;
    char tag;
    double score;
};

struct rec_tight {   /* the same fields, largest first */
    int64_t id;
    double score;
    int32_t count;
    char flag;
    char kind;
    char tag;
};

#define RECORD_FIELDS 6

struct record_field {
    const char *decl;   /* "int64_t id" */
    size_t offset;      /* offsetof */
    size_t size;        /* sizeof */
};

struct record_type {
    const char *name;   /* "struct rec_loose" */
    size_t size;        /* sizeof */
    size_t align;       /* _Alignof */
    struct record_field field[RECORD_FIELDS];  /* in declaration order */
};

extern const struct record_type record_loose, record_tight;

/* The padding after field i: up to the next field's offset, or for the last field up to
 * the end of the struct (the tail that keeps the next element of an array aligned). */
size_t record_hole_after(const struct record_type *t, size_t i);
/* The bytes the fields hold, and the padding: together, sizeof. */
size_t record_field_bytes(const struct record_type *t);
size_t record_padding(const struct record_type *t);

/* n records of `size` bytes, one malloc each, behind one array of n pointers: n + 1
 * allocations. NULL when one fails (everything it took freed). */
void **record_boxes_new(size_t size, uint64_t n);
void record_boxes_free(void **box, uint64_t n);

/* What n records of `size` bytes cost on the heap. allocs and bytes are the counting
 * allocator's (the calls, and the bytes asked for); chunk_bytes is glibc's footprint,
 * the sum of the chunk sizes its own malloc (__libc_malloc: no counting header in
 * front) hands out for the same calls, read from each chunk's size field. Under Valgrind
 * or AddressSanitizer another allocator serves __libc_malloc: glibc is false there and
 * chunk_bytes 0. */
struct record_cost {
    uint64_t allocs;       /* allocations (counted) */
    uint64_t bytes;        /* bytes asked for (counted) */
    uint64_t chunk_bytes;  /* glibc's chunks for the same allocations */
    bool glibc;            /* chunk_bytes was read from glibc's own malloc */
};

/* One array of n records: one malloc(n * size). */
int record_array_cost(size_t size, uint64_t n, struct record_cost *out);
/* One malloc per record, and the array of n pointers that holds them (record_boxes_new). */
int record_each_cost(size_t size, uint64_t n, struct record_cost *out);

/* The chunk glibc's own malloc hands out for one request of `size` bytes, and the bytes
 * it lets the caller use (malloc_usable_size); 0 and 0 where glibc's malloc is not the
 * one serving (Valgrind, ASan). -1 if out of memory. */
int record_chunk(size_t size, size_t *chunk, size_t *usable);

#endif
