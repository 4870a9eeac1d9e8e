/* driver: the side-by-side program each lesson's main is. A lesson describes its jobs,
 * each a heavy and a light side with a result check; the driver does the rest, the same
 * way for every lesson:
 *
 *   main [--heavy|--light] [N]     both sides by default; --heavy or --light runs one
 *                                  (massif and heaptrack profile them one at a time)
 *
 *   - the arguments, checked once (cli.h): bad input gets one line naming the argument
 *     and its range, and exit status 2; stdout is closed and checked at exit;
 *   - each side measured by report_measure and the sides printed by report_table;
 *   - a side that runs out of memory ends the program with cli_oom's message, status 1;
 *   - the results compared: "same output from both: yes", or "NO (a bug)" and status 1;
 *   - where the operating system's figures must be each side's own (lesson 02), each side
 *     in a process of its own.
 *
 * main.c keeps what is the lesson's own: its intro lines, its jobs, its extra rows. */
#ifndef DRIVER_H
#define DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"

#define DRIVER_SIDES 4 /* columns of a job: heavy, light, and up to two between them */

/* The program: its name and its N. */
struct driver_prog {
    const char *name;          /* starts every message: "04_pooling: ..." */
    uint64_t default_n;        /* N when none is given */
    uint64_t max_n;            /* the largest N accepted; the smallest is 1 */
    const char *option;        /* one more flag, accepted after the side ("--sites"), or NULL */
    bool fork;                 /* both sides: each in a forked process, sending back its
                                  report_run, digest and ctx (struct driver_job's ctx_size) */
};

/* What the command line asked for. */
struct driver {
    const struct driver_prog *prog;
    bool heavy, light;         /* the sides that run */
    bool option;               /* prog->option was given */
    bool n_given;              /* N came from the command line */
    uint64_t n;
};

/* One side of a job: a column of the table. */
struct driver_side {
    const char *name;          /* the column's heading: "heavy", "boxed", "x1.5" */
    /* The measured work: 0, or non-zero when an allocation failed (having freed what it
     * took). It may set *digest to a digest of its result, for the default check. */
    int (*run)(void *ctx, uint64_t n, uint64_t *digest);
    void *ctx;
    const char *oom;           /* "out of memory while OOM"; NULL: the job's */
};

/* What a job's sides did, in the order they ran. */
struct driver_result {
    size_t n;                               /* sides that ran */
    int side[DRIVER_SIDES];                 /* run[i] is the job's side[side[i]] */
    struct report_run run[DRIVER_SIDES];
    uint64_t digest[DRIVER_SIDES];
};

struct driver_job;

/* The lesson's hooks; each may be NULL. */
typedef void driver_intro_fn(const struct driver *d, const struct driver_job *job);
typedef void driver_rows_fn(const struct driver *d, const struct driver_job *job,
                            const struct driver_result *r);
typedef int driver_check_fn(const struct driver *d, const struct driver_job *job,
                            const struct driver_result *r);
typedef void driver_done_fn(const struct driver_job *job);

/* One job: a table, its extra rows and its check line. */
struct driver_job {
    const char *title;         /* printed first, as it is */
    driver_intro_fn *intro;    /* then this: intro lines, and the job's input if it has one */
    /* Heavy first, light last, a NULL name after it. The sides between run only when
     * both do (lesson 01's x1.5 and x2 between "by one" and "reserved"). */
    struct driver_side side[DRIVER_SIDES];
    const char *oom;           /* what the job does, for cli_oom: "handling requests" */
    driver_rows_fn *rows;      /* rows under the table, in its column widths */
    /* The check line, "SAME: yes" or "SAME: NO (a bug)", e.g. "same output from both". */
    const char *same;
    /* 1: the results agree, 0: they do not, -1: nothing to compare (no line). NULL: when
     * every side ran, their digests must be equal. */
    driver_check_fn *check;
    driver_done_fn *done;      /* frees what intro made: after the check, and before cli_oom */
    void *arg;                 /* the lesson's, for its hooks */
    size_t ctx_size;           /* with prog->fork: the bytes of each side's ctx sent back */
    bool quiet;                /* run the sides, print and check nothing (02's --sites) */
};

/* Parse `[--heavy|--light] [OPTION] [N]` into *d, or exit 2 with cli's one-line message.
 * Calls cli_close_stdout_at_exit first. */
void driver_args(struct driver *d, const struct driver_prog *prog, int argc, char **argv);

/* Run the job as described above: intro, the chosen sides, the table, the rows, the check
 * line. Returns 0, or 1 when the results differ. Out of memory ends the program. */
int driver_job(const struct driver *d, const struct driver_job *job);

/* driver_job on jobs[0..n) in turn; returns 1 if any results differed. */
int driver_jobs(const struct driver *d, const struct driver_job *jobs, size_t n);

#endif
