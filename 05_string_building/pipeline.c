/* pipeline.c: the text job of pipeline.h, materialized stage by stage and streamed in one
 * pass over views of the text. */
#include "pipeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "sb.h"

#define LINE_MAX_LEN 96 /* longer than any line pipeline_line writes */

static const char *const levels[4] = {"INFO", "WARN", "DEBUG", "ERROR"};
static const char *const hosts[5] = {"db", "cache", "auth", "frontend", "search"};

size_t pipeline_line(size_t i, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s request %zu from %s took %zu ms", levels[i % 4], i,
                     hosts[i % 5], i * 7 % 1000);

    return n < 0 ? 0 : (size_t)n;
}

char *pipeline_text(size_t n, size_t *len)
{
    char buf[LINE_MAX_LEN];
    size_t total = 0, at = 0;
    char *text;

    for (size_t i = 0; i < n; i++)
        total += pipeline_line(i, buf, sizeof buf) + 1;
    if ((text = malloc(total + 1)) == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        at += pipeline_line(i, text + at, total + 1 - at);
        text[at++] = '\n';
    }
    text[at] = '\0';
    *len = total;
    return text;
}

int pipeline_keep(const char *line, size_t len)
{
    return (len >= 5 && memcmp(line, "WARN ", 5) == 0) ||
           (len >= 6 && memcmp(line, "ERROR ", 6) == 0);
}

/* The line that starts at text[at] (at < len): its length, '\n' not included. */
static size_t line_len(const char *text, size_t len, size_t at)
{
    const char *nl = memchr(text + at, '\n', len - at);

    return nl != NULL ? (size_t)(nl - (text + at)) : len - at;
}

static void upper(char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            s[i] = (char)(s[i] - 'a' + 'A');
}

static uint64_t fold(uint64_t h, const char *s, size_t len)
{
    return hash_fnv(hash_fnv(h, s, len), "\n", 1);
}

/* ---- materialized: every stage a new array of new strings ---- */

struct lines {
    char **s; /* n strings, each its own allocation; one array */
    size_t n;
};

static void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l->s);
    *l = (struct lines){NULL, 0};
}

/* An array of `count` slots, or (count 0) none: no allocation. */
static int lines_alloc(struct lines *l, size_t count)
{
    *l = (struct lines){NULL, 0};
    if (count == 0)
        return 0;
    if (count > SIZE_MAX / sizeof *l->s) {
        errno = ENOMEM;
        return -1;
    }
    return (l->s = malloc(count * sizeof *l->s)) == NULL ? -1 : 0;
}

/* Append a copy of s[0..len) to l (room already made), upper-cased if up. */
static int lines_push(struct lines *l, const char *s, size_t len, int up)
{
    char *c = malloc(len + 1);

    if (c == NULL)
        return -1;
    memcpy(c, s, len);
    c[len] = '\0';
    if (up)
        upper(c, len);
    l->s[l->n++] = c;
    return 0;
}

/* Stage 1: a copy of every line. */
static int split(const char *text, size_t len, struct lines *all)
{
    size_t n = 0;

    for (size_t at = 0; at < len; at += line_len(text, len, at) + 1)
        n++;
    if (lines_alloc(all, n) != 0)
        return -1;
    for (size_t at = 0; at < len;) {
        size_t l = line_len(text, len, at);

        if (lines_push(all, text + at, l, 0) != 0)
            return -1;
        at += l + 1;
    }
    return 0;
}

/* Stages 2 and 3: a copy of every line that `from` holds and the filter keeps (keep), or
 * an upper-cased copy of every line (!keep). */
static int stage(const struct lines *from, struct lines *to, int keep)
{
    size_t count = 0;

    for (size_t i = 0; i < from->n; i++)
        count += !keep || pipeline_keep(from->s[i], strlen(from->s[i]));
    if (lines_alloc(to, count) != 0)
        return -1;
    for (size_t i = 0; i < from->n; i++) {
        size_t l = strlen(from->s[i]);

        if (keep && !pipeline_keep(from->s[i], l))
            continue;
        if (lines_push(to, from->s[i], l, !keep) != 0)
            return -1;
    }
    return 0;
}

int pipeline_materialize(const char *text, size_t len, struct pipeline_result *out)
{
    struct lines all = {NULL, 0}, kept = {NULL, 0}, up = {NULL, 0};
    struct pipeline_result r = {0, 0, HASH_FNV_START};
    int rc = -1;

    if (split(text, len, &all) != 0 || stage(&all, &kept, 1) != 0 || stage(&kept, &up, 0) != 0)
        goto out;
    for (size_t i = 0; i < up.n; i++) {
        size_t l = strlen(up.s[i]);

        r.kept++;
        r.bytes += l;
        r.digest = fold(r.digest, up.s[i], l);
    }
    *out = r;
    rc = 0;
out:
    lines_free(&up);
    lines_free(&kept);
    lines_free(&all);
    return rc;
}

/* ---- streamed: views into the text, one reused builder ---- */

int pipeline_stream(const char *text, size_t len, struct pipeline_result *out)
{
    struct pipeline_result r = {0, 0, HASH_FNV_START};
    struct sb b = SB_INIT;

    for (size_t at = 0; at < len;) {
        size_t l = line_len(text, len, at); /* the view: text + at, l bytes */

        if (pipeline_keep(text + at, l)) {
            sb_reset(&b); /* keeps the buffer */
            if (sb_append(&b, text + at, l) != 0) {
                sb_free(&b);
                return -1;
            }
            upper(b.buf, b.len);
            r.kept++;
            r.bytes += b.len;
            r.digest = fold(r.digest, b.buf, b.len);
        }
        at += l + 1;
    }
    sb_free(&b);
    *out = r;
    return 0;
}
