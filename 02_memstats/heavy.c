/* heavy.c: one malloc per record. build: n + 1 allocations (the records and the array
 * of pointers). drop: a free per dropped record; the survivors stay where they were,
 * one in KEEP_EVERY, scattered over every page the heap grew into. */
#include "memstats.h"

#include <stdlib.h>

int heavy_build(struct heavy_store *s, uint64_t n)
{
    struct record **rec = malloc(n * sizeof *rec);
    uint64_t i;

    if (rec == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        rec[i] = malloc(sizeof *rec[i]);
        if (rec[i] == NULL)
            goto out_free;
        memstats_record_fill(rec[i], i);
    }
    s->rec = rec;
    s->n = n;
    return 0;
out_free:
    while (i > 0)
        free(rec[--i]);
    free(rec);
    return -1;
}

int heavy_drop(struct heavy_store *s)
{
    uint64_t k = 0;

    for (uint64_t i = 0; i < s->n; i++) {
        if (i % KEEP_EVERY == 0)
            s->rec[k++] = s->rec[i];
        else
            free(s->rec[i]); /* a hole the size of one record */
    }
    s->n = k;
    return 0;
}

void heavy_free(struct heavy_store *s)
{
    for (uint64_t i = 0; i < s->n; i++)
        free(s->rec[i]);
    free(s->rec);
    s->rec = NULL;
    s->n = 0;
}
