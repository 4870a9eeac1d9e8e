/* exercise.h: lesson 03, predict: what a benchmark reports. For each operation of ops.c,
 * exercise.c says the allocs/op and B/op that `go test -benchmem` (and make bench-NN)
 * would print for it: one warm-up call, then PER_OP_RUNS calls, and the totals divided
 * by the runs in integers, as Go divides them. test_exercise.c measures each the same way. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include "predict.h"

#define PER_OP_RUNS 100 /* b.N of the measured run */

/* Your answers, in exercise.c: {allocs/op, B/op}. */
extern const struct prediction op_copy_name, op_format_on_stack, op_lazy_table,
    op_flush_every_fourth, op_record_with_name;

/* The operations (ops.c). Each is one benchmark iteration. */
void copy_name(void);
void format_on_stack(void);
void lazy_table(void);
void flush_every_fourth(void);
void record_with_name(void);

/* Free what lazy_table and flush_every_fourth keep between calls. */
void ops_release(void);

#endif
