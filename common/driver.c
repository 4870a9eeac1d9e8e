/* driver.c: see driver.h. */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* What a forked side sends back, before the bytes of its ctx. */
struct reply {
    struct report_run run;
    uint64_t digest;
};

static bool read_all(int fd, void *buf, size_t size)
{
    size_t got = 0;

    while (got < size) {
        ssize_t k = read(fd, (char *)buf + got, size - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        got += (size_t)k;
    }
    return true;
}

/* Measure side i in a child process, so that the operating system's figures are its own,
 * and take back what it measured. A child that fails has said why on stderr; the program
 * then ends with its status. */
static void run_forked(const struct driver *d, const struct driver_job *job, int i,
                       struct report_run *run, uint64_t *digest)
{
    struct reply r;
    int fd[2], status;
    bool got;
    pid_t pid;

    fflush(stdout); /* or the child would print the parent's buffered lines again */
    if (pipe(fd) != 0 || (pid = fork()) < 0) {
        fprintf(stderr, "%s: cannot start a process: %s\n", d->prog->name, strerror(errno));
        exit(1);
    }
    if (pid == 0) {
        memset(&r, 0, sizeof r); /* its padding too: all of it goes down the pipe */
        close(fd[0]);
        run_here(d, job, i, &r.run, &r.digest);
        got = write(fd[1], &r, sizeof r) == (ssize_t)sizeof r &&
              write(fd[1], job->side[i].ctx, job->ctx_size) == (ssize_t)job->ctx_size;
        fflush(stdout);
        _exit(got ? 0 : 1);
    }
    close(fd[1]);
    got = read_all(fd[0], &r, sizeof r) && read_all(fd[0], job->side[i].ctx, job->ctx_size);
    close(fd[0]);
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        exit(WIFEXITED(status) && WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : 1);
    if (!got) {
        fprintf(stderr, "%s: the %s process sent no result\n", d->prog->name, job->side[i].name);
        exit(1);
    }
    *run = r.run;
    *digest = r.digest;
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
