/* native_only.c: the report hook behind NATIVE_ONLY, GLIBC_MALLOC_ONLY and SANITIZER_ONLY
 * (native_only.h), linked into every Criterion test binary, never into a program.
 *
 * Criterion runs PRE_ALL hooks in the runner, after it has gathered the tests and before
 * it starts any; a test whose `disabled` is set then is reported skipped without a
 * process of its own (Criterion's documentation on hooks: "iterate all subsequent tests
 * and set their disabled field"). Measured under memcheck (valgrind 3.19, make check's
 * options): /bin/true costs about 0.45 s of CPU, 0.27 s of it reading glibc's debug
 * information (libc6-dbg, which Debian's valgrind depends on); a Criterion test's process
 * about 0.6 s before its test begins (0.8 s while libgit2 started in each: criterion_diff.c).
 * About 160 tests skip under Valgrind: this hook keeps them from paying it. */
#include "native_only.h"

#include <criterion/hooks.h>
#include <criterion/internal/ordered-set.h>

#include <string.h>

unsigned native_only_of(const struct criterion_test *t)
{
    struct criterion_test_extra_data d;
    uintptr_t v;

    if (t == NULL || t->data == NULL)
        return 0;
    /* A worker's copy of the options sits in Criterion's shared memory at any address
     * (an odd one, seen here): copied out, not read in place. */
    memcpy(&d, t->data, sizeof d);
    v = (uintptr_t)d.data;
    return v >> 8 == NATIVE_ONLY_MAGIC ? (unsigned)(v & 0xff) : 0;
}

size_t native_only_disable(struct criterion_test_set *set, unsigned where)
{
    size_t disabled = 0;

    if (where == 0 || set == NULL || set->suites == NULL)
        return 0;
    /* Criterion's ordered sets keep each element right after its node (FOREACH_SET). */
    for (struct criterion_ordered_set_node *sn = set->suites->first; sn; sn = sn->next) {
        struct criterion_suite_set *s = (void *)(sn + 1);

        if (s->tests == NULL)
            continue;
        for (struct criterion_ordered_set_node *tn = s->tests->first; tn; tn = tn->next) {
            struct criterion_test *t = (void *)(tn + 1);
            if ((native_only_of(t) & where) == 0 || t->data->disabled)
                continue;
            t->data->disabled = true;
            disabled++;
        }
    }
    return disabled;
}

unsigned native_only_here(void)
{
    unsigned here = RUNNING_ON_VALGRIND ? NATIVE_SKIP_VALGRIND : 0;

#if defined(__SANITIZE_ADDRESS__)
    here |= NATIVE_SKIP_SANITIZER;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    here |= NATIVE_SKIP_SANITIZER;
#endif
#endif
    if (!(here & NATIVE_SKIP_SANITIZER))
        here |= NATIVE_SKIP_UNSANITIZED;
    return here;
}

ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
    native_only_disable(set, native_only_here());
}
