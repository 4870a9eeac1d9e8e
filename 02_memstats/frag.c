/* frag.c: see frag.h. mixed and arena differ only in where the scratch comes from. */
#include "frag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

/* "Parse" record i: its text in the scratch buffer, its entry from that text. */
static void parse(char *scratch, struct frag_entry *e, uint64_t i)
{
    int len = snprintf(scratch, FRAG_SCRATCH, "record %llu:", (unsigned long long)i);

    memset(scratch + len, 'a' + (int)(i % 26), FRAG_SCRATCH - (size_t)len);
    e->id = i;
    memcpy(e->key, scratch, sizeof e->key);
}

static void free_entries(struct frag_entry **entry, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        free(entry[i]);
    free(entry);
}

int frag_mixed_load(struct frag_mixed *s, uint64_t n)
{
    struct frag_entry **entry = malloc(n * sizeof *entry);
    char **scratch = malloc(n * sizeof *scratch);
    uint64_t i;

    if (entry == NULL || scratch == NULL)
        goto out_free;
    for (i = 0; i < n; i++) {
        scratch[i] = malloc(FRAG_SCRATCH);
        if (scratch[i] == NULL)
            goto out_unwind;
        entry[i] = malloc(sizeof *entry[i]); /* right after its scratch, in the heap */
        if (entry[i] == NULL) {
            free(scratch[i]);
            goto out_unwind;
        }
        parse(scratch[i], entry[i], i);
    }
    *s = (struct frag_mixed){.entry = entry, .scratch = scratch, .n = n};
    return 0;
out_unwind:
    while (i-- > 0) {
        free(scratch[i]);
        free(entry[i]);
    }
out_free:
    free(entry);
    free(scratch);
    *s = (struct frag_mixed){0};
    return -1;
}

int frag_arena_load(struct frag_arena *s, uint64_t n, size_t chunk)
{
    struct frag_entry **entry = malloc(n * sizeof *entry);
    uint64_t i;

    *s = (struct frag_arena){0};
    arena_init(&s->scratch, chunk != 0 ? chunk : FRAG_ARENA_CHUNK);
    if (entry == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        char *scratch = arena_alloc(&s->scratch, FRAG_SCRATCH);
        if (scratch == NULL)
            goto out_unwind;
        entry[i] = malloc(sizeof *entry[i]); /* the scratch is elsewhere: entries pack */
        if (entry[i] == NULL)
            goto out_unwind;
        parse(scratch, entry[i], i);
    }
    s->entry = entry;
    s->n = n;
    return 0;
out_unwind:
    free_entries(entry, i);
    arena_destroy(&s->scratch);
    return -1;
}

void frag_mixed_done(struct frag_mixed *s)
{
    if (s->scratch == NULL)
        return;
    for (uint64_t i = 0; i < s->n; i++)
        free(s->scratch[i]); /* a hole between two entries */
    free(s->scratch);
    s->scratch = NULL;
}

void frag_arena_done(struct frag_arena *s)
{
    arena_destroy(&s->scratch); /* every scratch buffer at once, its chunks unmapped */
}

void frag_mixed_free(struct frag_mixed *s)
{
    frag_mixed_done(s);
    if (s->entry != NULL)
        free_entries(s->entry, s->n);
    *s = (struct frag_mixed){0};
}

void frag_arena_free(struct frag_arena *s)
{
    frag_arena_done(s);
    if (s->entry != NULL)
        free_entries(s->entry, s->n);
    *s = (struct frag_arena){0};
}

uint64_t frag_digest(struct frag_entry *const *entry, uint64_t n)
{
    uint64_t h = HASH_FNV_START;

    for (uint64_t i = 0; i < n; i++)
        h = hash_fnv(h, entry[i], sizeof *entry[i]);
    return h;
}
