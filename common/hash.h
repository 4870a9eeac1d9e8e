/* hash: FNV-1a, 64 bits, the digest the lessons fold their output into, so that heavy and
 * light are shown to produce the same bytes without either keeping them. Not for hash
 * tables under attack: it is a checksum, cheap and deterministic. */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HASH_FNV_START 0xcbf29ce484222325u /* FNV-1a's 64-bit offset basis */
#define HASH_FNV_PRIME 0x100000001b3u      /* and its prime */

/* Fold len bytes of p into the digest h, a byte at a time; returns the new digest. */
static inline uint64_t hash_fnv(uint64_t h, const void *p, size_t len)
{
    const unsigned char *s = p;

    for (size_t i = 0; i < len; i++)
        h = (h ^ s[i]) * HASH_FNV_PRIME;
    return h;
}

/* The same 8 bytes a step (a word in the machine's byte order), then the rest a byte at
 * a time: an eighth of the multiplications, for a digest inside a timed loop. Its values
 * differ from hash_fnv's; lesson 04's Go twin folds the same little-endian words. */
static inline uint64_t hash_fnv_words(uint64_t h, const void *p, size_t len)
{
    const unsigned char *s = p;
    uint64_t w;

    for (; len >= 8; s += 8, len -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * HASH_FNV_PRIME;
    }
    return hash_fnv(h, s, len);
}

#endif
