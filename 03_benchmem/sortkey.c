/* sortkey.c: a case-insensitive sort of strings with glibc's qsort three ways (sortkey.h):
 * a comparator that copies, keys made once, a comparator that compares in place. */
#include "sortkey.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platform.h"
#include "shuffle.h"

#define WORD_MIN 3
#define WORD_MAX 8

char *sortkey_lower(const char *s)
{
    size_t len = strlen(s);
    char *k = malloc(len + 1);

    if (k == NULL)
        return NULL;
    for (size_t i = 0; i <= len; i++)
        k[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    return k;
}

/* The order of sortkey.h for two words whose lowered forms compared as c. */
static int tie_break(int c, const char *a, const char *b)
{
    return c != 0 ? c : strcmp(a, b);
}

static int cmp_copying(const void *pa, const void *pb, void *ctx)
{
    const char *a = *(char *const *)pa, *b = *(char *const *)pb;
    struct sortkey_stats *st = ctx;
    char *la = sortkey_lower(a), *lb = la == NULL ? NULL : sortkey_lower(b);
    int c;

    st->compares++;
    if (lb == NULL) { /* a copy failed: this pair in place, the same order */
        free(la);
        st->fallbacks++;
        return tie_break(strcasecmp(a, b), a, b);
    }
    c = strcmp(la, lb);
    free(la);
    free(lb);
    return tie_break(c, a, b);
}

static int cmp_inplace(const void *pa, const void *pb, void *ctx)
{
    const char *a = *(char *const *)pa, *b = *(char *const *)pb;

    ((struct sortkey_stats *)ctx)->compares++;
    return tie_break(strcasecmp(a, b), a, b);
}

static int cmp_pair(const void *pa, const void *pb, void *ctx)
{
    const struct sortkey_pair *a = pa, *b = pb;

    ((struct sortkey_stats *)ctx)->compares++;
    return tie_break(strcmp(a->key, b->key), a->word, b->word);
}

void sortkey_copying(char **v, size_t n, struct sortkey_stats *st)
{
    qsort_r(v, n, sizeof *v, cmp_copying, st);
}

void sortkey_inplace(char **v, size_t n, struct sortkey_stats *st)
{
    qsort_r(v, n, sizeof *v, cmp_inplace, st);
}

int sortkey_keyed(char **v, size_t n, struct sortkey_stats *st)
{
    struct sortkey_pair *p;

    if (n == 0)
        return 0;
    if ((p = malloc(n * sizeof *p)) == NULL) /* n pointers exist, so n pairs fit in size_t */
        return -1;
    for (size_t i = 0; i < n; i++) {
        if ((p[i].key = sortkey_lower(v[i])) == NULL) {
            while (i > 0)
                free(p[--i].key);
            free(p);
            errno = ENOMEM;
            return -1;
        }
        p[i].word = v[i];
    }
    qsort_r(p, n, sizeof *p, cmp_pair, st);
    for (size_t i = 0; i < n; i++) {
        v[i] = (char *)p[i].word;
        free(p[i].key);
    }
    free(p);
    return 0;
}

size_t sortkey_qsort_allocs(size_t n, size_t size)
{
    size_t bytes = n * size;

    if (n <= 1)
        return 0;
    return platform_glibc_at_least(2, 41) ? bytes > 1024 : bytes >= 1024;
}

int sortkey_words(char ***v, size_t n, uint64_t seed)
{
    uint64_t r = seed ^ 0x9e3779b97f4a7c15ULL;
    char **w, *text;

    if (r == 0)
        r = 1;
    if (n == 0 || n > SIZE_MAX / (sizeof *w + WORD_MAX + 1)) {
        errno = EINVAL;
        return -1;
    }
    if ((w = malloc(n * (sizeof *w + WORD_MAX + 1))) == NULL)
        return -1;
    text = (char *)(w + n);
    for (size_t i = 0; i < n; i++) {
        size_t len = WORD_MIN + (size_t)(shuffle_rand(&r) % (WORD_MAX - WORD_MIN + 1));

        w[i] = text;
        for (size_t j = 0; j < len; j++) {
            uint64_t x = shuffle_rand(&r);

            *text++ = (char)((x >> 8) % 2 ? 'A' + x % 26 : 'a' + x % 26);
        }
        *text++ = '\0';
    }
    *v = w;
    return 0;
}

void sortkey_words_free(char **v)
{
    free(v);
}
