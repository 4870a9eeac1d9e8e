/* predict.h: the check behind the "predict" exercises. The learner writes how many
 * allocations a snippet makes and how many bytes it asks for; the test measures the
 * snippet with the counting allocator (ALLOC_MEASURE) and compares:
 *
 *   struct prediction strdup_word = {1, 10};     // in exercise.c, the learner's answer
 *   PREDICT_CHECK(strdup_word, snippet_strdup(), // in test_exercise.c
 *                 "strdup(\"interview\")", "strdup copies the NUL too");
 *
 * Header only; include after <criterion/criterion.h>. Allocates only on failure. */
#ifndef PREDICT_H
#define PREDICT_H

#include <criterion/criterion.h>

#include "alloc_assert.h"
#include "countalloc.h"

/* A learner's answer: allocation calls, and bytes asked for in all (memcheck's rules). */
struct prediction {
    long long allocs;
    long long bytes;
};

#define PREDICT_UNKNOWN {-1, -1} /* not answered yet */

/* Fail the test unless p matches what d measured. `what` names the snippet; `meaning`
 * is shown once the prediction is wrong, never before one is made. */
static inline void predict_check(const char *what, const struct prediction *p,
                                 const struct countalloc_stats *d, const char *meaning)
{
    cr_assert(p->allocs >= 0 && p->bytes >= 0,
              "%s: no prediction yet. Write the number of allocations and the bytes you "
              "expect into exercise.c; the measurement is shown once you have.", what);
    cr_assert((unsigned long long)p->allocs == d->mallocs &&
                  (unsigned long long)p->bytes == d->total_alloc,
              "%s: you predicted %lld allocation%s of %lld bytes; it made %llu allocation%s "
              "of %llu bytes. %s", what, p->allocs, p->allocs == 1 ? "" : "s", p->bytes,
              (unsigned long long)d->mallocs, d->mallocs == 1 ? "" : "s",
              (unsigned long long)d->total_alloc, meaning);
}

/* Measure `call` (a snippet that returns nothing) and check the prediction `pred`. */
#define PREDICT_CHECK(pred, call, what, meaning)                                        \
    do {                                                                                \
        struct countalloc_stats d_;                                                     \
        ALLOC_MEASURE(call, d_);                                                        \
        predict_check(what, &(pred), &d_, meaning);                                     \
    } while (0)

/* The same for a snippet that returns 0, or nonzero when it went wrong: the test then
 * fails with "WHAT: FAILED" before any prediction is compared. */
#define PREDICT_CHECK_RC(pred, call, what, failed, meaning)                             \
    do {                                                                                \
        struct countalloc_stats d_;                                                     \
        int rc_ = 0;                                                                    \
        ALLOC_MEASURE(rc_ = call, d_);                                                  \
        cr_assert(rc_ == 0, "%s: %s", what, failed);                                    \
        predict_check(what, &(pred), &d_, meaning);                                     \
    } while (0)

#endif
