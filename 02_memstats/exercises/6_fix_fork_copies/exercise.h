/* exercise.h: lesson 02, fix: a table a forking server builds once, before it forks its
 * workers; each worker only looks records up, and counts the lookups of each key. See
 * "Fork and copy-on-write" in the lesson's README: after fork a worker shares every page
 * with its parent, and the first write to a page copies it into the worker.
 *
 * The goal: a worker that looks up every key once copies at most the pages of the hit
 * counters (4 bytes a record) and TABLE_SLACK_PAGES more, not the records themselves
 * (TABLE_RECORD bytes each). table_new makes exactly TABLE_ALLOCS allocations: the
 * table, its records, its hit counters; table_free frees them. Out of memory: table_new
 * returns NULL with nothing left allocated. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>
#include <stdint.h>

#define TABLE_RECORD 64       /* bytes of one record: the name a lookup returns, and the rest */
#define TABLE_ALLOCS 3        /* table_new's allocations */
#define TABLE_SLACK_PAGES 64  /* what else a worker may copy: its stack, the allocator's state */

struct table;

/* A table of n records, record k named "record K"; every hit count 0. NULL when out of
 * memory or n is 0. */
struct table *table_new(size_t n);
void table_free(struct table *t); /* NULL does nothing */

/* The name of record key (key < n), and one more hit for it. */
const char *table_lookup(struct table *t, size_t key);

/* How many times table_lookup was called for key, in this process. */
uint32_t table_hits(const struct table *t, size_t key);

#endif
