/* lru_model.h: what lesson 04's LRU tests check a cache against (test_lru.c and the
 * exercise 7_fix_lru_put): a snapshot of its entries, most recent first, copied without
 * allocating, and a plain model, an array in recency order. For the Criterion test files
 * only. */
#ifndef LRU_MODEL_H
#define LRU_MODEL_H

#include <criterion/criterion.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "shuffle.h"

#define MODEL_MAXN 64 /* the most entries a snapshot holds */
#define MODEL_KEY 32  /* the room for a key and its NUL */

/* ---- snapshots ---- */

struct snap {
    size_t n;
    char key[MODEL_MAXN][MODEL_KEY];
    uint64_t val[MODEL_MAXN];
};

/* A walk's visit: appends one entry to the struct snap at ctx. */
static inline void visit(void *ctx, const char *key, uint64_t val)
{
    struct snap *s = ctx;

    cr_assert(s->n < MODEL_MAXN, "more entries than a snapshot holds");
    cr_assert(strlen(key) < MODEL_KEY, "a key longer than a snapshot holds");
    memcpy(s->key[s->n], key, strlen(key) + 1);
    s->val[s->n++] = val;
}

static inline bool same(const struct snap *a, const struct snap *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->key[i], b->key[i]) != 0 || a->val[i] != b->val[i])
            return false;
    return true;
}

/* "k3=30 k1=10 ...": a snapshot for a failure message. */
static inline const char *show(const struct snap *s, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < s->n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s=%llu", i ? " " : "", s->key[i],
                                 (unsigned long long)s->val[i]);
    return buf;
}

/* ---- the model: an array in recency order, the plain definition of an LRU cache ---- */

struct model {
    size_t cap;
    struct snap s;
};

static inline long model_find(const struct model *m, const char *key)
{
    for (size_t i = 0; i < m->s.n; i++)
        if (strcmp(m->s.key[i], key) == 0)
            return (long)i;
    return -1;
}

/* Move entry i to the front, or, i == -1, make room at the front (dropping the last entry
 * when full): entries 0 .. i-1 shift down one. */
static inline void model_front(struct model *m, long i, const char *key, uint64_t val)
{
    size_t from = i >= 0 ? (size_t)i : (m->s.n < m->cap ? m->s.n++ : m->s.n - 1);

    memmove(m->s.key[1], m->s.key[0], from * sizeof m->s.key[0]);
    memmove(m->s.val + 1, m->s.val, from * sizeof m->s.val[0]);
    memcpy(m->s.key[0], key, strlen(key) + 1);
    m->s.val[0] = val;
}

/* A get: true, and the key moved to the front, when the model holds it. */
static inline bool model_get(struct model *m, const char *key)
{
    long i = model_find(m, key);

    if (i >= 0)
        model_front(m, i, key, m->s.val[i]);
    return i >= 0;
}

/* A put: the key to the front with its new value; a new key into a full model drops the
 * back. */
static inline void model_put(struct model *m, const char *key, uint64_t val)
{
    model_front(m, model_find(m, key), key, val);
}

#endif
