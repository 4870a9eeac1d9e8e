/* uninit: a struct with padding, and the ways to write it out with no uninitialised byte.
 * malloc's bytes are not zero, and setting a struct's fields one by one leaves its padding
 * as it was: the caller owns every block returned; a failed allocation returns NULL or -1
 * with errno ENOMEM and leaves the caller's data as it was. */
#ifndef UNINIT_H
#define UNINIT_H

#include <stddef.h>
#include <stdint.h>

/* A record as a program might send it: 11 bytes of fields, padded by the compiler. */
struct uninit_rec {
    char tag;
    int64_t value;
    int16_t kind;
};

/* One field of struct uninit_rec: its name, where it starts, how long it is. */
struct uninit_field {
    const char *name;
    size_t offset;
    size_t size;
};

#define UNINIT_NFIELDS 3
extern const struct uninit_field uninit_fields[UNINIT_NFIELDS];

/* The bytes of the fields alone: what uninit_pack writes (11 on x86-64). */
size_t uninit_packed_size(void);

/* Whether byte i of struct uninit_rec is padding (in no field). */
int uninit_is_padding(size_t i);

/* A record from calloc, its fields then set: padding zero. One allocation of
 * sizeof(struct uninit_rec); NULL when it fails. Free it with free(). */
struct uninit_rec *uninit_new_zeroed(char tag, int64_t value, int16_t kind);

/* *r memset to zero, then its fields set: padding zero, nothing allocated. */
void uninit_set_cleared(struct uninit_rec *r, char tag, int64_t value, int16_t kind);

/* The fields of *r, one after another in the machine's byte order and no padding, into a
 * new block of uninit_packed_size() bytes: *out and *len set, 0 returned. One allocation;
 * -1 with *out and *len as they were when it fails. */
int uninit_pack(const struct uninit_rec *r, unsigned char **out, size_t *len);

#endif
