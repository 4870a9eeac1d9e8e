/* exercise.h: lesson 05, fix: a few short fields kept out of each big message. keep_fields
 * takes a message's malloc'd buffer and keeps KEEP_FIELDS fields of it in a store; the
 * message is the store's once the call succeeds. Out of memory (or a full store, a message
 * too short): keep_fields returns -1, the store is as it was, the message still the caller's.
 *
 * The goal: per message, one allocation (its fields packed into one block of
 * KEEP_PACKED_SIZE bytes) and one free (the message), so the store keeps the fields, not
 * the messages. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

#define KEEP_FIELDS 4     /* fields kept per message */
#define KEEP_FIELD_LEN 16 /* bytes in every field */
/* A message's packed block: its KEEP_FIELDS fields, each KEEP_FIELD_LEN bytes and a '\0'. */
#define KEEP_PACKED_SIZE (KEEP_FIELDS * (KEEP_FIELD_LEN + 1))

struct kept_field {
    const char *p; /* the field's first byte */
    size_t len;    /* KEEP_FIELD_LEN */
};

struct kept_msg {
    char *block;                           /* what the store frees for this message */
    struct kept_field field[KEEP_FIELDS];
};

struct store {
    size_t cap;            /* messages the store holds */
    size_t count;          /* messages kept so far */
    struct kept_msg *msgs; /* cap entries, one allocation */
};

/* An empty store for cap messages: one allocation of cap entries. 0, or -1 (cap of 0, out
 * of memory) with nothing allocated. In store.c. */
int store_init(struct store *st, size_t cap);

/* Free every message's block, then the entries. store_free(NULL) does nothing. In store.c. */
void store_free(struct store *st);

/* Keep fields 0..KEEP_FIELDS-1 of msg, a malloc'd buffer of len bytes (len at least
 * KEEP_FIELDS * KEEP_FIELD_LEN), as message st->count; field j is the KEEP_FIELD_LEN bytes
 * at keep_field_offset(len, j). 0: msg is the store's. -1 (store full, len too short, out
 * of memory): the store as it was, msg still the caller's. In exercise.c. */
int keep_fields(struct store *st, char *msg, size_t len);

/* Where field j of a message of len bytes starts. */
static inline size_t keep_field_offset(size_t len, size_t j)
{
    return j * (len / KEEP_FIELDS);
}

/* Field j of message i (i < st->count): its bytes, *len of them. */
static inline const char *kept_field(const struct store *st, size_t i, size_t j, size_t *len)
{
    *len = st->msgs[i].field[j].len;
    return st->msgs[i].field[j].p;
}

#endif
