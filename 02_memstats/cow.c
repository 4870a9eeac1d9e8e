/* cow.c: see cow.h. */
#include "cow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "child.h"
#include "countalloc.h"
#include "procfs.h"

unsigned char cow_fill_byte(size_t i)
{
    return (unsigned char)(i % 251 + 1);
}

int cow_buf_new(struct cow_buf *b, size_t len)
{
    *b = (struct cow_buf){0};
    if ((b->p = malloc(len)) == NULL)
        return -1;
    b->len = len;
    for (size_t i = 0; i < len; i++)
        b->p[i] = cow_fill_byte(i);
    return 0;
}

void cow_buf_free(struct cow_buf *b)
{
    free(b->p);
    *b = (struct cow_buf){0};
}

int cow_buf_intact(const struct cow_buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        if (b->p[i] != cow_fill_byte(i))
            return 0;
    return 1;
}

uint64_t cow_sum(const unsigned char *p, size_t len)
{
    uint64_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum += p[i];
    return sum;
}

static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

size_t cow_pages_spanned(const void *p, size_t len)
{
    uintptr_t first = (uintptr_t)p / page_size(), last;

    if (len == 0)
        return 0;
    last = ((uintptr_t)p + len - 1) / page_size();
    return (size_t)(last - first + 1);
}

size_t cow_write_pages(unsigned char *p, size_t len)
{
    size_t page = page_size(), pages = 0, i = 0;

    while (i < len) {
        p[i] ^= 0xff; /* the first write to a shared page copies it */
        pages++;
        i += page - ((uintptr_t)(p + i) % page); /* the start of the next page */
    }
    return pages;
}

int cow_small_allocs(void)
{
    void *block[COW_SMALL_ALLOCS];
    int rc = 0, n;

    for (n = 0; n < COW_SMALL_ALLOCS; n++) {
        if ((block[n] = malloc(COW_SMALL_SIZE)) == NULL) {
            rc = -1;
            break;
        }
        memset(block[n], n + 1, COW_SMALL_SIZE);
    }
    while (n > 0)
        free(block[--n]);
    return rc;
}

/* The figures of smaps_rollup, or of one mapping's block of smaps: the first line is
 * the address range, so every key follows a newline. */
static void mem_of(const char *text, struct cow_mem *m)
{
    *m = (struct cow_mem){
        .rss = procfs_kib(text, "\nRss:"),
        .pss = procfs_kib(text, "\nPss:"),
        .private_dirty = procfs_kib(text, "\nPrivate_Dirty:"),
    };
}

int cow_mem_read(const char *path, struct cow_mem *m)
{
    char text[4096];

    if (procfs_read(path, text, sizeof text) != 0)
        return -1;
    mem_of(text, m);
    return 0;
}

int cow_mem_read_mapping(const char *path, const void *addr, struct cow_mem *m)
{
    char text[4096];

    if (procfs_mapping(path, addr, text, sizeof text) != 0)
        return -1;
    mem_of(text, m);
    return 0;
}

/* What the child needs: the buffer (its copy of the parent's pointer), where to read
 * the parent's figures, and the report it fills and sends back. */
struct cow_job {
    struct cow_buf b;
    char parent_rollup[64];
    char parent_smaps[64];
    struct cow_report r;
};

static int sample(struct cow_job *j, struct cow_sample *s)
{
    struct rusage ru;

    if (getrusage(RUSAGE_SELF, &ru) != 0 ||
        cow_mem_read("/proc/self/smaps_rollup", &s->child) != 0 ||
        cow_mem_read(j->parent_rollup, &s->parent) != 0 ||
        cow_mem_read_mapping("/proc/self/smaps", j->b.p, &s->child_buf) != 0 ||
        cow_mem_read_mapping(j->parent_smaps, j->b.p, &s->parent_buf) != 0)
        return -1;
    s->minflt = (uint64_t)ru.ru_minflt;
    return 0;
}

/* The child's side: each step, then a sample. Returns 0 whenever the report is worth
 * sending, with r.error set if a step failed (a failed child's bytes never come back). */
static int child_steps(void *ctx)
{
    struct cow_job *j = ctx;
    struct countalloc_stats start, d;
    struct cow_sample warm;

    if (sample(j, &warm) != 0 || sample(j, &j->r.at[COW_FORKED]) != 0)
        goto failed;
    j->r.sum_read = cow_sum(j->b.p, j->b.len);
    if (sample(j, &j->r.at[COW_READ]) != 0)
        goto failed;
    j->r.pages = cow_write_pages(j->b.p, j->b.len);
    j->r.sum_written = cow_sum(j->b.p, j->b.len); /* the child's copies, read back */
    if (sample(j, &j->r.at[COW_WRITE]) != 0)
        goto failed;
    countalloc_measure_begin(&start);
    if (cow_small_allocs() != 0)
        goto failed;
    d = countalloc_measure_end(&start);
    j->r.small_mallocs = d.mallocs;
    j->r.small_frees = d.frees;
    j->r.small_bytes = d.total_alloc;
    if (sample(j, &j->r.at[COW_SMALL]) != 0)
        goto failed;
    return 0;
failed:
    j->r.error = errno != 0 ? errno : EIO;
    return 0;
}

int cow_fork_measure(const struct cow_buf *b, struct cow_report *r)
{
    struct cow_job j = {.b = *b};

    snprintf(j.parent_rollup, sizeof j.parent_rollup, "/proc/%ld/smaps_rollup", (long)getpid());
    snprintf(j.parent_smaps, sizeof j.parent_smaps, "/proc/%ld/smaps", (long)getpid());
    if (cow_mem_read("/proc/self/smaps_rollup", &j.r.parent_before) != 0 ||
        cow_mem_read_mapping("/proc/self/smaps", b->p, &j.r.parent_buf_before) != 0)
        return -1;
    j.r.parent_sum_before = cow_sum(b->p, b->len);
    if (child_run(child_steps, &j, sizeof j) != 0)
        return -1;
    if (j.r.error != 0) {
        errno = j.r.error;
        return -1;
    }
    if (cow_mem_read("/proc/self/smaps_rollup", &j.r.parent_after) != 0 ||
        cow_mem_read_mapping("/proc/self/smaps", b->p, &j.r.parent_buf_after) != 0)
        return -1;
    j.r.parent_sum_after = cow_sum(b->p, b->len);
    j.r.parent_intact = cow_buf_intact(b);
    *r = j.r;
    return 0;
}
