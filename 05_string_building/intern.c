/* intern.c: the intern table (intern.h): one block per distinct string, open-addressed
 * slots, and the demo's records built with and without it. */
#include "intern.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

static uint64_t intern_hash(const char *s, size_t len)
{
    return hash_fnv(HASH_FNV_START, s, len);
}

/* The slot that holds s, or the free slot where it would go. cap > 0. */
static size_t slot_of(struct intern_entry *const *slots, size_t cap, uint64_t h,
                      const char *s, size_t len)
{
    size_t i = (size_t)h & (cap - 1);

    while (slots[i] != NULL) {
        const struct intern_entry *e = slots[i];

        if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0)
            break;
        i = (i + 1) & (cap - 1);
    }
    return i;
}

size_t intern_slots_for(size_t n)
{
    size_t cap = INTERN_MIN_SLOTS;

    if (n == 0)
        return 0;
    while (n > cap / 4 * 3)
        cap *= 2;
    return cap;
}

const char *intern_find(const struct intern *t, const char *s, size_t len)
{
    size_t i;

    if (t->cap == 0)
        return NULL;
    i = slot_of(t->slots, t->cap, intern_hash(s, len), s, len);
    return t->slots[i] != NULL ? t->slots[i]->s : NULL;
}

/* Move every entry into a zeroed array of cap slots. Allocates nothing. */
static void rehash(struct intern *t, struct intern_entry **slots, size_t cap)
{
    for (size_t i = 0; i < t->cap; i++) {
        struct intern_entry *e = t->slots[i];

        if (e != NULL)
            slots[slot_of(slots, cap, e->hash, e->s, e->len)] = e;
    }
}

const char *intern(struct intern *t, const char *s, size_t len)
{
    uint64_t h = intern_hash(s, len);
    struct intern_entry *e;
    size_t want, i;

    if (t->cap > 0) {
        i = slot_of(t->slots, t->cap, h, s, len);
        if (t->slots[i] != NULL)
            return t->slots[i]->s; /* seen before: no allocation */
    }
    if (len > SIZE_MAX - sizeof *e - 1 || t->count == SIZE_MAX / 2) {
        errno = ENOMEM;
        return NULL;
    }
    /* The entry first, then the slots: if the slots fail, the entry goes back and the
     * table was never touched. */
    if ((e = malloc(intern_entry_size(len))) == NULL)
        return NULL;
    e->hash = h;
    e->len = len;
    memcpy(e->s, s, len);
    e->s[len] = '\0';
    want = intern_slots_for(t->count + 1);
    if (want != t->cap) {
        struct intern_entry **slots = calloc(want, sizeof *slots);

        if (slots == NULL) {
            free(e);
            return NULL;
        }
        rehash(t, slots, want);
        free(t->slots);
        t->slots = slots;
        t->cap = want;
    }
    t->slots[slot_of(t->slots, t->cap, h, s, len)] = e;
    t->count++;
    return e->s;
}

void intern_free(struct intern *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i]);
    free(t->slots);
    *t = (struct intern)INTERN_INIT;
}

/* ---- records ---- */

static const char *const cities[RECORDS_CITIES] = {
    "Amsterdam", "Barcelona", "Copenhagen", "Dublin", "Edinburgh", "Frankfurt",
    "Gothenburg", "Helsinki", "Istanbul", "Ljubljana", "Marseille", "Nottingham",
    "Oslo", "Prague", "Reykjavik", "Stockholm",
};

size_t records_name(size_t i, char *buf, size_t size)
{
    int n;

    if (i < RECORDS_CITIES)
        n = snprintf(buf, size, "%s", cities[i]);
    else
        n = snprintf(buf, size, "%s %zu", cities[i % RECORDS_CITIES], i / RECORDS_CITIES);
    return n < 0 ? 0 : (size_t)n;
}

int records_build(struct records *out, size_t n, size_t k, enum records_way way)
{
    struct records rs = {NULL, 0, way, INTERN_INIT};
    char buf[64];

    if (n == 0 || k == 0 || n > SIZE_MAX / sizeof *rs.r) {
        errno = EINVAL;
        return -1;
    }
    if ((rs.r = malloc(n * sizeof *rs.r)) == NULL)
        return -1;
    for (; rs.n < n; rs.n++) {
        size_t len = records_name(rs.n % k, buf, sizeof buf);
        const char *name;

        if (way == RECORDS_DUP)
            name = strdup(buf);
        else
            name = intern(&rs.names, buf, len);
        if (name == NULL) {
            records_free(&rs);
            return -1;
        }
        rs.r[rs.n] = (struct record){name, rs.n};
    }
    *out = rs;
    return 0;
}

size_t records_count_named(const struct records *rs, const char *name, size_t *bytes_read)
{
    size_t hits = 0, read = 0;

    if (rs->way == RECORDS_DUP) {
        for (size_t i = 0; i < rs->n; i++) {
            const char *a = rs->r[i].name, *b = name;

            /* strcmp, with the bytes it reads counted: up to the first difference */
            while (*a != '\0' && *a == *b)
                a++, b++;
            read += (size_t)(a - rs->r[i].name) + 1;
            hits += *a == *b;
        }
    } else {
        const char *p = intern_find(&rs->names, name, strlen(name));

        for (size_t i = 0; i < rs->n; i++)
            hits += rs->r[i].name == p;
    }
    *bytes_read = read;
    return hits;
}

void records_free(struct records *rs)
{
    if (rs == NULL)
        return;
    if (rs->way == RECORDS_DUP)
        for (size_t i = 0; i < rs->n; i++)
            free((char *)rs->r[i].name);
    intern_free(&rs->names);
    free(rs->r);
    rs->r = NULL;
    rs->n = 0;
}
