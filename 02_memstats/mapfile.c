/* mapfile.c: reading a whole file into the heap, through mmap, or a buffer at a time
 * (mapfile.h). */
#include "mapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "procfs.h"

void mapfile_sum_init(struct mapfile_sum *s)
{
    s->bytes = 0;
    s->lines = 0;
    s->digest = HASH_FNV_START;
}

void mapfile_fold(struct mapfile_sum *s, const void *p, size_t n)
{
    const unsigned char *c = p, *end = c + n;

    s->bytes += n;
    s->digest = hash_fnv(s->digest, p, n);
    while (c < end && (c = memchr(c, '\n', (size_t)(end - c))) != NULL) {
        s->lines++;
        c++;
    }
}

/* Open path read-only and take its size: 0 with *fd open, or -1 with errno, none open. */
static int open_sized(const char *path, int *fd, size_t *len)
{
    struct stat st;
    int err;

    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return -1;
    if (fstat(*fd, &st) != 0)
        goto fail;
    if ((uint64_t)st.st_size > SIZE_MAX / 2) {
        errno = EFBIG;
        goto fail;
    }
    *len = (size_t)st.st_size;
    return 0;
fail:
    err = errno;
    close(*fd);
    errno = err;
    return -1;
}

/* ---- (a) ---- */

int mapfile_whole_read(const char *path, struct mapfile_whole *w)
{
    unsigned char *p = NULL;
    size_t len, got = 0;
    unsigned reads = 0;
    int fd, err;

    if (open_sized(path, &fd, &len) != 0)
        return -1;
    if (len > 0 && (p = malloc(len)) == NULL)
        goto fail;
    while (got < len) {
        ssize_t n = read(fd, p + got, len - got);

        reads++;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto fail;
        if (n == 0) /* the file shrank since fstat */
            break;
        got += (size_t)n;
    }
    close(fd);
    w->p = p;
    w->len = got;
    w->reads = reads;
    return 0;
fail:
    err = errno;
    free(p);
    close(fd);
    errno = err;
    return -1;
}

void mapfile_whole_free(struct mapfile_whole *w)
{
    free(w->p);
    w->p = NULL;
    w->len = 0;
}

/* ---- (b) ---- */

int mapfile_map_open(const char *path, struct mapfile_map *m)
{
    void *p = NULL;
    size_t len;
    int fd, err;

    if (open_sized(path, &fd, &len) != 0)
        return -1;
    if (len > 0) {
        p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            err = errno;
            close(fd);
            errno = err;
            return -1;
        }
    }
    close(fd);
    m->p = p;
    m->len = len;
    return 0;
}

void mapfile_map_close(struct mapfile_map *m)
{
    if (m->p != NULL)
        munmap((void *)m->p, m->len);
    m->p = NULL;
    m->len = 0;
}

/* ---- (c) ---- */

int mapfile_reader_open(const char *path, size_t size, struct mapfile_reader *r)
{
    int fd, err;

    if (size == 0) {
        errno = EINVAL;
        return -1;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    r->buf = malloc(size);
    if (r->buf == NULL) {
        err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    r->fd = fd;
    r->size = size;
    r->reads = 0;
    return 0;
}

ssize_t mapfile_reader_next(struct mapfile_reader *r, const unsigned char **p)
{
    ssize_t n;

    do {
        r->reads++;
        n = read(r->fd, r->buf, r->size);
    } while (n < 0 && errno == EINTR);
    *p = r->buf;
    return n;
}

void mapfile_reader_close(struct mapfile_reader *r)
{
    if (r->buf == NULL)
        return;
    free(r->buf);
    close(r->fd);
    r->buf = NULL;
    r->fd = -1;
}

/* ---- the job each way ---- */

const char *mapfile_way_name(enum mapfile_way way)
{
    static const char *const name[MAPFILE_WAYS] = {
        [MAPFILE_WHOLE] = "(a) read whole", [MAPFILE_MAP] = "(b) mmap",
        [MAPFILE_STREAM] = "(c) a buffer at a time",
    };

    return (unsigned)way < MAPFILE_WAYS ? name[way] : "?";
}

/* What a way holds while it works, for mapfile_measure: one of the three handles. */
struct held {
    enum mapfile_way way;
    struct mapfile_whole w;
    struct mapfile_map m;
    struct mapfile_reader r;
};

/* Open the file one way and do the job; on success the handle stays open in h. */
static int job(struct held *h, const char *path, size_t bufsize, struct mapfile_sum *s)
{
    const unsigned char *p;
    ssize_t n;

    mapfile_sum_init(s);
    switch (h->way) {
    case MAPFILE_WHOLE:
        if (mapfile_whole_read(path, &h->w) != 0)
            return -1;
        mapfile_fold(s, h->w.p, h->w.len);
        return 0;
    case MAPFILE_MAP:
        if (mapfile_map_open(path, &h->m) != 0)
            return -1;
        mapfile_fold(s, h->m.p, h->m.len);
        return 0;
    case MAPFILE_STREAM:
        if (mapfile_reader_open(path, bufsize, &h->r) != 0)
            return -1;
        while ((n = mapfile_reader_next(&h->r, &p)) > 0)
            mapfile_fold(s, p, (size_t)n);
        if (n == 0)
            return 0;
        {
            int err = errno;

            mapfile_reader_close(&h->r);
            errno = err;
        }
        return -1;
    default:
        errno = EINVAL;
        return -1;
    }
}

static void release(struct held *h)
{
    switch (h->way) {
    case MAPFILE_WHOLE:
        mapfile_whole_free(&h->w);
        break;
    case MAPFILE_MAP:
        mapfile_map_close(&h->m);
        break;
    default:
        mapfile_reader_close(&h->r);
        break;
    }
}

int mapfile_sum_file(enum mapfile_way way, const char *path, size_t bufsize,
                     struct mapfile_sum *s)
{
    struct held h = {.way = way};

    if (job(&h, path, bufsize, s) != 0)
        return -1;
    release(&h);
    return 0;
}

/* madvise(MADV_PAGEOUT) of the whole pages inside p[0..len): what the kernel may reclaim. */
static void page_out(const void *p, size_t len)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1), b = ((uintptr_t)p + len) & ~(page - 1);

    if (p != NULL && b > a)
        madvise((void *)a, b - a, MADV_PAGEOUT); /* advice: what it did is measured */
}

int mapfile_mem_read(struct mapfile_mem *m)
{
    char text[4096];
    struct rusage ru;

    if (procfs_read("/proc/self/status", text, sizeof text) != 0 ||
        getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    m->anon = procfs_kib(text, "\nRssAnon:");
    m->file = procfs_kib(text, "\nRssFile:");
    m->shmem = procfs_kib(text, "\nRssShmem:");
    m->minflt = (uint64_t)ru.ru_minflt;
    m->majflt = (uint64_t)ru.ru_majflt;
    return 0;
}

int mapfile_measure(enum mapfile_way way, const char *path, size_t bufsize, bool pageout,
                    struct mapfile_cost *c)
{
    struct held h = {.way = way};
    struct countalloc_stats start;
    int rc;

    /* The counters first: their first reset writes the counting allocator's slots, pages
     * of its own. Then one sample thrown away: the pages the sampling itself touches are
     * resident before the one that counts. */
    countalloc_measure_begin(&start);
    if (mapfile_mem_read(&c->start) != 0 || mapfile_mem_read(&c->start) != 0)
        return -1;
    if (job(&h, path, bufsize, &c->sum) != 0) {
        c->heap = countalloc_measure_end(&start);
        return -1;
    }
    rc = mapfile_mem_read(&c->held);
    if (pageout) {
        if (way == MAPFILE_WHOLE)
            page_out(h.w.p, h.w.len);
        else if (way == MAPFILE_MAP)
            page_out(h.m.p, h.m.len);
        else
            page_out(h.r.buf, h.r.size);
    }
    rc |= mapfile_mem_read(&c->paged);
    c->reads = way == MAPFILE_WHOLE ? h.w.reads : way == MAPFILE_STREAM ? h.r.reads : 0;
    release(&h);
    c->heap = countalloc_measure_end(&start);
    return rc | mapfile_mem_read(&c->left);
}

/* ---- the input ---- */

/* Line i of the input: its number and a run of letters, 12 to 72 bytes with the '\n'. */
static size_t make_line(uint64_t i, char *buf, size_t size)
{
    static const char letters[] = "the quick brown fox jumps over the lazy dog, and back again: ";
    int n = snprintf(buf, size, "%08llu ", (unsigned long long)i);
    size_t run = (size_t)(i * 7 % 61);

    if (n < 0 || (size_t)n + run + 1 > size)
        return 0;
    memcpy(buf + n, letters, run);
    buf[(size_t)n + run] = '\n';
    return (size_t)n + run + 1;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

const char *mapfile_dir(void)
{
    const char *dir = getenv("TMPDIR");

    return dir != NULL && dir[0] != '\0' ? dir : "/var/tmp";
}

int mapfile_make(const char *dir, uint64_t len, char *path, size_t size)
{
    char buf[4096], line[96];
    size_t used = 0;
    uint64_t i = 0, left = len;
    int fd, n, err;

    n = snprintf(path, size, "%s/mapfile-XXXXXX", dir);
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = mkstemp(path);
    if (fd < 0)
        return -1;
    while (left > 0) {
        size_t k = make_line(i++, line, sizeof line);

        if (k > left) /* the last line is cut to fit: no '\n' */
            k = (size_t)left;
        if (used + k > sizeof buf) {
            if (write_all(fd, buf, used) != 0)
                goto fail;
            used = 0;
        }
        memcpy(buf + used, line, k);
        used += k;
        left -= k;
    }
    if (write_all(fd, buf, used) != 0 || fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    return 0;
fail:
    err = errno;
    if (fd >= 0)
        close(fd);
    unlink(path);
    errno = err;
    return -1;
}
