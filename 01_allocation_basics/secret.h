/* secret.h: erasing a secret, for lesson 01. A password or a key in a buffer is wiped and
 * freed, and the question is what is left of it in the process. The instrument answers
 * by counting: it reads the process's own writable memory through /proc/self/mem, every
 * writable mapping /proc/self/maps lists (the heap, anonymous mappings, the stack, the
 * data of the program and its libraries: stdio's buffers are on the heap), and counts the
 * copies of the secret it finds there. Nothing reads freed memory through a pointer: the
 * kernel copies the bytes out, as a debugger or a core dump would.
 *
 * The secret: SECRET_LEN bytes drawn from getrandom(2) at run time (a password's letters:
 * 64 printable characters, 6 random bits each, so fgets and Python's and Go's strings take
 * it whole), never a literal in the binary. The instrument must not make the copy it
 * counts, so the secret is never whole in memory, nor on the stack: it is kept as two
 * random halves of a mask, byte i being masked[i] ^ mask[i], and the search compares a
 * byte read from memory, XORed with mask[i], against masked[i], one byte at a time.
 * secret_put writes it byte by byte where the caller asks, and that is the one copy made.
 *
 * Where the instrument keeps its state (the two masks, the maps text, the buffer that
 * /proc/self/mem is read into): one anonymous mapping of its own, made by mmap, never by
 * malloc, so the counts of the counting allocator do not see the instrument. The search
 * skips that mapping's range by its address (the kernel may merge it with a neighbour in
 * /proc/self/maps: the range is cut out of whatever line holds it), since the read buffer
 * holds a copy of whatever was read last. In the ASan build it also skips ASan's shadow
 * memory (terabytes reserved, holding ASan's state bytes, never the program's).
 *
 * What is counted: a whole copy (all SECRET_LEN bytes in a row), and the halves found
 * alone (the first SECRET_LEN / 2 bytes not followed by the rest, the last not preceded
 * by the first): glibc writes its free-list links over the first 16 bytes of a freed
 * block, so a copy can survive in part.
 *
 * The cases (each a function, its blocks freed before it returns; out of memory: -1,
 * everything freed, the secret wiped from whatever it took): a secret freed as it is; wiped,
 * then freed, by a function the caller passes (memset built by gcc -O2 alone, memset built
 * with the Makefile's flags, explicit_bzero, memset through a volatile pointer); grown by
 * realloc or by hand (secret_grow_by_hand); read from a file with fgets, with fgets on an
 * unbuffered stream, or with read(2).
 *
 * Under Valgrind and in the ASan build another allocator serves the blocks, with its own
 * layout: the copies counted there are that allocator's (the tests say which they assert
 * where). The counts of a freed block depend on glibc's malloc: with the counting
 * allocator's 16-byte header in front of every block (common/README.md), glibc's links
 * land on the header, and the caller's bytes stay whole. */
#ifndef SECRET_H
#define SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "countalloc.h"

#define SECRET_LEN 32
#define SECRET_HALF (SECRET_LEN / 2)

/* The instrument: the masked secret and the search's buffers, in a mapping of its own. */
struct secret_scan;

/* A new instrument with a new secret: NULL with errno when mmap or getrandom fails.
 * Allocates nothing from the heap. */
struct secret_scan *secret_scan_new(void);

/* Wipe the instrument's mapping (explicit_bzero) and unmap it. NULL does nothing. */
void secret_scan_free(struct secret_scan *s);

/* Write the secret's SECRET_LEN bytes at dst, one at a time. */
void secret_put(const struct secret_scan *s, unsigned char *dst);

/* Whether the n bytes at p are the secret (n == SECRET_LEN), compared masked. */
bool secret_is(const struct secret_scan *s, const unsigned char *p, size_t n);

/* What a search found. */
struct secret_copies {
    unsigned whole;   /* all SECRET_LEN bytes in a row */
    unsigned head;    /* the first SECRET_HALF bytes, not followed by the rest */
    unsigned tail;    /* the last SECRET_HALF bytes, not preceded by the first */
    unsigned maps;    /* writable mappings read */
    size_t bytes;     /* bytes read */
};

/* Every copy of the secret in the process's writable memory, the instrument's own mapping
 * left out: 0, or -1 with errno when /proc/self/maps or /proc/self/mem cannot be read (a
 * mapping the kernel refuses to copy, EIO, is skipped and not counted). Allocates
 * nothing. Under Valgrind the maps are Valgrind's and the search would read its own
 * gigabytes: callers skip it there. */
int secret_count(struct secret_scan *s, struct secret_copies *out);

/* What one case saw: the copies at each moment it names. */
struct secret_case {
    struct secret_copies live;   /* the buffer still holding the secret (where the case has such a moment) */
    struct secret_copies after;  /* after the case's last step: wiped, freed, closed */
    struct countalloc_stats d;   /* what the case allocated and freed (counted) */
    bool moved;                  /* secret_grow: the grown block has another address */
};

/* Which malloc serves a block: the counting allocator (a 16-byte header in front, the
 * repository's) or glibc's own, __libc_malloc and __libc_free (no header: what a program
 * without the counting allocator gets). */
enum secret_heap { SECRET_COUNTED, SECRET_GLIBC };

/* A block of `size` bytes (SECRET_LEN to 1,024: a tcache size), the secret at its start;
 * counted with the block live, then after free. 0, or -1. */
int secret_free_plain(struct secret_scan *s, enum secret_heap heap, size_t size, struct secret_case *out);

/* The same block wiped and freed by wipe_free(p, size) (one function: the wipe and the
 * free together, as a compiler sees them); counted after. 0, or -1. */
int secret_wipe_free(struct secret_scan *s, void (*wipe_free)(void *p, size_t n), size_t size,
                     struct secret_case *out);

/* The wipes secret_wipe_free is given. In secret.c: explicit_bzero (glibc 2.25 and
 * later), then free; memset called through a volatile function pointer, which the compiler
 * cannot see through, then free. And memset then free, one source built twice by
 * lesson.mk (demo/wipefree.c), linked into the demo and the tests only: by gcc -O2 alone
 * (secret_memset_free_o2), and with the Makefile's -fno-builtin-free
 * (secret_memset_free_kept). p is a block, never NULL. */
void secret_bzero_free(void *p, size_t n);
void secret_volatile_free(void *p, size_t n);
void secret_memset_free_o2(void *p, size_t n);
void secret_memset_free_kept(void *p, size_t n);

/* *p, a block of old bytes, grown to n (n > old) by hand: malloc(n), the old bytes
 * copied, the old block wiped with explicit_bzero and freed. 0; or -1, errno ENOMEM, *p
 * and its bytes as they were, nothing allocated. One allocation of n bytes and one free. */
int secret_grow_by_hand(void **p, size_t old, size_t n);

enum secret_grow_way { SECRET_REALLOC, SECRET_BY_HAND };

/* A block of `from` bytes, the secret at its start, and a small block malloc'd after it
 * so that the growth cannot happen in place; grown to `to` bytes (from < to <= 1,024)
 * `way`. live: counted after the growth; after: once the grown block is wiped with
 * explicit_bzero and freed (and the small block freed). d: the growth alone. 0, or -1. */
int secret_grow(struct secret_scan *s, enum secret_grow_way way, size_t from, size_t to,
                struct secret_case *out);

/* The file secret_read reads: a comment line, then "password=" and the secret, each
 * line ended by '\n'; the secret starts at SECRET_FILE_AT. Written at path (created with
 * mode 0600, or truncated): 0, or -1 with errno. */
#define SECRET_FILE_HEAD "# the backup job's credentials\npassword="
#define SECRET_FILE_AT (sizeof SECRET_FILE_HEAD - 1)
int secret_write_file(const struct secret_scan *s, const char *path);

enum secret_read_way {
    SECRET_FGETS,        /* fopen, fgets line by line into the caller's buffer, fclose */
    SECRET_FGETS_IONBF,  /* the same after setvbuf(f, NULL, _IONBF, 0): no buffer of stdio's */
    SECRET_READ,         /* open, read(2) into the caller's buffer, close */
};

/* The file at path read `way` into a buffer of its own (malloc'd, 128 bytes), that
 * buffer checked to hold the secret, then wiped with explicit_bzero. live: counted with
 * the file still open; after: once it is closed and the buffer freed. 0; or -1 with errno
 * (a file without the secret: EINVAL). */
int secret_read(struct secret_scan *s, enum secret_read_way way, const char *path,
                struct secret_case *out);

#endif
