/* ops.c: five operations, each what one iteration of a benchmark calls. Predict, in
 * exercise.c, the allocs/op and B/op a benchmark of each reports: one warm-up call,
 * then 100 calls, totals divided by 100 in integers. */
#include "exercise.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile uintptr_t sink; /* results go here, so the calls are kept */

/* A copy of a name, used, dropped. */
void copy_name(void)
{
    char *s = strdup("benchmark");

    sink = (uintptr_t)s;
    free(s);
}

/* Formatting into a buffer on the stack. */
void format_on_stack(void)
{
    char buf[64];

    snprintf(buf, sizeof buf, "%s-%d", "op", 42);
    sink = (uintptr_t)buf[3];
}

/* A lookup table of 256 entries, built on the first call and kept. */
static uint8_t *table;

void lazy_table(void)
{
    if (table == NULL) {
        table = malloc(256);
        if (table == NULL)
            return;
        for (int i = 0; i < 256; i++)
            table[i] = (uint8_t)(i * 31);
    }
    sink = table[sink & 0xff];
}

/* Items are collected four at a time; every fourth call hands a full batch of 64 bytes
 * to a consumer (here: freed right away) and starts a new one. */
static char *batch;
static unsigned batch_len;

void flush_every_fourth(void)
{
    if (batch == NULL) {
        batch = malloc(64);
        if (batch == NULL)
            return;
        batch_len = 0;
    }
    memset(batch + 16 * batch_len, 'x', 16);
    if (++batch_len == 4) {
        sink = (uintptr_t)batch[0];
        free(batch);
        batch = NULL;
    }
}

/* A record of 16 bytes with its own copy of a name. */
struct rec {
    char *name;
    long id;
};

void record_with_name(void)
{
    struct rec *r = calloc(1, sizeof *r);

    if (r == NULL)
        return;
    r->name = strdup("ada");
    sink = (uintptr_t)r->name;
    free(r->name);
    free(r);
}

void ops_release(void)
{
    free(table);
    table = NULL;
    free(batch);
    batch = NULL;
}
