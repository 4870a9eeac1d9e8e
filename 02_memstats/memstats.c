/* memstats.c: what heavy.c and light.c share: a record's contents. */
#include "memstats.h"

#include <stdio.h>
#include <string.h>

void memstats_record_fill(struct record *r, uint64_t i)
{
    r->id = (uint32_t)i;
    memset(r->text, 0, sizeof r->text);
    snprintf(r->text, sizeof r->text, "record %llu", (unsigned long long)i);
}

uint64_t memstats_kept(uint64_t n)
{
    return (n + KEEP_EVERY - 1) / KEEP_EVERY;
}
