/* measure.c: the one sequence every measurement makes (see countalloc.h). The peak is
 * reset after the first read, so that it is the interval's own high point and not one an
 * earlier job left behind. */
#include "countalloc.h"

void countalloc_measure_begin(struct countalloc_stats *start)
{
    countalloc_read(start);
    countalloc_peak_reset();
}

struct countalloc_stats countalloc_measure_end(const struct countalloc_stats *start)
{
    struct countalloc_stats end;

    countalloc_read(&end);
    return countalloc_diff(&end, start);
}
