/* Fix the worker: its SIGALRM handler logs the event itself, with a malloc, and hangs the
 * process when the tick lands inside the worker's own malloc (with a second thread alive).
 *
 * Make the handler only note the tick (the worker's ticks, a volatile sig_atomic_t), and
 * let worker_step log the events of the ticks it finds noted, after its work. */
#include "exercise.h"

#include <errno.h>
#include <stdlib.h>

static struct worker *current; /* the worker the handler logs for */

/* Push the event of tick `tick` on the log: one malloc. 0, or -1 (ENOMEM). */
static int log_event(struct worker *w, uint64_t tick)
{
    struct event *e = malloc(sizeof *e);

    if (e == NULL)
        return -1;
    e->tick = tick;
    e->next = w->log;
    w->log = e;
    w->logged++;
    return 0;
}

static void on_tick(int sig)
{
    int saved = errno;

    (void)sig;
    current->ticks++;
    log_event(current, (uint64_t)current->ticks); /* a malloc, inside a signal handler */
    errno = saved;
}

int worker_start(struct worker *w)
{
    struct sigaction sa = {.sa_handler = on_tick, .sa_flags = SA_RESTART};

    w->ticks = 0;
    w->logged = 0;
    w->log = NULL;
    w->steps = 0;
    current = w;
    sigemptyset(&sa.sa_mask);
    return sigaction(WORKER_SIGNAL, &sa, NULL);
}

int worker_step(struct worker *w)
{
    volatile char *p = malloc(WORKER_BLOCK);

    if (p == NULL)
        return -1;
    p[0] = 1;
    free((void *)p);
    w->steps++;
    return 0;
}

void worker_stop(struct worker *w)
{
    signal(WORKER_SIGNAL, SIG_DFL);
    while (w->log != NULL) {
        struct event *e = w->log;

        w->log = e->next;
        free(e);
    }
    w->logged = 0;
    current = NULL;
}
