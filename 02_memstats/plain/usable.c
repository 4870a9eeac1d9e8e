/* usable.c: glibc's own view of a small block, without the counting allocator in the
 * way (lesson.mk builds it with no countalloc; make chunks-02 runs it). For each request
 * size: malloc_usable_size (the bytes you may use) and the chunk glibc carved for it,
 * read from the size field glibc keeps in the 8 bytes before the block (its low 3 bits
 * are flags). Then glibc's own summaries, malloc_stats() (on stderr) and malloc_info()'s
 * XML, taken while HOLES blocks of 100 bytes lie free between live ones: the free chunks
 * it keeps, by size class (tcache first, then the fastbins). */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define HOLES 32

int main(void)
{
    static const size_t sizes[] = {1, 24, 25, 100, 1000, 4096, 200000};
    void *blk[2 * HOLES];
    int rc, got;

    printf("%8s %12s %8s %9s\n", "malloc", "usable_size", "chunk", "overhead");
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        void *p = malloc(sizes[s]);
        size_t field, chunk;

        if (p == NULL) {
            fprintf(stderr, "usable: out of memory\n");
            return 1;
        }
        field = *(const size_t *)((uintptr_t)p - sizeof(size_t));
        chunk = field & ~(size_t)7;
        printf("%8zu %12zu %8zu %9zu%s\n", sizes[s], malloc_usable_size(p), chunk,
               chunk - sizes[s], field & 2 ? "  (mmap'd: its own pages)" : "");
        free(p);
    }
    for (got = 0; got < 2 * HOLES; got++)
        if ((blk[got] = malloc(100)) == NULL)
            break;
    for (int i = 1; i < got; i += 2)
        free(blk[i]); /* every other block: a hole between two live ones */
    fflush(stdout);
    fprintf(stderr, "\nmalloc_stats() with %d of %d 100-byte blocks freed:\n", got / 2, got);
    malloc_stats();
    fprintf(stderr, "\nmalloc_info(0, stdout), the same moment:\n");
    fflush(stderr);
    rc = got == 2 * HOLES && malloc_info(0, stdout) == 0 ? 0 : 1;
    for (int i = 0; i < got; i += 2)
        free(blk[i]);
    if (rc != 0)
        fprintf(stderr, "usable: out of memory\n");
    return rc;
}
