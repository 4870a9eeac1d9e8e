/* usable.c: glibc's own view of a small block, without the counting allocator in the
 * way (lesson.mk builds it with no countalloc; make chunks-02 runs it). For each request
 * size: malloc_usable_size (the bytes you may use) and the chunk glibc carved for it,
 * read from the size field glibc keeps in the 8 bytes before the block (its low 3 bits
 * are flags). Then malloc_stats(), glibc's own summary, on stderr. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    static const size_t sizes[] = {1, 24, 25, 100, 1000, 4096, 200000};

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
    fflush(stdout);
    fprintf(stderr, "\nmalloc_stats() once they are freed:\n");
    malloc_stats();
    return 0;
}
