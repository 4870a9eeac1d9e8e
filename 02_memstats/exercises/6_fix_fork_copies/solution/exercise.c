/* The table: the records, which a worker only reads, and the hit counters, which every
 * lookup writes, in blocks of their own. A worker that looks everything up copies the
 * counters' pages (4 bytes a record) and shares every page of records with its parent. */
#include "exercise.h"

#include <stdio.h>
#include <stdlib.h>

struct record {
    char name[TABLE_RECORD]; /* only read after table_new */
};

_Static_assert(sizeof(struct record) == TABLE_RECORD, "a record is TABLE_RECORD bytes");

struct table {
    size_t n;
    struct record *records;
    uint32_t *hits; /* hits[k]: record k's lookups; the only bytes a lookup writes */
};

struct table *table_new(size_t n)
{
    struct table *t;

    if (n == 0 || n > SIZE_MAX / sizeof(struct record))
        return NULL;
    if ((t = malloc(sizeof *t)) == NULL)
        return NULL;
    t->records = malloc(n * sizeof *t->records);
    t->hits = calloc(n, sizeof *t->hits);
    if (t->records == NULL || t->hits == NULL) {
        table_free(t);
        return NULL;
    }
    t->n = n;
    for (size_t k = 0; k < n; k++)
        snprintf(t->records[k].name, sizeof t->records[k].name, "record %zu", k);
    return t;
}

void table_free(struct table *t)
{
    if (t == NULL)
        return;
    free(t->hits);
    free(t->records);
    free(t);
}

const char *table_lookup(struct table *t, size_t key)
{
    t->hits[key]++;
    return t->records[key].name;
}

uint32_t table_hits(const struct table *t, size_t key)
{
    return t->hits[key];
}
