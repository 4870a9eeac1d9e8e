/* snippets.c: seven ways to build a string. Predict, in exercise.c, how many allocations
 * each makes and how many bytes they ask for. sb.h (the lesson's builder) says how it
 * grows: the first buffer is SB_MIN_CAP (64) bytes, terminator included, and each growth
 * doubles it, or takes the exact need if that is more. */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>

#define PART "0123456789" /* 10 bytes */

/* Ten appends of 10 bytes into a new builder. */
int snippet_sb_ten_appends(void)
{
    struct sb b = SB_INIT;
    int rc = 0;

    for (int i = 0; i < 10; i++)
        rc |= sb_puts(&b, PART);
    rc |= b.len == 100 ? 0 : -1;
    sb_free(&b);
    return rc;
}

/* The same, after sb_reserve(&b, 100): Go's b.Grow(100). */
int snippet_sb_reserved(void)
{
    struct sb b = SB_INIT;
    int rc = sb_reserve(&b, 100);

    for (int i = 0; i < 10; i++)
        rc |= sb_puts(&b, PART);
    rc |= b.len == 100 ? 0 : -1;
    sb_free(&b);
    return rc;
}

/* s = s + part, ten times: each step a new string of exactly the new length + 1. */
int snippet_naive_concat(void)
{
    char *s = NULL;
    size_t len = 0;

    for (int i = 0; i < 10; i++) {
        char *t = malloc(len + 10 + 1);
        if (t == NULL) {
            free(s);
            return -1;
        }
        memcpy(t, s != NULL ? s : "", len);
        memcpy(t + len, PART, 11);
        free(s);
        s = t;
        len += 10;
    }
    free(s);
    return len == 100 ? 0 : -1;
}

/* b: a builder that already built a 100-byte string, then sb_reset. The same ten again. */
int snippet_sb_reused(struct sb *b)
{
    int rc = 0;

    for (int i = 0; i < 10; i++)
        rc |= sb_puts(b, PART);
    return rc | (b->len == 100 ? 0 : -1);
}

/* One sb_printf into a new builder. */
int snippet_sb_printf_once(void)
{
    struct sb b = SB_INIT;
    int rc = sb_printf(&b, "%d-%s", 42, "answer");

    rc |= strcmp(sb_str(&b), "42-answer") == 0 ? 0 : -1;
    sb_free(&b);
    return rc;
}

/* Five appends of "abc", then the result copied out and the builder freed. */
int snippet_copy_then_free(void)
{
    struct sb b = SB_INIT;
    char *s;
    int rc = 0;

    for (int i = 0; i < 5; i++)
        rc |= sb_puts(&b, "abc");
    s = strdup(sb_str(&b));
    sb_free(&b);
    if (s == NULL)
        return -1;
    rc |= strlen(s) == 15 ? 0 : -1;
    free(s);
    return rc;
}

/* The same five appends, then the builder's buffer handed over with sb_detach. */
int snippet_detach(void)
{
    struct sb b = SB_INIT;
    char *s;
    int rc = 0;

    for (int i = 0; i < 5; i++)
        rc |= sb_puts(&b, "abc");
    s = sb_detach(&b, NULL);
    if (s == NULL)
        return -1;
    rc |= strlen(s) == 15 ? 0 : -1;
    free(s);
    return rc;
}
