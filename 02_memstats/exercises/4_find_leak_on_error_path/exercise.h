/* exercise.h: lesson 02, find: a key=value table that leaks, once in a path every run
 * takes and once only when memory runs out. The table is a heap object the caller owns
 * from config_new to config_free; keys and values passed in stay the caller's (the table
 * keeps copies). Out of memory: config_new returns NULL, config_set and config_load
 * return -1, and the table is as it was (config_load keeps the lines before the failure). */
#ifndef EXERCISE_H
#define EXERCISE_H

struct config;

/* An empty table (one allocation), or NULL. */
struct config *config_new(void);

/* Set key to a copy of value. A new key costs three allocations (the entry, the key,
 * the value); a key already there costs one (the new value; the old one is freed). */
int config_set(struct config *c, const char *key, const char *value);

/* The value of key, or NULL. Valid until the next config_set of that key. */
const char *config_get(const struct config *c, const char *key);

/* config_set for every "key=value" line of text (lines without '=' are skipped). */
int config_load(struct config *c, const char *text);

/* Free the table and every copy it holds. NULL does nothing. */
void config_free(struct config *c);

#endif
