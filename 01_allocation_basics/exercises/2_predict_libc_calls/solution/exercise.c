/* exercise.c: the predictions, with the reason for each. The FILE and getline figures are
 * glibc's on x86-64, 2.36 (Debian 12) and 2.41 (Debian 13) alike; the tests measure them. */
#include "exercise.h"

const struct prediction strdup_word = {1, 10};     /* 9 letters and the NUL */
const struct prediction malloc_zero = {1, 0};      /* still a call, and a block to free */
const struct prediction calloc_ten = {1, 80};      /* 10 * 8 bytes, zeroed */
const struct prediction format_on_stack = {0, 0};  /* free(NULL) is nothing; buf is on the stack */
const struct prediction fopen_fclose = {1, 472};   /* the FILE; no read, so no stream buffer */
const struct prediction getline_kept = {1, 120};   /* one 120-byte buffer holds every line */
const struct prediction getline_freed = {4, 480};  /* one per line, and one more for EOF */
const struct prediction malloc_realloc = {2, 300}; /* realloc is an allocation of 200 */
const struct prediction strndup_prefix = {1, 6};   /* "hello" and the NUL */
