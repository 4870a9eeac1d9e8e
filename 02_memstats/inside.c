/* inside.c: see inside.h. */
#include "inside.h"

#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "child.h"
#include "platform.h"
#include "procfs.h"

void *inside_glibc_malloc(size_t n)
{
    return __libc_malloc(n);
}

void inside_glibc_free(void *p)
{
    __libc_free(p);
}

int inside_arenas(void)
{
    char *xml = NULL;
    size_t len = 0;
    const char *at;
    int heaps = 0;
    bool bad;
    FILE *f = open_memstream(&xml, &len);

    if (f == NULL)
        return -1;
    bad = malloc_info(0, f) != 0;
    bad = ferror(f) || bad;          /* a write that failed: the stream had no memory */
    if (fclose(f) != 0 || bad || xml == NULL) {
        free(xml);
        return -1;
    }
    for (at = xml; (at = strstr(at, "<heap nr=")) != NULL; at++)
        heaps++;
    free(xml);
    return heaps;
}

/* ---- threads, all alive at once ---- */

#define MAX_THREADS 64

struct crowd {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int started, allocated; /* threads past each step */
    bool go, release;       /* the main thread's signals: allocate, then end */
    size_t bytes;
};

struct member {
    struct crowd *crowd;
    struct platform_chunk chunk;
    bool failed;
};

static void crowd_wait(struct crowd *c, const bool *flag)
{
    while (!*flag)
        pthread_cond_wait(&c->changed, &c->lock);
}

static void *member_run(void *arg)
{
    struct member *m = arg;
    struct crowd *c = m->crowd;
    void *p, *probe;

    pthread_mutex_lock(&c->lock);
    crowd_wait(c, &c->go); /* none allocates before all are alive */
    pthread_mutex_unlock(&c->lock);
    p = malloc(c->bytes);
    /* glibc's own block, whose header names the arena (a counted block's header is the
     * counting allocator's) */
    probe = inside_glibc_malloc(1);
    if (probe != NULL && !RUNNING_ON_VALGRIND) /* Valgrind's blocks have no glibc header */
        m->chunk = platform_chunk_of(probe);
    m->failed = p == NULL || probe == NULL;
    pthread_mutex_lock(&c->lock);
    c->allocated++;
    pthread_cond_broadcast(&c->changed);
    crowd_wait(c, &c->release); /* alive, holding its block, until the count is taken */
    pthread_mutex_unlock(&c->lock);
    inside_glibc_free(probe);
    free(p);
    return NULL;
}

int inside_threads(int n, size_t bytes, struct inside_threads_seen *seen)
{
    struct crowd c = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER,
                      .bytes = bytes};
    struct member m[MAX_THREADS];
    pthread_t t[MAX_THREADS];
    pthread_attr_t attr;
    uint64_t size0 = 0, size1 = 0, rss;
    int made = 0, rc = 0, before = inside_arenas();

    if (n < 1 || n > MAX_THREADS || before < 0 || pthread_attr_init(&attr) != 0)
        return -1;
    if (pthread_attr_setstacksize(&attr, INSIDE_STACK) != 0) {
        pthread_attr_destroy(&attr);
        return -1;
    }
    for (; made < n; made++) {
        m[made] = (struct member){.crowd = &c};
        if (pthread_create(&t[made], &attr, member_run, &m[made]) != 0)
            break;
    }
    pthread_attr_destroy(&attr);
    if (procfs_self_vm(&size0, &rss) != 0) /* the stacks are mapped, nothing allocated yet */
        rc = -1;
    pthread_mutex_lock(&c.lock);
    c.go = true; /* a short crowd still runs, so that every thread started can end */
    pthread_cond_broadcast(&c.changed);
    while (c.allocated < made)
        pthread_cond_wait(&c.changed, &c.lock);
    pthread_mutex_unlock(&c.lock);
    *seen = (struct inside_threads_seen){.arenas_before = before,
                                         .arenas = made == n ? inside_arenas() : -1};
    if (procfs_self_vm(&size1, &rss) != 0 || size1 < size0)
        rc = -1;
    else
        seen->vmsize = size1 - size0;
    pthread_mutex_lock(&c.lock);
    c.release = true;
    pthread_cond_broadcast(&c.changed);
    pthread_mutex_unlock(&c.lock);
    for (int i = 0; i < made; i++) {
        pthread_join(t[i], NULL);
        seen->other_arena += m[i].chunk.other_arena;
        if (m[i].failed)
            rc = -1;
    }
    return made < n || seen->arenas < 0 ? -1 : rc;
}

/* What inside_threads_in_child's child is asked to do, and what it sends back. */
struct threads_run {
    int arena_max, n;
    size_t bytes;
    struct inside_threads_seen seen;
};

static int threads_run(void *arg)
{
    struct threads_run *r = arg;

    if (r->arena_max > 0)
        mallopt(M_ARENA_MAX, r->arena_max);
    return inside_threads(r->n, r->bytes, &r->seen);
}

int inside_threads_in_child(int arena_max, int n, size_t bytes, struct inside_threads_seen *seen)
{
    struct threads_run r = {.arena_max = arena_max, .n = n, .bytes = bytes};

    if (child_run(threads_run, &r, sizeof r) != 0)
        return -1;
    *seen = r.seen;
    return 0;
}
