/* Find the read after pool_put in a request handler with memcheck, through the pool's
 * annotations, and fix it.
 *
 * Replies come out wrong: the method is missing or garbage. Nothing crashes, and a plain
 * run gives no clue. memcheck does: the pool in this exercise tells it which buffers
 * were put back, so it reports every read of one:
 *
 *   valgrind --trace-children=yes --soname-synonyms=somalloc=nouserintercepts \
 *       build/04_pooling/exercises/3_find_use_after_put/starter
 *
 * The first "Invalid read" names the line that reads a buffer the pool had taken back,
 * and where that buffer came from (pool_get). Find the put that came too early; fix it. */
#include "exercise.h"

#include <stdio.h>
#include <string.h>

void server_init(struct server *s)
{
    pool_init(&s->bufs, &(struct pool_config){.size = SERVER_BUF, .cap = SERVER_CAP});
    s->served = 0;
}

static const char *route(const char *path)
{
    if (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0)
        return "home";
    if (strncmp(path, "/users/", 7) == 0)
        return "users";
    return "not_found";
}

int server_handle(struct server *s, const char *request, char *reply, size_t cap)
{
    char *req = pool_get(&s->bufs);
    char *method, *path;
    int n;

    if (req == NULL)
        return -1;
    snprintf(req, SERVER_BUF, "%s", request);
    method = req;
    path = strchr(req, ' ');
    if (path == NULL) {
        pool_put(&s->bufs, req);
        return -1;
    }
    *path++ = '\0';
    path[strcspn(path, " \r\n")] = '\0';
    pool_put(&s->bufs, req); /* parsed: the buffer goes back for the next request */
    n = snprintf(reply, cap, "%s %s: %s", method, path, route(path));
    s->served++;
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

void server_destroy(struct server *s)
{
    pool_destroy(&s->bufs);
}
