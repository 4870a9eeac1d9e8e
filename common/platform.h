/* platform: what this machine's C library does, where a lesson's exact counts depend on it.
 * Tests and programs ask here instead of pinning one release's behaviour; each answer
 * names the versions it tells apart. Nothing here allocates. */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

/* glibc's own entry points, which the counting allocator forwards to: a block from them is
 * not counted and has no header, and must go back through __libc_free. */
void *__libc_malloc(size_t n);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);
void *__libc_calloc(size_t n, size_t size);
void *__libc_memalign(size_t align, size_t n);

/* What glibc's chunk header says about a block glibc itself returned at p (from
 * __libc_malloc and its family, not the counting allocator's blocks): the 8 bytes before
 * p hold the chunk's size (header included, a multiple of 16) and 3 flag bits. Valgrind's
 * and ASan's allocators keep no such field: callers skip there. */
struct platform_chunk {
    size_t size;      /* bytes the block takes in the heap (or its own pages, if mmap'd) */
    bool mmapped;     /* IS_MMAPPED: the block has pages of its own; free munmaps them */
    bool other_arena; /* NON_MAIN_ARENA: the block comes from a thread's arena */
};
struct platform_chunk platform_chunk_of(const void *p);

/* The chunk glibc's malloc takes for a request of n bytes below the mmap threshold
 * (its request2size on x86-64): n plus the 8-byte size field, rounded up to 16, and at
 * least 32 bytes. What the tests that read platform_chunk_of expect of it. */
size_t platform_chunk_for(size_t n);

/* glibc's own malloc_usable_size of a block glibc returned: the C library's, found after
 * the program's own (the counting allocator's answers with the size asked for). Not in
 * a sanitizer build: the one found after the program there is ASan's, which refuses a
 * block __libc_malloc returned. */
size_t platform_glibc_usable_size(void *p);

/* True when the running glibc (gnu_get_libc_version, not the headers) is at least
 * major.minor. */
bool platform_glibc_at_least(int major, int minor);

/* asprintf of a line of at most 100 bytes, as counted here (memcheck's rules):
 *   glibc <= 2.36: malloc(100), format, then for a line under 49 bytes an exact malloc,
 *                  a copy and a free of the first buffer, for one of 49 to 100 bytes a
 *                  realloc to the exact size: 2 allocations, 1 free either way (a longer
 *                  line first moves to a malloc(300): one more allocation and free);
 *   glibc >= 2.37: format into a 200-byte buffer on the stack, then one exact malloc:
 *                  1 allocation, 0 frees. */
unsigned platform_asprintf_short_allocs(void);
unsigned platform_asprintf_short_frees(void);

/* Whether glibc's calloc of a small block takes one from the thread's cache (the tcache),
 * as malloc does: glibc 2.36 does not (calloc goes to the arena, and zeroes what it finds
 * there); glibc 2.41 does. Measured on those two (Debian 12 and 13); the releases between
 * are taken to be 2.36's. */
bool platform_calloc_uses_tcache(void);

/* Whether glibc's aligned_alloc refuses an alignment that is not a power of two (NULL,
 * errno EINVAL), as C17 allows: glibc 2.41 does, and refuses 0 too; glibc 2.36 rounds it
 * up to the next power of two, as memalign does. Measured on those two (Debian 12 and
 * 13); the change is taken to be glibc 2.38's. posix_memalign refuses on both. */
bool platform_aligned_alloc_checks_alignment(void);

/* Whether glibc's memalign (and so aligned_alloc and posix_memalign) puts the pieces it
 * splits off before and after an aligned block into the thread's cache (the tcache) when
 * they fit: glibc 2.36 does, so mallinfo2 counts them as in use; glibc 2.41 frees them to
 * the bins, merging one that borders the top chunk into it. Measured on those two (Debian
 * 12 and 13); the releases between are taken to be 2.36's. */
bool platform_memalign_pieces_to_tcache(void);

#endif
