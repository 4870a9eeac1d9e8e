/* shuffle: seeded pseudo-random numbers and a seeded shuffle for tests, the same sequence
 * on every machine and every libc (rand() is neither), so that a failing order can be
 * named by its seed and replayed. Not for anything that must be unpredictable. */
#ifndef SHUFFLE_H
#define SHUFFLE_H

#include <stddef.h>
#include <stdint.h>

/* xorshift64* (Vigna): the next number from *state, which must not start at 0. */
static inline uint64_t shuffle_rand(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 2685821657736338717ULL;
}

/* Put v[0..n) in the order seed picks (Fisher-Yates). */
static inline void shuffle_indices(size_t *v, size_t n, uint64_t seed)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(shuffle_rand(&seed) % i), t = v[i - 1];

        v[i - 1] = v[j];
        v[j] = t;
    }
}

#endif
