/* regrow.c: see regrow.h. */
#include "regrow.h"

#include <stdlib.h>
#include <string.h>

#include "procfs.h"
#include "report.h"

int regrow_realloc(void **p, size_t n)
{
    void *q = realloc(*p, n);

    if (q == NULL)
        return -1; /* *p is still the caller's, as it was */
    *p = q;
    return 0;
}

int regrow_copy(void **p, size_t old, size_t n)
{
    void *q = malloc(n);

    if (q == NULL)
        return -1;
    memcpy(q, *p, old);
    free(*p);
    *p = q;
    return 0;
}

int regrow_grow(size_t bytes, enum regrow_way way, struct regrow_step *out)
{
    size_t words = bytes / sizeof(uint64_t);
    int thp_was = procfs_thp_off(), rc;
    struct countalloc_stats start;
    uintptr_t before;
    uint64_t *w;
    void *p;

    rc = -1;
    if ((p = malloc(bytes)) == NULL)
        goto out;
    w = p;
    for (size_t i = 0; i < words; i++)
        w[i] = i;
    before = (uintptr_t)p;

    countalloc_measure_begin(&start);
    out->faults = procfs_minor_faults();
    out->ns = report_now_ns();
    rc = way == REGROW_REALLOC ? regrow_realloc(&p, 2 * bytes) : regrow_copy(&p, bytes, 2 * bytes);
    out->ns = report_now_ns() - out->ns;
    out->faults = procfs_minor_faults() - out->faults;
    out->d = countalloc_measure_end(&start);
    if (rc == 0) {
        out->moved = (uintptr_t)p != before;
        out->intact = true;
        w = p;
        for (size_t i = 0; i < words; i++)
            out->intact &= w[i] == i;
    }
    free(p); /* the grown block, or the old one when the growth failed */
out:
    procfs_thp_restore(thp_was);
    return rc;
}
