/* test_exercise.c: each snippet measured with ALLOC_MEASURE (the peak reset at the
 * start), and compared with the prediction in exercise.c. */
#include <criterion/criterion.h>

#include <stdlib.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

static void check(const char *what, const struct memstats_prediction *p,
                  void *(*snippet)(int *), void (*release)(void *), const char *meaning)
{
    struct countalloc_stats d;
    int failed = 0;
    void *left;

    cr_assert(p->mallocs >= 0 && p->frees >= 0 && p->total_alloc >= 0 && p->heap_alloc >= 0 &&
                  p->peak >= 0,
              "%s: no prediction yet. Write all five figures into exercise.c; the "
              "measurement is shown once you have.", what);
    ALLOC_MEASURE(left = snippet(&failed), d);
    release(left);
    cr_assert(!failed, "%s: an allocation failed", what);
    cr_assert((unsigned long long)p->mallocs == d.mallocs &&
                  (unsigned long long)p->frees == d.frees &&
                  (unsigned long long)p->total_alloc == d.total_alloc &&
                  p->heap_alloc == d.heap_alloc && p->peak == d.peak,
              "%s: you predicted mallocs %lld, frees %lld, total_alloc %lld, heap_alloc "
              "%lld, peak %lld; measured mallocs %llu, frees %llu, total_alloc %llu, "
              "heap_alloc %lld, peak %lld. %s",
              what, p->mallocs, p->frees, p->total_alloc, p->heap_alloc, p->peak,
              (unsigned long long)d.mallocs, (unsigned long long)d.frees,
              (unsigned long long)d.total_alloc, (long long)d.heap_alloc, (long long)d.peak,
              meaning);
}

Test(predict, two_blocks_made_one_freed)
{
    check("malloc(100), malloc(200), free the first", &keep_one_of_two,
          snippet_keep_one_of_two, free,
          "total_alloc only grows; heap_alloc is what is still live; the peak was reached "
          "when both blocks were live.");
}

Test(predict, a_scratch_buffer_per_iteration)
{
    check("ten times malloc(64) and free", &scratch_in_a_loop, snippet_scratch_in_a_loop,
          free,
          "a loop that frees what it takes leaves heap_alloc where it was, but total_alloc "
          "and mallocs count all the work (Go's B/op and allocs/op come from them); the "
          "peak is one buffer.");
}

Test(predict, growing_a_block_with_realloc)
{
    SKIP_IN_SANITIZER_BUILD("ASan's hooks see realloc's new block before the old one is "
                            "freed, so its peak counts both");
    check("malloc(1000), realloc to 4000, free", &realloc_grow, snippet_realloc_grow, free,
          "realloc counts as an allocation of the new size and a free of the old one, "
          "as memcheck counts it; the peak counts the new block alone, as tracemalloc does.");
}

Test(predict, three_names_kept_in_an_array)
{
    check("an array of 3 pointers and 3 strdup'd names, kept", &three_names_kept,
          snippet_three_names_kept, names_free,
          "everything still live counts in heap_alloc: the array (3 * 8 bytes) and each "
          "name (its length + 1).");
}

Test(predict, a_list_built_then_freed_node_by_node)
{
    check("five 16-byte nodes linked, then freed", &list_built_and_freed,
          snippet_list_built_and_freed, free,
          "the peak is the whole list, reached before the first free.");
}
