/* exercise.c: the predictions, {allocs/op, B/op}. */
#include "exercise.h"

const struct prediction op_copy_name = {1, 10};         /* "benchmark" and its NUL */
const struct prediction op_format_on_stack = {0, 0};    /* nothing on the heap */
const struct prediction op_lazy_table = {0, 0};         /* the warm-up call built it */
const struct prediction op_flush_every_fourth = {0, 16}; /* 25 allocs / 100 = 0, but
                                                            25 * 64 B / 100 = 16 B/op */
const struct prediction op_record_with_name = {2, 20};  /* 16-byte record, "ada" */
