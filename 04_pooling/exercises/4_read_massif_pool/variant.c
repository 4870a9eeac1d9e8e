/* variant.c: the program you profile in this exercise. Answer from massif's output
 * first; read this afterwards, to check what the output told you.
 *
 * It runs, instead of the tests, when EXERCISE_VARIANT is set (see exercise.c). */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pool.h"
#include "profrun.h"

#define BUF 4096     /* bytes per request buffer */
#define KEEP 8       /* free buffers the pool keeps */
#define BURST 32     /* requests in flight at the busiest moment */
#define STEADY 4     /* requests in flight the rest of the time */
#define ROUNDS 500   /* rounds of the steady load */

static struct pool requests;

/* n requests in flight at once, each with a buffer from the pool, then all answered. */
static int serve(size_t n)
{
    void *held[BURST];
    size_t got;
    int rc = 0;

    for (got = 0; got < n; got++) {
        held[got] = pool_get(&requests);
        if (held[got] == NULL) {
            rc = -1;
            break;
        }
        memset(held[got], 'r', BUF);
    }
    while (got > 0)
        pool_put(&requests, held[--got]);
    return rc;
}

/* The morning rush: every request of the burst at once. */
static int rush(void)
{
    return serve(BURST);
}

/* The rest of the day. */
static int steady(void)
{
    for (int r = 0; r < ROUNDS; r++)
        if (serve(STEADY) != 0)
            return -1;
    return 0;
}

/* The pool lives as long as the server, here until the program exits. */
int variant_main(void)
{
    pool_init(&requests, &(struct pool_config){.size = BUF, .cap = KEEP});
    if (steady() != 0 || rush() != 0 || steady() != 0)
        return 1;
    return 0;
}

__attribute__((constructor)) static void variant_start(void)
{
    if (getenv(PROFRUN_ENV) != NULL)
        _exit(variant_main());
}
