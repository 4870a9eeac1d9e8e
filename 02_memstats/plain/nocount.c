/* nocount.c: countalloc's interface with nothing behind it, for the plain build of main
 * (lesson.mk: $(BUILD)/02_memstats/plain/main). malloc is glibc's own there, so the run
 * costs what an uninstrumented program costs and heaptrack's preloaded malloc is the one
 * called: the baseline of the tool-cost table. Every figure reads 0. */
#include "countalloc.h"

#include <stdio.h>
#include <string.h>

void countalloc_read(struct countalloc_stats *out)
{
    memset(out, 0, sizeof *out);
}

struct countalloc_stats countalloc_diff(const struct countalloc_stats *after,
                                        const struct countalloc_stats *before)
{
    return (struct countalloc_stats){
        .mallocs = after->mallocs - before->mallocs,
        .frees = after->frees - before->frees,
        .total_alloc = after->total_alloc - before->total_alloc,
        .heap_alloc = after->heap_alloc - before->heap_alloc,
        .heap_objects = after->heap_objects - before->heap_objects,
        .peak = after->peak - before->heap_alloc,
    };
}

void countalloc_peak_reset(void) {}

void countalloc_set_hooks(const struct countalloc_hooks *hooks)
{
    (void)hooks;
}

void countalloc_fail_at(uint64_t n, bool persistent)
{
    (void)n;
    (void)persistent;
}

uint64_t countalloc_fail_off(void)
{
    return 0;
}

bool countalloc_can_inject(void)
{
    return false;
}

uint32_t *countalloc_tag(void *p)
{
    (void)p;
    return NULL;
}

char *countalloc_group(uint64_t n, char *buf, size_t size)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    size_t at = 0;

    for (int i = 0; i < len && at + 1 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0 && at + 2 < size)
            buf[at++] = ',';
        buf[at++] = digits[i];
    }
    buf[at] = '\0';
    return buf;
}
