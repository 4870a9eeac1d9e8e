/* exercise.c: the predictions. */
#include "exercise.h"

const struct prediction sb_ten_appends = {2, 192}; /* 64, then 128 at the 7th append */
const struct prediction sb_reserved = {1, 101};    /* exactly 100 + the terminator */
const struct prediction naive_concat = {10, 560};  /* 11 + 21 + ... + 101 */
const struct prediction sb_reused = {0, 0};        /* sb_reset kept the 128 bytes */
const struct prediction sb_printf_once = {1, 64};  /* 10 bytes needed, SB_MIN_CAP given */
const struct prediction copy_then_free = {2, 80};  /* 64 for the builder, 16 for the copy */
const struct prediction detach = {1, 64};          /* the builder's buffer changes hands */
