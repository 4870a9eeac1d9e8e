/* basics.h: the job of lesson 01, done allocation-heavy (heavy.c) and allocation-light
 * (light.c) with byte-for-byte the same results: read lines "user,bytes" from a stream
 * and collect the fields, the second into an array, the first into a digest.
 *   heavy: a fresh getline buffer for every line, every first field copied with strndup
 *          (Python's line.split(",")), the array grown by one element per line:
 *          3 allocations per line, plus 1 for the getline call that finds the end.
 *   light: one getline buffer for the whole stream, the first field read in place (a
 *          pointer and a length, like a Go substring), the array doubled when full:
 *          1 + (1 + ceil(log2(lines))) allocations in all.
 * The caller owns the stream and the result (basics_fields_free). Out of memory: the
 * collect functions return -1 having freed all they took and left *out alone. */
#ifndef BASICS_H
#define BASICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "growth.h"
#include "hash.h"

struct fields {
    struct vec bytes; /* the second field of every line, in order (0 if it has none) */
    uint64_t users;   /* FNV-1a digest of every first field, in order */
};

#define FIELDS_INIT {VEC_INIT, HASH_FNV_START}

int heavy_collect(FILE *in, struct fields *out);
int light_collect(FILE *in, struct fields *out);

/* Release what a collect function returned; f is empty (FIELDS_INIT) afterwards. */
void basics_fields_free(struct fields *f);

/* Nonzero when a and b hold the same digest and the same values, byte for byte. */
int basics_fields_equal(const struct fields *a, const struct fields *b);

/* The input: n lines "user%06zu,%zu\n", where line i has user i % 1000 and bytes
 * basics_bytes_of(i). One allocation of exactly *len + 1 bytes, measured before it is
 * made; the caller frees *text. 0, or -1 when out of memory (*text, *len untouched). */
int basics_make_input(size_t n, char **text, size_t *len);

/* The second field of line i of basics_make_input's text. */
int64_t basics_bytes_of(size_t i);

/* A read stream over text[0..len), buffered in the caller's buf (so reading allocates
 * nothing); fclose it. NULL when out of memory. fmemopen itself allocates. */
FILE *basics_open(char *text, size_t len, char *buf, size_t bufsize);

#endif
