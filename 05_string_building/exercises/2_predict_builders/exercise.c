/* Predict a string builder's allocations: growth, reserve, s = s + part, reuse after
 * reset, printf, copy or detach.
 *
 * Read snippets.c and the top of the lesson's sb.h (how the builder grows). For each
 * snippet, replace PREDICT_UNKNOWN with {allocations, bytes}. A realloc counts as one
 * allocation of its new size. Work the capacities out on paper before you measure. */
#include "exercise.h"

const struct prediction sb_ten_appends = PREDICT_UNKNOWN; /* 10 x 10 bytes, new builder */
const struct prediction sb_reserved = PREDICT_UNKNOWN;    /* sb_reserve(100) first */
const struct prediction naive_concat = PREDICT_UNKNOWN;   /* s = s + part, 10 times */
const struct prediction sb_reused = PREDICT_UNKNOWN;      /* after sb_reset */
const struct prediction sb_printf_once = PREDICT_UNKNOWN; /* one sb_printf */
const struct prediction copy_then_free = PREDICT_UNKNOWN; /* strdup the result, sb_free */
const struct prediction detach = PREDICT_UNKNOWN;         /* sb_detach the result */
