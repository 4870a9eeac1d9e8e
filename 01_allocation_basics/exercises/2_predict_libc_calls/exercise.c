/* Predict how many allocations and bytes each libc call makes: strdup, malloc(0),
 * calloc, fopen, getline, realloc, strndup.
 *
 * Read snippets.c. For each snippet, replace PREDICT_UNKNOWN with {allocations, bytes}:
 * how many allocation calls it makes, and how many bytes they ask for in all. Decide
 * before you measure: "how many allocations does this line make?" is an interview question.
 * The lesson's README (the table of libc's hidden allocations) has what you need. */
#include "exercise.h"

const struct prediction strdup_word = PREDICT_UNKNOWN;     /* strdup("interview") */
const struct prediction malloc_zero = PREDICT_UNKNOWN;     /* malloc(0) */
const struct prediction calloc_ten = PREDICT_UNKNOWN;      /* calloc(10, sizeof(int64_t)) */
const struct prediction format_on_stack = PREDICT_UNKNOWN; /* free(NULL); snprintf(buf, ...) */
const struct prediction fopen_fclose = PREDICT_UNKNOWN;    /* fopen, then fclose */
const struct prediction getline_kept = PREDICT_UNKNOWN;    /* 3 lines, one buffer */
const struct prediction getline_freed = PREDICT_UNKNOWN;   /* 3 lines, freed after each */
const struct prediction malloc_realloc = PREDICT_UNKNOWN;  /* malloc(100), realloc to 200 */
const struct prediction strndup_prefix = PREDICT_UNKNOWN;  /* strndup("hello, world", 5) */
