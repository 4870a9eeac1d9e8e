/* hidden.h: allocations that libc makes for you. Each probe makes one libc call the way
 * a program would, measures that call alone with the counting allocator, and cleans up
 * after itself (what the call leaves live is reported, then freed). Probes own nothing
 * after they return. Out of memory: a probe returns -1, having freed what it took. */
#ifndef HIDDEN_H
#define HIDDEN_H

#include <stdio.h>

#include "countalloc.h"

struct hidden_probe {
    const char *call;  /* the C call, as a program writes it */
    const char *note;  /* what allocates, and the Go or Python line it stands for */
    int (*run)(struct countalloc_stats *d); /* the call's deltas into *d; 0 or -1 */
};

/* The probes, in the order of the README's table. */
extern const struct hidden_probe hidden_probes[];
extern const size_t hidden_nprobes;

/* The heading of the table hidden_print_row fills. */
void hidden_print_head(FILE *out);

/* One row: the call, its allocations, frees, bytes, what it left live, and the note. */
void hidden_print_row(FILE *out, const char *call, const struct countalloc_stats *d,
                      const char *note);

#endif
