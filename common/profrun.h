/* profrun: run a program under a Valgrind tool and read what the tool wrote: a massif.out
 * file, memcheck's heap summary, or the instructions in a callgrind.out file. The program
 * is most often this very one, run again in its variant mode: the "read" exercises' tests
 * compute the true answers from a real profiler run of a variant program (compiled into
 * the test binary) and compare them with the learner's. Tests of a lesson's programs name
 * another (02's main, under massif; 05's test, its loops under callgrind).
 *
 * A variant is a function the exercise's own variant.c runs from a constructor when the
 * environment holds PROFRUN_ENV, before Criterion starts, then exits:
 *
 *   __attribute__((constructor)) static void variant_start(void)
 *   {
 *       const char *arg = getenv(PROFRUN_ENV);
 *       if (arg != NULL)
 *           _exit(variant_main(arg));
 *   }
 *
 * The parsers read their file through stdio (its FILE and buffer, freed before they
 * return: they leave nothing allocated) and fail with -1 (errno EINVAL for a file that is
 * not what it should be); profrun_run allocates only in the child it starts. */
#ifndef PROFRUN_H
#define PROFRUN_H

#include <stddef.h>
#include <stdint.h>

#define PROFRUN_ENV "EXERCISE_VARIANT" /* set: the program runs its variant and exits */

/* 0 when a Valgrind tool can run this program here; else -1 and why, into why[size]:
 * the program already runs under Valgrind (tools do not nest), it is a sanitizer build,
 * or valgrind is not installed. */
int profrun_available(char *why, size_t size);

/* Run `valgrind ARGS... PROG PROG_ARGS...`, where PROG is prog, or this program's own
 * executable when prog is NULL; args and prog_args (which may be NULL) end with NULL, and
 * hold at most 32 each. PROFRUN_ENV=value is set in its environment unless value is NULL.
 * stdout and stderr go to the file log; fault injection armed in this process (the
 * countdown, COUNTALLOC_FAIL_AT) reaches neither the child nor the program. Returns the
 * child's exit status, or -1 if it could not be started. */
int profrun_run(const char *const *args, const char *prog, const char *const *prog_args,
                const char *value, const char *log);

/* profrun_run(args, NULL, NULL, value, log): this program's variant. */
int profrun_self(const char *const *args, const char *value, const char *log);

/* ---- massif.out ---- */

#define PROFRUN_MAX_SNAPSHOTS 256 /* massif keeps at most 100 by default (--max-snapshots) */
#define PROFRUN_MAX_BRANCHES 16   /* top-level branches kept of the peak's tree */
#define PROFRUN_FUNC_MAX 64
#define PROFRUN_WHERE_MAX 96

enum profrun_tree { PROFRUN_EMPTY, PROFRUN_DETAILED, PROFRUN_PEAK };

struct profrun_snapshot {
    unsigned n;            /* its number, as ms_print shows it */
    uint64_t time;         /* in the run's time unit (B with --time-unit=B) */
    uint64_t heap;         /* useful heap: bytes the program asked for */
    uint64_t extra;        /* extra heap: the allocator's headers and rounding */
    uint64_t stacks;       /* stack bytes (--stacks=yes), else 0 */
    enum profrun_tree tree; /* no tree, a detailed snapshot, or the peak */
};

/* One top-level branch of a tree: the allocation site's innermost frame. */
struct profrun_branch {
    uint64_t bytes;
    char func[PROFRUN_FUNC_MAX];   /* "grow" */
    char where[PROFRUN_WHERE_MAX]; /* "variant.c:7", or the object file when no line */
};

#define PROFRUN_MAX_DEPTH 24 /* frames kept of the peak's largest branch */

struct profrun_massif {
    struct profrun_snapshot snap[PROFRUN_MAX_SNAPSHOTS];
    unsigned nsnap;
    int peak;                     /* index into snap of the peak, -1 if none */
    struct profrun_branch top[PROFRUN_MAX_BRANCHES]; /* the peak's branches, as listed */
    unsigned ntop;                /* (largest first; threshold lines left out) */
    struct profrun_branch path[PROFRUN_MAX_DEPTH]; /* the largest branch followed down, */
    unsigned npath;               /* largest child first: path[0] is top[0], then callers */
};

/* Read a massif.out file into *m. 0, or -1 (errno from fopen, or EINVAL). */
int profrun_massif_read(const char *path, struct profrun_massif *m);

/* ---- memcheck's summary ---- */

struct profrun_memcheck {
    uint64_t allocs;        /* total heap usage: A allocs */
    uint64_t frees;         /*                   F frees */
    uint64_t bytes;         /*                   B bytes allocated */
    uint64_t exit_bytes;    /* in use at exit: B bytes */
    uint64_t exit_blocks;   /*                 in N blocks */
    uint64_t errors;        /* ERROR SUMMARY: E errors */
};

/* Read memcheck's HEAP SUMMARY and ERROR SUMMARY from its log (the last ones in the
 * file). 0, or -1 (errno from fopen, or EINVAL when the lines are missing). */
int profrun_memcheck_read(const char *path, struct profrun_memcheck *s);

/* ---- callgrind.out: instructions ---- */

#define PROFRUN_MAX_WORDS 4 /* words asked for in the names of functions */

/* What callgrind counted, in its event Ir (instructions executed): in all, and for each
 * word asked for, in the functions whose name holds it ("strlen": __strlen_avx2), each
 * function's own instructions, not those of the functions it calls. A name holding two
 * words counts for the first. */
struct profrun_callgrind {
    uint64_t total;                                 /* every instruction collected */
    uint64_t self[PROFRUN_MAX_WORDS];               /* in the functions named with word i */
    char name[PROFRUN_MAX_WORDS][PROFRUN_FUNC_MAX]; /* the one of them with the most, */
};                                                  /* "" if none ran */

/* Read a callgrind.out file into *c; words end with NULL (at most PROFRUN_MAX_WORDS; NULL
 * for none). Names compressed or not (--compress-strings) are both read. 0, or -1 (errno
 * from fopen, or EINVAL for a file that is not callgrind's, or more words than allowed). */
int profrun_callgrind_read(const char *path, const char *const *words, struct profrun_callgrind *c);

/* ---- both at once: run a program under the tool, read its output ---- */

/* `valgrind --tool=massif OPTS... PROG PROG_ARGS...` as profrun_run runs it, into *m. Its
 * massif.out and log are temporary files, removed before it returns. 0, or -1 with a
 * reason in err[size] (the tool or the program failed, or the output could not be read). */
int profrun_massif(const char *const *opts, const char *prog, const char *const *prog_args,
                   const char *value, struct profrun_massif *m, char *err, size_t size);

/* `valgrind --tool=memcheck OPTS... PROG PROG_ARGS...`, its summary into *s. Like
 * profrun_massif otherwise, but the program's own exit status is not an error: memcheck's
 * summary is read whatever it was. */
int profrun_memcheck(const char *const *opts, const char *prog, const char *const *prog_args,
                     const char *value, struct profrun_memcheck *s, char *err, size_t size);

/* `valgrind --tool=callgrind OPTS... PROG PROG_ARGS...`, its callgrind.out read into *c
 * with words (profrun_callgrind_read). Like profrun_massif otherwise. */
int profrun_callgrind(const char *const *opts, const char *prog, const char *const *prog_args,
                      const char *value, const char *const *words, struct profrun_callgrind *c,
                      char *err, size_t size);

/* The three for this program's variant (prog NULL, no arguments): what the read
 * exercises and the programs that measure themselves call. */
int profrun_massif_self(const char *const *opts, const char *value, struct profrun_massif *m,
                        char *err, size_t size);
int profrun_memcheck_self(const char *const *opts, const char *value,
                          struct profrun_memcheck *s, char *err, size_t size);
int profrun_callgrind_self(const char *const *opts, const char *value, const char *const *words,
                           struct profrun_callgrind *c, char *err, size_t size);

/* ---- in a read exercise's test (after <criterion/criterion.h>) ---- */

/* Profile the variant as the exercises' massif commands do (--time-unit=B, PROFRUN_ENV=1)
 * into *m: skip the test where no Valgrind tool can run, fail it where massif failed or
 * found no peak. */
#define PROFRUN_MASSIF_VARIANT(m)                                                       \
    do {                                                                                \
        static const char *const opts_[] = {"--time-unit=B", NULL};                     \
        char why_[160];                                                                 \
        ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND);           \
        if (profrun_available(why_, sizeof why_) != 0)                                  \
            cr_skip_test("%s", why_);                                                   \
        cr_assert(profrun_massif_self(opts_, "1", (m), why_, sizeof why_) == 0,         \
                  "profiling the variant failed: %s", why_);                            \
        cr_assert((m)->peak >= 0 && (m)->ntop > 0 && (m)->npath > 0,                    \
                  "massif found no peak: the variant did not run");                     \
    } while (0)

#endif
