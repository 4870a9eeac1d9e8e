/* Predict allocs/op and B/op as a benchmark reports them: warm-up, integer division.
 *
 * Read ops.c. For each operation, replace PREDICT_UNKNOWN with {allocs/op, B/op} as a
 * benchmark reports them: after one warm-up call, 100 calls, and the totals divided by
 * 100 in integers (Go's testing.AllocsPerRun and -benchmem divide the same way). Two of
 * the five are traps that interviewers like. */
#include "exercise.h"

const struct prediction op_copy_name = PREDICT_UNKNOWN;          /* strdup + free */
const struct prediction op_format_on_stack = PREDICT_UNKNOWN;    /* snprintf to the stack */
const struct prediction op_lazy_table = PREDICT_UNKNOWN;         /* built on first use */
const struct prediction op_flush_every_fourth = PREDICT_UNKNOWN; /* a batch of four */
const struct prediction op_record_with_name = PREDICT_UNKNOWN;   /* calloc + strdup */
