/* Fix the table: a forked worker that looks up every key once must copy at most the hit
 * counters' pages, not every record's.
 *
 * Now each record carries its own hit count, so a lookup writes the record: the first
 * lookup of each page of records copies that page into the worker, and a worker that
 * looks everything up ends with its own copy of the whole table. The test forks a worker,
 * and prints how much it copied. */
#include "exercise.h"

#include <stdio.h>
#include <stdlib.h>

struct record {
    char name[TABLE_RECORD - sizeof(uint32_t)];
    uint32_t hits; /* written by every lookup */
};

_Static_assert(sizeof(struct record) == TABLE_RECORD, "a record is TABLE_RECORD bytes");

struct table {
    size_t n;
    struct record *records;
};

struct table *table_new(size_t n)
{
    struct table *t;

    if (n == 0 || n > SIZE_MAX / sizeof(struct record))
        return NULL;
    if ((t = malloc(sizeof *t)) == NULL)
        return NULL;
    if ((t->records = calloc(n, sizeof *t->records)) == NULL) {
        free(t);
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
    free(t->records);
    free(t);
}

const char *table_lookup(struct table *t, size_t key)
{
    t->records[key].hits++;
    return t->records[key].name;
}

uint32_t table_hits(const struct table *t, size_t key)
{
    return t->records[key].hits;
}
