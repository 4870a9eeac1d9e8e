/* retain: a store that reads m messages of s bytes each and keeps k short fields of every
 * message, two ways. Views: each field a (pointer, length) into the message's buffer, so
 * every buffer stays allocated: m blocks of s bytes. Copies: the k fields copied out into
 * one packed block per message, and the buffer freed before the next message is read.
 *
 *   struct retain st;
 *   retain_init(&st, RETAIN_VIEWS, m, s, k);   // one allocation: m entries
 *   while (st.count < m) retain_read(&st);     // views: +s bytes each; copies: +packed
 *   retain_field(&st, i, j, &len);             // field j of message i, either way
 *   retain_free(&st);
 *
 * Copies are packed: one allocation per message, not one per field, so a message's
 * fields cost one block, one header and one free, whatever k is.
 *
 * Failure: retain_init and retain_read return -1 (errno ENOMEM, or EINVAL for arguments
 * out of range) with nothing kept: the store is exactly as it was. */
#ifndef RETAIN_H
#define RETAIN_H

#include <stddef.h>

#define RETAIN_FIELD_LEN 16 /* bytes in every field */
#define RETAIN_K_MAX 8      /* fields a message can have kept */

enum retain_way { RETAIN_VIEWS, RETAIN_COPIES };

struct retain_view {
    const char *p; /* into the message's buffer (views) or the packed block (copies) */
    size_t len;    /* RETAIN_FIELD_LEN */
};

struct retain_msg {
    char *block;                             /* views: the message, s bytes; copies: the
                                              * k fields, each with a '\0' after it */
    struct retain_view field[RETAIN_K_MAX]; /* the first k in use */
};

struct retain {
    enum retain_way way;
    size_t size;             /* s: bytes per message, at least k * RETAIN_FIELD_LEN */
    size_t k;                /* fields kept per message, 1..RETAIN_K_MAX */
    size_t cap;              /* m: messages the store holds */
    size_t count;            /* messages read so far */
    struct retain_msg *msgs; /* cap entries, one allocation */
};

/* An empty store for m messages of s bytes, keeping k fields of each: one allocation of
 * m entries. 0, or -1 (EINVAL for m of 0, k out of 1..RETAIN_K_MAX, s < k *
 * RETAIN_FIELD_LEN; ENOMEM) with nothing allocated. */
int retain_init(struct retain *st, enum retain_way way, size_t m, size_t s, size_t k);

/* Read message st->count into a malloc'd buffer of s bytes and keep its k fields. Views:
 * one allocation (the buffer, kept). Copies: two (the buffer, then the packed block) and
 * one free (the buffer). 0, or -1 (ENOSPC when the store is full; ENOMEM) with the store
 * as it was. */
int retain_read(struct retain *st);

/* Field j of message i (i < st->count, j < st->k): its bytes, *len of them. */
const char *retain_field(const struct retain *st, size_t i, size_t j, size_t *len);

/* Free every block the store keeps, then its entries. retain_free(NULL) does nothing. */
void retain_free(struct retain *st);

/* Write message i into buf: s bytes of fixed content, the same on every run, with field j
 * (j < k), "msg000042-field1" for i = 42 and j = 1, at retain_field_offset(s, k, j). */
void retain_message(size_t i, char *buf, size_t s, size_t k);

/* Where field j of a message of s bytes with k fields starts: j * (s / k). */
static inline size_t retain_field_offset(size_t s, size_t k, size_t j)
{
    return j * (s / k);
}

/* The bytes of a message's packed copy: k fields, each RETAIN_FIELD_LEN and a '\0'. */
static inline size_t retain_packed_size(size_t k)
{
    return k * (RETAIN_FIELD_LEN + 1);
}

#endif
