/* gcpace.c: the collector's workload in C (gcpace.h). Every block is filled, so its pages
 * are really there: VmHWM sees them. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "countalloc.h"
#include "gcpace.h"
#include "procfs.h"

int gcpace_keep(struct gcpace *g, size_t n, size_t block)
{
    unsigned char **blocks;
    size_t i;

    if (n == 0 || block == 0 || n > SIZE_MAX / sizeof *blocks) {
        errno = EINVAL;
        return -1;
    }
    blocks = malloc(n * sizeof *blocks);
    if (blocks == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        blocks[i] = malloc(block);
        if (blocks[i] == NULL)
            goto out_free;
        memset(blocks[i], (int)(i & 0xff), block);
    }
    g->blocks = blocks;
    g->n = n;
    g->block = block;
    return 0;

out_free:
    while (i-- > 0)
        free(blocks[i]);
    free(blocks);
    errno = ENOMEM;
    return -1;
}

void gcpace_free(struct gcpace *g)
{
    if (g->blocks == NULL)
        return;
    for (size_t i = 0; i < g->n; i++)
        free(g->blocks[i]);
    free(g->blocks);
    g->blocks = NULL;
    g->n = 0;
    g->block = 0;
}

/* Free the first k blocks of wait. */
static void drop(unsigned char **wait, size_t k)
{
    for (size_t i = 0; i < k; i++)
        free(wait[i]);
}

int gcpace_churn(const struct gcpace *g, uint64_t garbage, size_t batch)
{
    unsigned char **wait = NULL; /* the blocks waiting to be freed (batch > 1) */
    size_t k = 0;

    if (batch == 0 || g->block == 0 || batch > SIZE_MAX / sizeof *wait) {
        errno = EINVAL;
        return -1;
    }
    if (batch > 1 && (wait = malloc(batch * sizeof *wait)) == NULL)
        return -1;
    for (uint64_t i = 0; i < garbage; i++) {
        unsigned char *p = malloc(g->block);

        if (p == NULL) {
            drop(wait, k);
            free(wait);
            errno = ENOMEM;
            return -1;
        }
        memset(p, (int)(i & 0xff), g->block); /* the work done with it */
        if (wait == NULL) {
            free(p); /* free: the block is gone now */
            continue;
        }
        wait[k++] = p;
        if (k == batch) { /* a collection: every waiting block at once */
            drop(wait, k);
            k = 0;
        }
    }
    drop(wait, k);
    free(wait);
    return 0;
}

uint64_t gcpace_in_flight(size_t block, size_t batch, uint64_t garbage)
{
    uint64_t waiting = garbage < batch ? garbage : batch;

    if (batch <= 1)
        return batch == 0 || garbage == 0 ? 0 : block;
    return (uint64_t)batch * sizeof(void *) + waiting * block;
}

uint64_t gcpace_live_bytes(size_t n, size_t block)
{
    return (uint64_t)n * (block + sizeof(void *));
}

/* Reset VmHWM to VmRSS (Linux 4.0 and later). 0, or -1. */
static int hwm_reset(void)
{
    int fd = open("/proc/self/clear_refs", O_WRONLY);
    int rc;

    if (fd < 0)
        return -1;
    rc = write(fd, "5", 1) == 1 ? 0 : -1;
    close(fd);
    return rc;
}

int gcpace_measure(size_t n, size_t block, uint64_t garbage, size_t batch, struct gcpace_run *r)
{
    struct gcpace g = GCPACE_INIT;
    struct countalloc_stats start, d;
    uint64_t rss;
    int rc;

    memset(r, 0, sizeof *r);
    r->hwm_reset = hwm_reset() == 0;
    rss = procfs_status_bytes("\nVmRSS:");
    countalloc_measure_begin(&start);
    rc = gcpace_keep(&g, n, block);
    if (rc == 0) {
        rc = gcpace_churn(&g, garbage, batch);
        gcpace_free(&g);
    }
    d = countalloc_measure_end(&start);
    if (rc != 0)
        return -1;
    if (r->hwm_reset) {
        uint64_t hwm = procfs_status_bytes("\nVmHWM:");

        r->hwm_growth = hwm > rss ? hwm - rss : 0;
    }
    r->peak = (uint64_t)d.peak;
    r->mallocs = d.mallocs;
    r->frees = d.frees;
    r->total_alloc = d.total_alloc;
    return 0;
}
