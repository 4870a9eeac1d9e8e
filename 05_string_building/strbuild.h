/* strbuild.h: the job of lesson 05, joining n parts into one string, done three ways
 * allocation-heavy (heavy.c) and three ways allocation-light (light.c), each heavy one
 * mirrored by a light one:
 *   heavy_concat   s = concat(s, part): a new malloc and a full copy per part, O(n^2)
 *   light_builder  struct sb (sb.h): geometric growth, about log2(total / SB_MIN_CAP) + 1
 *                  allocations
 *   heavy_realloc  realloc to the exact size per part: n reallocs
 *   light_reserve  sb_reserve(total) first: exactly one allocation
 *   heavy_asprintf asprintf(&t, "%s%s", s, part) per part: a copy and at least 2
 *                  allocations each, more as s grows (glibc 2.36: its buffer grows while
 *                  it formats)
 *   light_memstream open_memstream + fwrite: libc's own growing buffer
 * Every function returns 0 and fills *out with a string the caller frees, or returns -1
 * when memory runs out, having freed all it took and left *out alone. All six produce
 * the same bytes. */
#ifndef STRBUILD_H
#define STRBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The input: n parts, each NUL-terminated (asprintf's %s needs it), lengths known. */
struct strbuild_parts {
    size_t n;          /* number of parts */
    const char **s;    /* s[i]: part i */
    size_t *len;       /* len[i]: its length */
    size_t total;      /* sum of len[] */
    char *store;       /* one block holding every part, owned by this struct */
};

/* The output. */
struct strbuild_out {
    char *s;           /* the joined string, NUL-terminated; the caller frees it */
    size_t len;        /* its length */
    uint64_t copied;   /* bytes copied: by this code's memcpy, by libc's formatting, and
                        * by every realloc that moved the string (the old length) */
    uint64_t moves;    /* growths that moved the string to a new address */
    bool hidden;       /* libc grew the string out of sight (open_memstream): moves and
                        * the copies they made are not counted */
};

int heavy_concat(const struct strbuild_parts *in, struct strbuild_out *out);
int light_builder(const struct strbuild_parts *in, struct strbuild_out *out);
int heavy_realloc(const struct strbuild_parts *in, struct strbuild_out *out);
int light_reserve(const struct strbuild_parts *in, struct strbuild_out *out);
int heavy_asprintf(const struct strbuild_parts *in, struct strbuild_out *out);
int light_memstream(const struct strbuild_parts *in, struct strbuild_out *out);

/* n parts of `len` bytes each (len >= 1), part i made of the letters 'a'.. shifted by
 * i. Three allocations; 0, or -1 when out of memory with nothing held and *p unchanged. */
int strbuild_parts_make(struct strbuild_parts *p, size_t n, size_t len);

/* A part of n bytes was appended and the string is now at `now` (it was at `was`, 0
 * before the first part): add n to t->len and to t->copied, and when the block moved,
 * count the move and the old string's bytes copied with it. Allocates nothing; inline,
 * so that the accounting costs a few instructions per part, not a call. */
static inline void strbuild_tally(struct strbuild_out *t, uintptr_t was, const char *now, size_t n)
{
    if (was != 0 && (uintptr_t)now != was) {
        t->copied += t->len;
        t->moves++;
    }
    t->copied += n;
    t->len += n;
}

/* Free what strbuild_parts_make took. NULL does nothing. */
void strbuild_parts_free(struct strbuild_parts *p);

#endif
