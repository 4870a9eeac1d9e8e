/* sweep.c: the OOM sweep (sweep.h), built on countalloc's fault countdown. */
#include "sweep.h"

#include <stdio.h>
#include <stdlib.h>

#include "countalloc.h"

void sweep_run(int (*fn)(void *ctx), void *ctx, unsigned max_points, struct sweep_result *out)
{
    *out = (struct sweep_result){0};
    if (max_points == 0)
        max_points = 100000;

    for (unsigned k = 1; k <= max_points + 1; k++) {
        struct countalloc_stats before, after;
        uint64_t faults;
        int rc;

        countalloc_read(&before);
        if (k <= max_points)
            countalloc_fail_at(k, false);
        rc = fn(ctx);
        faults = countalloc_fail_off();
        countalloc_read(&after);

        bool leaked = after.heap_alloc != before.heap_alloc ||
                      after.heap_objects != before.heap_objects;
        if (leaked && out->leaks++ == 0) {
            out->first_leak = k;
            out->leaked_bytes = after.heap_alloc - before.heap_alloc;
            out->leaked_objects = after.heap_objects - before.heap_objects;
        }
        if (faults == 0) {
            out->completed = rc == 0 && !leaked;
            return;
        }
        out->points++;
        if (rc == 0 && out->unreported++ == 0)
            out->first_unreported = k;
    }
}

void sweep_log(const char *name, const struct sweep_result *r, bool absorbs)
{
    const char *path = getenv("SWEEP_LOG");
    unsigned absorbed = absorbs ? r->unreported : 0;
    FILE *f;

    if (path == NULL || (f = fopen(path, "a")) == NULL)
        return;
    fprintf(f, "sweep %s points=%u leaks=%u unreported=%u absorbed=%u\n", name, r->points,
            r->leaks, r->unreported - absorbed, absorbed);
    fclose(f);
}
