/* append: n parts appended one by one to a buffer the caller has already made big enough,
 * two ways. Both leave the same string and neither allocates: the buffer is the caller's,
 * and the only failure is a buffer too small, refused before a byte is written.
 *   append_strcat  strcat(buf, part) per part: each call walks all of buf to find its end
 *                  before it copies the part (Schlemiel the painter), O(n^2) for n parts
 *   append_kept    memcpy(buf + len, part, n) per part, the length kept as sb_append keeps
 *                  b.len: each append touches its part and the terminator, O(total) */
#ifndef APPEND_H
#define APPEND_H

#include <stddef.h>

#include "strbuild.h"

/* buf = "", then strcat(buf, in->s[i]) for every part (each NUL-terminated, as
 * strbuild_parts_make makes them). 0, or -1 with errno ERANGE and buf untouched when
 * cap < in->total + 1. */
int append_strcat(char *buf, size_t cap, const struct strbuild_parts *in);

/* The same string, each part copied to buf + len and len kept; buf is a C string after
 * every append. 0, or -1 with errno ERANGE and buf untouched when cap < in->total + 1. */
int append_kept(char *buf, size_t cap, const struct strbuild_parts *in);

#endif
