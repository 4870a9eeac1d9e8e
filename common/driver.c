/* driver.c: see driver.h. */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"
#include "cli.h"

void driver_args(struct driver *d, const struct driver_prog *prog, int argc, char **argv)
{
    char usage[64];
    int argi;

    cli_close_stdout_at_exit(prog->name);
    *d = (struct driver){.prog = prog, .n = prog->default_n};
    argi = cli_side(argc, argv, &d->heavy, &d->light);
    if (prog->option != NULL && argi < argc && strcmp(argv[argi], prog->option) == 0) {
        d->option = true;
        argi++;
    }
    if (prog->option != NULL)
        snprintf(usage, sizeof usage, "[--heavy|--light] [%s] [N]", prog->option);
    else
        snprintf(usage, sizeof usage, "[--heavy|--light] [N]");
    cli_max_args(prog->name, argc - argi + 1, 1, usage);
    if (argi < argc) {
        d->n = cli_u64(prog->name, "N", argv[argi], 1, prog->max_n);
        d->n_given = true;
    }
}

/* One side's run as report_measure calls it. */
struct call {
    const struct driver_side *side;
    uint64_t n;
    uint64_t digest;
};

static int call_side(void *arg)
{
    struct call *c = arg;

    return c->side->run(c->side->ctx, c->n, &c->digest);
}

/* Measure side i here; out of memory ends the program, after the job's done hook. */
static void run_here(const struct driver *d, const struct driver_job *job, int i,
                     struct report_run *run, uint64_t *digest)
{
    const struct driver_side *s = &job->side[i];
    struct call c = {s, d->n, 0};

    if (report_measure(s->name, call_side, &c, run) != 0) {
        if (job->done != NULL)
            job->done(job);
        cli_oom(d->prog->name, s->oom != NULL ? s->oom : job->oom);
    }
    *digest = c.digest;
}

/* A side run in a child process: what it needs, and what it sends back before the bytes
 * of its ctx. */
struct forked {
    const struct driver *d;
    const struct driver_job *job;
    int i;
    struct {
        struct report_run run;
        uint64_t digest;
    } reply;
};

static int side_in_child(void *arg)
{
    struct forked *f = arg;

    memset(&f->reply, 0, sizeof f->reply); /* its padding too: all of it goes down the pipe */
    run_here(f->d, f->job, f->i, &f->reply.run, &f->reply.digest);
    fflush(stdout);
    return 0;
}

/* Measure side i in a child process (child.h), so that the operating system's figures are
 * its own, and take back what it measured and its ctx. A child that fails has said why
 * on stderr; the program then ends with its status. */
static void run_forked(const struct driver *d, const struct driver_job *job, int i,
                       struct report_run *run, uint64_t *digest)
{
    struct forked f = {d, job, i, {{0}, 0}};
    const struct child_part parts[] = {{&f.reply, sizeof f.reply},
                                       {job->side[i].ctx, job->ctx_size}};
    int status;

    fflush(stdout); /* or the child would print the parent's buffered lines again */
    if (child_run_parts(side_in_child, &f, parts, 2, &status) != 0) {
        if (status == -1) {
            fprintf(stderr, "%s: cannot start a process: %s\n", d->prog->name, strerror(errno));
            exit(1);
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
        fprintf(stderr, "%s: the %s process sent no result\n", d->prog->name, job->side[i].name);
        exit(1);
    }
    *run = f.reply.run;
    *digest = f.reply.digest;
}

/* Heavy is the first side, light the last; the ones between run only beside both. */
static bool side_runs(const struct driver *d, int i, int last)
{
    return i == 0 ? d->heavy : i == last ? d->light : d->heavy && d->light;
}

/* The default check: with every side run, their digests must all be the same. */
static int same_digests(const struct driver *d, const struct driver_result *r)
{
    if (!(d->heavy && d->light))
        return -1;
    for (size_t i = 1; i < r->n; i++) {
        if (r->digest[i] != r->digest[0])
            return 0;
    }
    return 1;
}

int driver_job(const struct driver *d, const struct driver_job *job)
{
    bool fork_each = d->prog->fork && d->heavy && d->light;
    struct driver_result r = {0};
    int last = 0, same;

    while (last + 1 < DRIVER_SIDES && job->side[last + 1].name != NULL)
        last++;
    if (job->title != NULL)
        fputs(job->title, stdout);
    if (job->intro != NULL)
        job->intro(d, job);
    for (int i = 0; i <= last; i++) {
        if (!side_runs(d, i, last))
            continue;
        r.side[r.n] = i;
        if (fork_each)
            run_forked(d, job, i, &r.run[r.n], &r.digest[r.n]);
        else
            run_here(d, job, i, &r.run[r.n], &r.digest[r.n]);
        r.n++;
    }
    if (job->quiet) {
        if (job->done != NULL)
            job->done(job);
        return 0;
    }
    report_table(stdout, r.run, r.n);
    if (job->rows != NULL)
        job->rows(d, job, &r);
    same = job->check != NULL ? job->check(d, job, &r) : same_digests(d, &r);
    if (same >= 0)
        printf("%s: %s\n", job->same, same ? "yes" : "NO (a bug)");
    if (job->done != NULL)
        job->done(job);
    return same == 0;
}

int driver_jobs(const struct driver *d, const struct driver_job *jobs, size_t n)
{
    int bad = 0;

    for (size_t i = 0; i < n; i++)
        bad |= driver_job(d, &jobs[i]);
    return bad;
}
