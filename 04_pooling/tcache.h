/* tcache.h: where glibc's free puts a block of a given size, for the README's note on
 * WithAlloc. glibc keeps a freed block of a small request in the thread's tcache, which
 * mallinfo2 still counts as in use; a larger one goes to its bins, whose free bytes
 * (mallinfo2's fordblks) grow by the block's chunk. The counting allocator puts a 16-byte
 * header in front of every block, so a counted malloc(n) asks glibc for n + 16 bytes.
 *
 * Valid only where glibc's malloc serves the blocks (not under Valgrind or ASan). */
#ifndef TCACHE_H
#define TCACHE_H

#include <stdbool.h>
#include <stddef.h>

/* malloc(n), then a small live block after it (so that its free cannot merge it into the
 * top of the heap), then free of the first: by how many bytes glibc's bins grew. 0: the
 * block went to the tcache. counted: through the counting allocator, as bench.c's
 * malloc; otherwise glibc's own malloc and free. Returns -1 when out of memory. */
long tcache_freed_to_bins(size_t n, bool counted);

#endif
