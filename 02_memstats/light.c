/* light.c: the records in one block. build: 1 allocation. drop: the survivors are
 * copied into a block of their own (1 allocation) and the big block is freed whole
 * (1 free): glibc mmap'd it, so its pages go straight back to the kernel. */
#include "memstats.h"

#include <stdlib.h>
#include <string.h>

int light_build(struct light_store *s, uint64_t n)
{
    struct record *rec = malloc(n * sizeof *rec);
    uint64_t i;

    if (rec == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        memstats_record_fill(&rec[i], i);
    }
    s->rec = rec;
    s->n = n;
    return 0;
}

int light_drop(struct light_store *s)
{
    uint64_t k = 0;
    struct record *kept = malloc(memstats_kept(s->n) * sizeof *kept);

    if (kept == NULL && s->n > 0)
        return -1;
    for (uint64_t i = 0; i < s->n; i++) {
        if (i % KEEP_EVERY == 0)
            memcpy(&kept[k++], &s->rec[i], sizeof *kept);
    }
    free(s->rec); /* every dropped record at once */
    s->rec = kept;
    s->n = k;
    return 0;
}

void light_free(struct light_store *s)
{
    free(s->rec);
    s->rec = NULL;
    s->n = 0;
}
