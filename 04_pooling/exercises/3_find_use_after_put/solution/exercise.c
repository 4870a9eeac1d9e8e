/* exercise.c: the handler without its use-after-put. method and path point into the
 * request buffer, and pool_put writes the free list's link into that buffer's first
 * word: the method was overwritten as soon as the buffer went back. The buffer is now
 * put back after the reply is written. */
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
    n = snprintf(reply, cap, "%s %s: %s", method, path, route(path));
    pool_put(&s->bufs, req); /* method and path point into req: put it after the last use */
    s->served++;
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

void server_destroy(struct server *s)
{
    pool_destroy(&s->bufs);
}
