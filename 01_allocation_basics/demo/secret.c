/* secret.c: erasing a secret (secret.h). A secret of SECRET_LEN random letters is put in a
 * block, and the copies of it left in the process are counted after each way of letting
 * it go: free alone; memset, explicit_bzero or a volatile memset, then free; grown by
 * realloc or by hand; read from a file with fgets, unbuffered fgets, or read(2). Each case
 * runs in a child process of its own (child.h), so that no case finds what another left.
 * make secret-01.
 * Usage: secret [BYTES], the block that holds the secret (64 unless given; the growth
 * doubles it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "child.h"
#include "cli.h"
#include "countalloc.h"
#include "procfs.h"
#include "secret.h"

#include <valgrind/valgrind.h>

#define PROG "secret"
#define MAX_BYTES 512

static struct secret_scan *scan;
static size_t bytes = 64;
static char path[4096];

/* What a case runs in its child, and what it brings back. */
struct job {
    int (*run)(struct job *j);
    enum secret_heap heap;
    void (*wipe_free)(void *p, size_t n);
    enum secret_grow_way grow;
    enum secret_read_way read;
    struct secret_case c;
    int rc, err; /* the case's return value and errno */
};

static int run_free(struct job *j)
{
    return secret_free_plain(scan, j->heap, bytes, &j->c);
}

static int run_wipe(struct job *j)
{
    return secret_wipe_free(scan, j->wipe_free, bytes, &j->c);
}

static int run_grow(struct job *j)
{
    return secret_grow(scan, j->grow, bytes, 2 * bytes, &j->c);
}

static int run_read(struct job *j)
{
    return secret_read(scan, j->read, path, &j->c);
}

/* The case, its status brought back with its result. */
static int in_child(void *ctx)
{
    struct job *j = ctx;

    j->rc = j->run(j);
    j->err = errno;
    return 0;
}

/* The case in a child of its own, its result in j->c; under Valgrind in this process,
 * where nothing is counted. */
static void run(struct job *j)
{
    if (RUNNING_ON_VALGRIND)
        in_child(j);
    else if (child_run(in_child, j, sizeof *j) != 0)
        j->rc = -1, j->err = errno;
    if (j->rc != 0) {
        unlink(path);
        if (j->err == ENOMEM)
            cli_oom(PROG, "running a case");
        fprintf(stderr, PROG ": a case failed: %s\n", strerror(j->err));
        exit(1);
    }
}

static void copies(const char *what, const struct secret_copies *c)
{
    printf("  %-46s %5u %8u %7u", what, c->whole, c->head, c->tail);
}

static void counted(const struct countalloc_stats *d)
{
    printf(" %7llu %6llu\n", (unsigned long long)d->mallocs, (unsigned long long)d->frees);
}

int main(int argc, char **argv)
{
    struct job j;
    const char *tmp;
    char what[64];
    int fd;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[BYTES]");
    if (argc > 1)
        bytes = (size_t)cli_u64(PROG, "BYTES", argv[1], SECRET_LEN, MAX_BYTES);
    if ((scan = secret_scan_new()) == NULL) {
        perror(PROG ": mmap or getrandom");
        return 1;
    }
    tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/secret-XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if ((fd = mkstemp(path)) < 0 || close(fd) != 0 || secret_write_file(scan, path) != 0) {
        perror(PROG ": the secret's file");
        return 1;
    }

    printf("a secret of %d random letters, made at run time, kept masked; its copies in this\n"
           "process's writable memory, read through /proc/self/mem (each case in a child process)\n",
           SECRET_LEN);
    if (RUNNING_ON_VALGRIND)
        printf("under Valgrind its allocator serves the blocks: nothing is counted, the columns read 0\n");
    printf("  %-46s %5s %8s %7s %7s %6s\n", "", "whole", "first 16", "last 16", "allocs", "frees");

    printf("free: a block of %zu bytes, the secret at its start\n", bytes);
    j = (struct job){.run = run_free, .heap = SECRET_COUNTED};
    run(&j);
    copies("the block live", &j.c.live), putchar('\n');
    copies("freed (the counting allocator's block)", &j.c.after), counted(&j.c.d);
    j = (struct job){.run = run_free, .heap = SECRET_GLIBC};
    run(&j);
    copies("freed (glibc's own malloc: no header)", &j.c.after), putchar('\n');

    printf("wiped, then freed (one function: the wipe, then free)\n");
    static const struct {
        const char *what;
        void (*fn)(void *, size_t);
    } wipes[] = {
        {"memset, free: built by gcc -O2 alone", secret_memset_free_o2},
        {"memset, free: the Makefile's -fno-builtin-free", secret_memset_free_kept},
        {"explicit_bzero, free", secret_bzero_free},
        {"memset through a volatile pointer, free", secret_volatile_free},
    };
    for (size_t i = 0; i < sizeof wipes / sizeof wipes[0]; i++) {
        j = (struct job){.run = run_wipe, .wipe_free = wipes[i].fn};
        run(&j);
        copies(wipes[i].what, &j.c.after), counted(&j.c.d);
    }

    printf("grown from %zu to %zu bytes, a live block after it; then wiped (explicit_bzero) and freed\n",
           bytes, 2 * bytes);
    static const struct {
        const char *what;
        enum secret_grow_way way;
    } grows[] = {
        {"realloc", SECRET_REALLOC},
        {"by hand: malloc, memcpy, explicit_bzero, free", SECRET_BY_HAND},
    };
    for (size_t i = 0; i < sizeof grows / sizeof grows[0]; i++) {
        j = (struct job){.run = run_grow, .grow = grows[i].way};
        run(&j);
        printf("  %s%s\n", grows[i].what, RUNNING_ON_VALGRIND ? "" : j.c.moved ? " (the block moved)" : " (in place)");
        copies("    after the growth", &j.c.live), counted(&j.c.d);
        copies("    the grown block wiped and freed", &j.c.after), putchar('\n');
    }

    printf("read from a file, the secret %zu bytes into it; the caller's buffer wiped (explicit_bzero)\n",
           (size_t)SECRET_FILE_AT);
    static const struct {
        const char *what, *close;
        enum secret_read_way way;
    } reads[] = {
        {"fgets", "fclose", SECRET_FGETS},
        {"fgets after setvbuf(f, NULL, _IONBF, 0)", "fclose", SECRET_FGETS_IONBF},
        {"read(2)", "close", SECRET_READ},
    };
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        j = (struct job){.run = run_read, .read = reads[i].way};
        run(&j);
        printf("  %s\n", reads[i].what);
        snprintf(what, sizeof what, "    before %s", reads[i].close);
        copies(what, &j.c.live), putchar('\n');
        snprintf(what, sizeof what, "    after %s, the buffer freed", reads[i].close);
        copies(what, &j.c.after), counted(&j.c.d);
    }
    unlink(path);
    secret_scan_free(scan);
    return 0;
}
