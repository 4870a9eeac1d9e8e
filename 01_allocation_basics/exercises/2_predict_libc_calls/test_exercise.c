/* test_exercise.c: each snippet of snippets.c measured with the counting allocator and
 * compared with the prediction in exercise.c. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "predict.h"

/* A stream of three short lines with its own buffer on the stack: opening it allocates
 * (fmemopen), but outside the measurement; reading it allocates only what getline does. */
struct stream {
    char text[32];
    char iobuf[64];
    FILE *f;
};

static void stream_open(struct stream *s)
{
    strcpy(s->text, "alpha\nbeta\ngamma\n");
    s->f = fmemopen(s->text, strlen(s->text), "r");
    cr_assert(s->f != NULL, "fmemopen failed");
    setvbuf(s->f, s->iobuf, _IOFBF, sizeof s->iobuf);
}

Test(predict, strdup_of_a_nine_letter_word)
{
    PREDICT_CHECK(strdup_word, snippet_strdup_word(), "strdup(\"interview\")",
                  "strdup mallocs strlen + 1 bytes: the terminating NUL is copied too.");
}

Test(predict, malloc_of_zero_bytes)
{
    SKIP_IN_SANITIZER_BUILD("ASan's malloc(0) asks for 1 byte");
    PREDICT_CHECK(malloc_zero, snippet_malloc_zero(), "malloc(0)",
                  "malloc(0) is a real call that returns a block you must free: one allocation "
                  "of 0 bytes, and the allocator still spends a chunk on it.");
}

Test(predict, calloc_of_ten_int64s)
{
    PREDICT_CHECK(calloc_ten, snippet_calloc_ten(), "calloc(10, sizeof(int64_t))",
                  "calloc(n, size) is one allocation of n * size bytes.");
}

Test(predict, free_of_null_and_snprintf_into_a_stack_buffer)
{
    PREDICT_CHECK(format_on_stack, snippet_format_on_stack(), "free(NULL); snprintf(buf, ...)",
                  "free(NULL) does nothing, and snprintf into your own buffer needs no heap.");
}

Test(predict, fopen_then_fclose_without_reading)
{
    PREDICT_CHECK(fopen_fclose, snippet_fopen_fclose(), "fopen(\"/dev/null\", \"r\"); fclose(f)",
                  "fopen mallocs the FILE itself (472 bytes in glibc 2.36 and 2.41); the stream's buffer comes "
                  "only with the first read or write, so here there is none.");
}

Test(predict, getline_over_three_lines_with_one_buffer)
{
    struct stream s;

    stream_open(&s);
    PREDICT_CHECK(getline_kept, snippet_getline_kept(s.f), "getline over 3 lines, buffer kept",
                  "getline mallocs its buffer on the first call (120 bytes in glibc 2.36 and 2.41) and reuses it "
                  "for every line that fits: one allocation for the whole stream.");
    fclose(s.f);
}

Test(predict, getline_over_three_lines_freeing_the_buffer_each_time)
{
    struct stream s;

    stream_open(&s);
    PREDICT_CHECK(getline_freed, snippet_getline_freed(s.f), "getline over 3 lines, buffer freed",
                  "with line = NULL every call mallocs a fresh 120-byte buffer, and that includes "
                  "the last call, which finds end of file and returns -1: lines + 1 allocations.");
    fclose(s.f);
}

Test(predict, malloc_then_realloc_to_twice_the_size)
{
    PREDICT_CHECK(malloc_realloc, snippet_malloc_realloc(), "malloc(100); realloc(p, 200)",
                  "realloc to a new size counts as one allocation of the new size (and one free), "
                  "as memcheck and Go's TotalAlloc count it: 100 + 200 bytes asked for.");
}

Test(predict, strndup_of_a_five_byte_prefix)
{
    PREDICT_CHECK(strndup_prefix, snippet_strndup_prefix(), "strndup(\"hello, world\", 5)",
                  "strndup copies at most n bytes and adds a NUL: n + 1 bytes.");
}
