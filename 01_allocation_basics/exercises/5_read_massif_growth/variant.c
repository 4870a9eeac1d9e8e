/* variant.c: the program you profile in this exercise. Answer from massif's output
 * first; read this afterwards, to check what the output told you.
 *
 * It runs, instead of the tests, when EXERCISE_VARIANT is set (see exercise.c). */
#include "exercise.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "profrun.h"

#define COUNT 3000 /* numbers loaded */

/* COUNT numbers in an array grown by doubling from one element. */
static int64_t *load_numbers(size_t n)
{
    int64_t *v = NULL, *w;
    size_t cap = 0;

    for (size_t i = 0; i < n; i++) {
        if (i == cap) {
            cap = cap == 0 ? 1 : cap * 2;
            w = realloc(v, cap * sizeof *v);
            if (w == NULL) {
                free(v);
                return NULL;
            }
            v = w;
        }
        v[i] = (int64_t)(i * 7 % n);
    }
    return v;
}

/* The numbers again, each in a box of its own, behind an array of pointers. */
static int64_t **box_numbers(const int64_t *v, size_t n)
{
    int64_t **box = malloc(n * sizeof *box);

    if (box == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        box[i] = malloc(sizeof **box);
        if (box[i] == NULL) {
            while (i > 0)
                free(box[--i]);
            free(box);
            return NULL;
        }
        *box[i] = v[i];
    }
    return box;
}

static void unbox(int64_t **box, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(box[i]);
    free(box);
}

int variant_main(void)
{
    int64_t *v = load_numbers(COUNT);
    int64_t **box;

    if (v == NULL)
        return 1;
    box = box_numbers(v, COUNT);
    if (box == NULL) {
        free(v);
        return 1;
    }
    unbox(box, COUNT);
    free(v);
    return 0;
}

/* Run the variant instead of the tests when EXERCISE_VARIANT is set. */
__attribute__((constructor)) static void variant_start(void)
{
    if (getenv(PROFRUN_ENV) != NULL)
        _exit(variant_main());
}
