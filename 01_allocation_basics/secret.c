/* secret.c: the copies of a secret in the process's own memory, and where they come from
 * (secret.h). */
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "memdebug.h" /* MEMDEBUG_ASAN in the ASan build */
#include "platform.h"
#include "procfs.h"

#include <valgrind/valgrind.h>

/* The secret's letters: 64 of them, so each takes 6 of a random byte's bits. */
static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* /proc/self/mem is read this many bytes at a time. */
#define CHUNK ((size_t)64 * 1024)
/* /proc/self/maps must fit here: a few hundred lines natively, more in the ASan build. */
#define MAPS_MAX ((size_t)512 * 1024)

struct secret_scan {
    unsigned char masked[SECRET_LEN]; /* byte i of the secret is masked[i] ^ mask[i] */
    unsigned char mask[SECRET_LEN];
    size_t size;                      /* of the mapping */
    char maps[MAPS_MAX];
    /* what one read brings in: a chunk and, either side, the bytes a copy starting in
     * the chunk may need */
    unsigned char buf[SECRET_HALF + CHUNK + SECRET_LEN];
};

struct secret_scan *secret_scan_new(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), size = (sizeof(struct secret_scan) + page - 1) / page * page;
    unsigned char rnd[SECRET_LEN];
    struct secret_scan *s = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (s == MAP_FAILED)
        return NULL;
    s->size = size;
    /* two random draws: the mask, then the letters; masked is their XOR, and the letter
     * itself is never stored */
    if (getrandom(s->mask, SECRET_LEN, 0) != SECRET_LEN || getrandom(rnd, SECRET_LEN, 0) != SECRET_LEN) {
        int saved = errno;

        munmap(s, size);
        errno = saved;
        return NULL;
    }
    for (size_t i = 0; i < SECRET_LEN; i++)
        s->masked[i] = (unsigned char)letters[rnd[i] & 63] ^ s->mask[i];
    explicit_bzero(rnd, sizeof rnd);
    return s;
}

void secret_scan_free(struct secret_scan *s)
{
    size_t size;

    if (s == NULL)
        return;
    size = s->size;
    explicit_bzero(s, size);
    munmap(s, size);
}

void secret_put(const struct secret_scan *s, unsigned char *dst)
{
    for (size_t i = 0; i < SECRET_LEN; i++)
        dst[i] = s->masked[i] ^ s->mask[i];
}

/* Whether the n bytes at p are bytes [from, from + n) of the secret. */
static bool match(const struct secret_scan *s, const unsigned char *p, size_t from, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if ((unsigned char)(p[j] ^ s->mask[from + j]) != s->masked[from + j])
            return false;
    return true;
}

bool secret_is(const struct secret_scan *s, const unsigned char *p, size_t n)
{
    return n == SECRET_LEN && match(s, p, 0, SECRET_LEN);
}

/* n bytes of this process's memory at addr into buf: how many came (fewer at a page the
 * kernel would not copy), or -1 with errno. */
static ssize_t read_mem(int fd, unsigned char *buf, uintptr_t addr, size_t n)
{
    size_t got = 0;

    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, (off_t)(addr + got));

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && got == 0)
            return -1;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* The positions [p, p + n) of s->buf, with `before` bytes read in front of p and `avail`
 * from p on (n + SECRET_HALF at least): each where the first half starts (a whole copy
 * when the second half follows, else a first half alone), and each where the second half
 * starts with no first half in front (a last half alone). The candidates are found by
 * memchr for a half's first byte, which is all of the secret a register holds. */
static void count_halves(const struct secret_scan *s, const unsigned char *p, size_t n, size_t before,
                         size_t avail, struct secret_copies *c)
{
    const unsigned char *end = p + n, *q;

    for (q = p; q < end && (q = memchr(q, s->masked[0] ^ s->mask[0], (size_t)(end - q))) != NULL; q++) {
        if (!match(s, q, 0, SECRET_HALF))
            continue;
        if ((size_t)(q - p) + SECRET_LEN <= avail && match(s, q + SECRET_HALF, SECRET_HALF, SECRET_HALF))
            c->whole++;
        else
            c->head++;
    }
    for (q = p; q < end && (q = memchr(q, s->masked[SECRET_HALF] ^ s->mask[SECRET_HALF], (size_t)(end - q))) != NULL; q++)
        if (match(s, q, SECRET_HALF, SECRET_HALF) &&
            !((size_t)(q - p) + before >= SECRET_HALF && match(s, q - SECRET_HALF, 0, SECRET_HALF)))
            c->tail++;
}

/* The copies in [start, end), a chunk at a time: each read takes the chunk and, either
 * side, the bytes a copy that starts in it may need, so that a copy across a chunk's edge
 * is counted once, in the chunk where it starts. */
static int count_range(struct secret_scan *s, int fd, uintptr_t start, uintptr_t end, struct secret_copies *c)
{
    for (uintptr_t a = start; a < end; a += CHUNK) {
        uintptr_t b = end - a < CHUNK ? end : a + CHUNK;
        uintptr_t from = a - start < SECRET_HALF ? start : a - SECRET_HALF;
        uintptr_t to = end - b < SECRET_LEN ? end : b + SECRET_LEN;
        ssize_t got = read_mem(fd, s->buf, from, to - from);

        if (got < 0)
            return errno == EIO ? 0 : -1; /* a mapping the kernel will not copy: skipped */
        c->bytes += (size_t)(b - a);
        to = from + (uintptr_t)got;
        if (to < a + SECRET_HALF)
            continue; /* too short for a half */
        if (b > to - SECRET_HALF)
            b = to - SECRET_HALF + 1; /* the last position a half fits */
        count_halves(s, s->buf + (a - from), b - a, a - from, to - a, c);
    }
    return 0;
}

/* ASan's shadow memory on x86-64 (its low shadow, gap and high shadow, shadow offset
 * 0x7fff8000): reserved whole, holding ASan's state bytes. */
#ifdef MEMDEBUG_ASAN
#define SHADOW_START ((uintptr_t)0x00007fff8000ULL)
#define SHADOW_END ((uintptr_t)0x10007fff8000ULL)
#endif

int secret_count(struct secret_scan *s, struct secret_copies *out)
{
    uintptr_t own = (uintptr_t)s, own_end = own + s->size;
    struct secret_copies c = {0, 0, 0, 0, 0};
    int fd, rc = 0;

    *out = c;
    if (RUNNING_ON_VALGRIND)
        return 0;
    if (procfs_read("/proc/self/maps", s->maps, sizeof s->maps) != 0)
        return -1;
    if (strlen(s->maps) == sizeof s->maps - 1) {
        errno = E2BIG;
        return -1;
    }
    fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    for (char *line = s->maps; *line != '\0' && rc == 0;) {
        char *next = strchr(line, '\n');
        unsigned long long lo, hi;
        char perms[5];

        if (next != NULL)
            *next++ = '\0';
        else
            next = line + strlen(line);
        if (sscanf(line, "%llx-%llx %4s", &lo, &hi, perms) == 3 && perms[0] == 'r' && perms[1] == 'w') {
            uintptr_t start = (uintptr_t)lo, end = (uintptr_t)hi;

#ifdef MEMDEBUG_ASAN
            if (start >= SHADOW_START && end <= SHADOW_END)
                start = end;
#endif
            if (start < end)
                c.maps++;
            /* the instrument's own range cut out: what lies before it, then after it */
            if (start < own && rc == 0)
                rc = count_range(s, fd, start, end < own ? end : own, &c);
            if (end > own_end && rc == 0)
                rc = count_range(s, fd, start > own_end ? start : own_end, end, &c);
        }
        line = next;
    }
    if (rc != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    close(fd);
    *out = c;
    return 0;
}

/* ---- the cases ---- */

struct heap {
    void *(*malloc)(size_t);
    void (*free)(void *);
};

static void *counted_malloc(size_t n)
{
    return malloc(n);
}

static void counted_free(void *p)
{
    free(p);
}

static const struct heap heaps[] = {
    [SECRET_COUNTED] = {counted_malloc, counted_free},
    [SECRET_GLIBC] = {__libc_malloc, __libc_free},
};

/* A block of size bytes from h, '.' in every byte, the secret at its start. */
static unsigned char *block_with_secret(const struct secret_scan *s, const struct heap *h, size_t size)
{
    unsigned char *p = h->malloc(size);

    if (p != NULL) {
        memset(p, '.', size);
        secret_put(s, p);
    }
    return p;
}

/* The way out of a case whose count failed: p wiped and freed, errno kept. */
static int fail_wiped(const struct heap *h, void *p, size_t size)
{
    int saved = errno;

    if (p != NULL) {
        explicit_bzero(p, size);
        h->free(p);
    }
    errno = saved;
    return -1;
}

int secret_free_plain(struct secret_scan *s, enum secret_heap heap, size_t size, struct secret_case *out)
{
    const struct heap *h = &heaps[heap];
    struct countalloc_stats start;
    unsigned char *p;

    *out = (struct secret_case){0};
    countalloc_measure_begin(&start);
    if ((p = block_with_secret(s, h, size)) == NULL)
        return -1;
    if (secret_count(s, &out->live) != 0)
        return fail_wiped(h, p, size);
    h->free(p); /* the secret as it is */
    out->d = countalloc_measure_end(&start);
    return secret_count(s, &out->after);
}

void secret_bzero_free(void *p, size_t n)
{
    if (p != NULL)
        explicit_bzero(p, n);
    free(p);
}

/* memset through a pointer the compiler must load each time: it cannot know that the call
 * is memset, so it cannot delete it. */
static void *(*volatile memset_v)(void *, int, size_t) = memset;

void secret_volatile_free(void *p, size_t n)
{
    if (p != NULL)
        memset_v(p, 0, n);
    free(p);
}

int secret_wipe_free(struct secret_scan *s, void (*wipe_free)(void *p, size_t n), size_t size,
                     struct secret_case *out)
{
    struct countalloc_stats start;
    unsigned char *p;

    *out = (struct secret_case){0};
    countalloc_measure_begin(&start);
    if ((p = block_with_secret(s, &heaps[SECRET_COUNTED], size)) == NULL)
        return -1;
    if (secret_count(s, &out->live) != 0)
        return fail_wiped(&heaps[SECRET_COUNTED], p, size);
    wipe_free(p, size);
    out->d = countalloc_measure_end(&start);
    return secret_count(s, &out->after);
}

int secret_grow_by_hand(void **p, size_t old, size_t n)
{
    unsigned char *q = malloc(n);

    if (q == NULL)
        return -1; /* *p and its bytes as they were */
    if (old > 0)
        memcpy(q, *p, old);
    if (*p != NULL)
        explicit_bzero(*p, old);
    free(*p);
    *p = q;
    return 0;
}

int secret_grow(struct secret_scan *s, enum secret_grow_way way, size_t from, size_t to,
                struct secret_case *out)
{
    const struct heap *h = &heaps[SECRET_COUNTED];
    struct countalloc_stats start;
    unsigned char *p, *fence;
    void *q;
    uintptr_t was;
    int rc = 0;

    *out = (struct secret_case){0};
    if ((p = block_with_secret(s, h, from)) == NULL)
        return -1;
    if ((fence = malloc(16)) == NULL)
        return fail_wiped(h, p, from);
    was = (uintptr_t)p;
    q = p;
    countalloc_measure_begin(&start);
    if (way == SECRET_REALLOC) {
        if ((q = realloc(p, to)) == NULL)
            rc = -1;
    } else {
        rc = secret_grow_by_hand(&q, from, to);
    }
    out->d = countalloc_measure_end(&start);
    if (rc != 0) { /* p as it was */
        free(fence);
        return fail_wiped(h, p, from);
    }
    out->moved = (uintptr_t)q != was;
    rc = secret_count(s, &out->live);
    explicit_bzero(q, to);
    free(q);
    free(fence);
    if (rc != 0)
        return -1;
    return secret_count(s, &out->after);
}

int secret_write_file(const struct secret_scan *s, const char *path)
{
    struct secret_scan *w = (struct secret_scan *)s; /* the line is made in its read buffer */
    size_t len = SECRET_FILE_AT + SECRET_LEN + 1;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), saved;
    ssize_t put;

    if (fd < 0)
        return -1;
    memcpy(w->buf, SECRET_FILE_HEAD, SECRET_FILE_AT);
    secret_put(s, w->buf + SECRET_FILE_AT);
    w->buf[len - 1] = '\n';
    put = write(fd, w->buf, len);
    saved = errno;
    explicit_bzero(w->buf, len);
    if (put != (ssize_t)len) {
        close(fd);
        errno = put < 0 ? saved : EIO;
        return -1;
    }
    return close(fd);
}

#define LINE 128

/* The secret found in line's n bytes after "password=": where, or NULL. */
static const unsigned char *password_in(const struct secret_scan *s, const unsigned char *line, size_t n)
{
    static const char key[] = "password=";
    const unsigned char *at = memmem(line, n, key, sizeof key - 1);

    if (at == NULL || (size_t)(line + n - at) < sizeof key - 1 + SECRET_LEN)
        return NULL;
    at += sizeof key - 1;
    return secret_is(s, at, SECRET_LEN) ? at : NULL;
}

int secret_read(struct secret_scan *s, enum secret_read_way way, const char *path,
                struct secret_case *out)
{
    const struct heap *h = &heaps[SECRET_COUNTED];
    struct countalloc_stats start;
    unsigned char *line;
    bool found = false;
    FILE *f = NULL;
    int fd = -1, rc = 0;

    *out = (struct secret_case){0};
    countalloc_measure_begin(&start);
    if ((line = malloc(LINE)) == NULL)
        return -1;
    if (way == SECRET_READ) {
        ssize_t got;

        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
            return fail_wiped(h, line, LINE);
        got = read(fd, line, LINE);
        found = got > 0 && password_in(s, line, (size_t)got) != NULL;
    } else {
        if ((f = fopen(path, "r")) == NULL)
            return fail_wiped(h, line, LINE);
        if (way == SECRET_FGETS_IONBF && setvbuf(f, NULL, _IONBF, 0) != 0) {
            fclose(f);
            return fail_wiped(h, line, LINE);
        }
        while (!found && fgets((char *)line, LINE, f) != NULL)
            found = password_in(s, line, strlen((char *)line)) != NULL;
    }
    explicit_bzero(line, LINE); /* the caller's copy, wiped */
    if (!found) {
        errno = EINVAL;
        rc = -1;
    } else {
        rc = secret_count(s, &out->live);
    }
    if (f != NULL)
        fclose(f);
    else
        close(fd);
    free(line);
    out->d = countalloc_measure_end(&start);
    if (rc != 0)
        return -1;
    return secret_count(s, &out->after);
}
