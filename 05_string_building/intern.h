/* intern: an intern table, a hash set that owns one copy of each distinct string.
 * intern(t, s, len) returns the table's copy of the len bytes at s (embedded NULs
 * allowed), allocating only for a string it has not seen: equal strings come back as the
 * same pointer, so comparing two interned strings is comparing two pointers.
 *
 *   struct intern t = INTERN_INIT;         // no allocation
 *   const char *a = intern(&t, "Oslo", 4);  // the first "Oslo": one entry (+ the slots)
 *   const char *b = intern(&t, "Oslo", 4);  // the same pointer, no allocation
 *   intern_free(&t);                        // every copy, then the slots
 *
 * Storage: each distinct string is one block, a struct intern_entry (its hash, its length)
 * with the bytes and a terminator in a flexible array member, as 01's onealloc: one
 * allocation per distinct string, and one free each, so intern_free needs no arena. The
 * slots are an open-addressed array of entry pointers (linear probing), INTERN_MIN_SLOTS
 * on the first intern, doubled whenever the next entry would fill more than 3/4 of it.
 * Strings are never removed: the table only grows until intern_free.
 *
 * Failure: an intern that cannot allocate (its entry or the doubled slots) returns NULL
 * with errno ENOMEM, and the table is exactly as it was. */
#ifndef INTERN_H
#define INTERN_H

#include <stddef.h>
#include <stdint.h>

#define INTERN_MIN_SLOTS 16 /* slots of the first array; a power of two */

struct intern_entry {
    uint64_t hash; /* hash_fnv of the bytes (common/hash.h) */
    size_t len;    /* bytes, terminator not included */
    char s[];      /* the bytes and a '\0' */
};

struct intern {
    struct intern_entry **slots; /* cap pointers, NULL where free; NULL before the first */
    size_t cap;                  /* slots: 0, or a power of two >= INTERN_MIN_SLOTS */
    size_t count;                /* distinct strings held */
};

#define INTERN_INIT {NULL, 0, 0}

/* The stored copy of s[0..len) ('\0'-terminated), the same pointer for equal bytes; or
 * NULL with the table unchanged when an allocation fails. */
const char *intern(struct intern *t, const char *s, size_t len);

/* The stored copy of s if the table holds it, else NULL. Never allocates. */
const char *intern_find(const struct intern *t, const char *s, size_t len);

/* Free every stored string and the slots; t is INTERN_INIT again. intern_free(NULL) does
 * nothing. */
void intern_free(struct intern *t);

/* The size of the block that holds a string of len bytes. */
static inline size_t intern_entry_size(size_t len)
{
    return sizeof(struct intern_entry) + len + 1;
}

/* The slots a table holding n strings has: 0 for none, else the smallest power of two
 * from INTERN_MIN_SLOTS with n <= 3/4 of it (the growth rule above). */
size_t intern_slots_for(size_t n);

/* ---- records: the demo's workload, built two ways ----
 * n records whose name is one of k distinct city names, record i taking name i % k
 * (so min(n, k) distinct names in use). */

struct record {
    const char *name; /* strdup'ed (RECORDS_DUP) or the table's copy (RECORDS_INTERNED) */
    size_t id;
};

enum records_way { RECORDS_DUP, RECORDS_INTERNED };

struct records {
    struct record *r;   /* n records, one allocation */
    size_t n;
    enum records_way way;
    struct intern names; /* RECORDS_INTERNED: the table that owns the names */
};

/* Write name number i (a city, with a number after it from i = RECORDS_CITIES on) into
 * buf[size]; returns its length. Nothing allocated. */
#define RECORDS_CITIES 16
size_t records_name(size_t i, char *buf, size_t size);

/* Build n records with k distinct names (n, k >= 1) the given way into *out: one array,
 * then a strdup per record, or an intern per record. 0, or -1 (ENOMEM; EINVAL for n or k
 * of 0) with nothing kept. */
int records_build(struct records *out, size_t n, size_t k, enum records_way way);

/* How many records have the name name: strcmp on each (RECORDS_DUP), or one
 * intern_find and a pointer compare on each (RECORDS_INTERNED). *bytes_read gets the
 * name bytes the compares read (0 for pointer compares). */
size_t records_count_named(const struct records *rs, const char *name, size_t *bytes_read);

/* Free the records and their names; records_free(NULL) does nothing. */
void records_free(struct records *rs);

#endif
