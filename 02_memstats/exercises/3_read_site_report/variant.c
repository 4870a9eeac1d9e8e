/* variant.c: the program whose site report you read in this exercise. Answer from the
 * report first; read this afterwards, to check what the report told you.
 *
 * Run with EXERCISE_VARIANT set, it prints its site report instead of running the tests. */
#include "exercise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profrun.h"
#include "sites.h"

#define USERS 200
#define REQUESTS 1000

struct user {
    char *name;
    unsigned long id;
    unsigned long visits;
    char country[24];
};

struct variant {
    struct user **users; /* USERS of them */
    size_t nusers;
};

static struct user *user_new(unsigned long id)
{
    char name[32];
    struct user *u = malloc(sizeof *u);

    if (u == NULL)
        return NULL;
    snprintf(name, sizeof name, "user%05lu", id);
    u->name = strdup(name);
    if (u->name == NULL) {
        free(u);
        return NULL;
    }
    u->id = id;
    u->visits = 0;
    strcpy(u->country, "nowhere");
    return u;
}

/* A request is parsed in a scratch copy, then dropped. */
static int handle_request(struct variant *v, unsigned long i)
{
    char *scratch = malloc(256);

    if (scratch == NULL)
        return -1;
    snprintf(scratch, 256, "GET /users/%lu", i % v->nusers);
    v->users[strtoul(scratch + 11, NULL, 10)]->visits++;
    free(scratch);
    return 0;
}

int variant_run(struct variant **out)
{
    struct variant *v = malloc(sizeof *v);

    if (v == NULL)
        return -1;
    v->nusers = 0;
    v->users = malloc(USERS * sizeof *v->users);
    if (v->users == NULL) {
        free(v);
        return -1;
    }
    for (unsigned long id = 0; id < USERS; id++) {
        v->users[id] = user_new(id);
        if (v->users[id] == NULL) {
            variant_free(v);
            return -1;
        }
        v->nusers++;
    }
    for (unsigned long i = 0; i < REQUESTS; i++)
        if (handle_request(v, i) != 0) {
            variant_free(v);
            return -1;
        }
    *out = v;
    return 0;
}

void variant_free(struct variant *v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->nusers; i++) {
        free(v->users[i]->name);
        free(v->users[i]);
    }
    free(v->users);
    free(v);
}

/* The report you read: the top lines by bytes live, then by allocation calls. */
static int variant_report(void)
{
    struct sites_snapshot *snap = NULL;
    struct variant *v = NULL;

    if (sites_start() != 0 || variant_run(&v) != 0 || sites_snapshot_take(&snap) != 0) {
        fprintf(stderr, "variant: out of memory\n");
        return 1;
    }
    printf("top sites by bytes live (tracemalloc's statistics('lineno'))\n");
    sites_print(stdout, snap, SITES_BY_BYTES, 5, 0);
    printf("top sites by allocation calls (heaptrack's \"most calls\")\n");
    sites_print(stdout, snap, SITES_BY_CALLS, 5, 0);
    sites_snapshot_free(snap);
    sites_stop();
    variant_free(v);
    return 0;
}

__attribute__((constructor)) static void variant_start(void)
{
    if (getenv(PROFRUN_ENV) != NULL) {
        int rc = variant_report();
        fflush(stdout);
        _exit(rc);
    }
}
