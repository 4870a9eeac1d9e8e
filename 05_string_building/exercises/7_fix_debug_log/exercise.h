/* exercise.h: lesson 05, fix: an order handler whose debug line is made on every order,
 * debug on or off. The line is "handling " and logline_describe(o)'s text, at
 * LOGLINE_DEBUG, through the lesson's logger (logline.h); the order is then counted in the
 * caller's totals. Out of memory (describe's string) or a sink that cannot be written:
 * handle_order returns -1, writes nothing more, and leaves the totals and the order as
 * they were, nothing allocated.
 *
 * The budget, per order: debug off, no allocation and no call of logline_describe; debug
 * on, one call of logline_describe, its string (logline_describe_len(o) + 1 bytes) freed
 * before the call returns, and nothing else: the line goes straight into the sink's
 * stream (logline_printf), whose buffer is the caller's business. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stdint.h>

#include "logline.h"

struct order_totals {
    uint64_t orders; /* orders handled */
    uint64_t items;  /* their items, summed */
};

/* Log o's debug line to lg, then add o to *t. 0; or -1 with errno: ENOMEM (the line could
 * not be made) or the sink's error (it could not be written), *t as it was. */
int handle_order(struct logline *lg, const struct logline_obj *o, struct order_totals *t);

#endif
