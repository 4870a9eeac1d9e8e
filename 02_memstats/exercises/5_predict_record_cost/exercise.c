/* Predict what one record costs: the sizeof of three structs, the chunk glibc's malloc
 * takes for one of each, and N records as one array or one malloc each.
 *
 * Read exercise.h (the structs) and snippets.c (the N records). Replace each UNKNOWN
 * with a number of bytes, and each PREDICT_UNKNOWN with {allocations, bytes}. Work it out
 * on paper first: where each field must start, where the struct must end, and what
 * glibc adds to every block. */
#include "exercise.h"

const long long loose_size = UNKNOWN; /* sizeof(struct loose) */
const long long tight_size = UNKNOWN; /* sizeof(struct tight) */
const long long tiny_size = UNKNOWN;  /* sizeof(struct tiny) */

const long long loose_chunk = UNKNOWN; /* glibc's chunk for malloc(sizeof(struct loose)) */
const long long tight_chunk = UNKNOWN; /* ... for malloc(sizeof(struct tight)) */
const long long tiny_chunk = UNKNOWN;  /* ... for malloc(sizeof(struct tiny)) */

const struct prediction tight_array = PREDICT_UNKNOWN; /* N_RECORDS in one array */
const struct prediction tight_each = PREDICT_UNKNOWN;  /* N_RECORDS, one malloc each */
