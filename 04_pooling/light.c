/* light.c: a pool for the request buffers, an arena for the nodes.
 * requests: REQUEST_INFLIGHT allocations of 4 KiB in all. nodes: one 64 KiB chunk. */
#include "pooling.h"

#include "arena.h"
#include "pool.h"

int light_requests(uint64_t n, uint64_t *digest)
{
    uint64_t h = HASH_FNV_START;
    char *buf[REQUEST_INFLIGHT];
    int rc = 0;
    struct pool pool;

    pool_init(&pool, &(struct pool_config){.size = REQUEST_BUF, .cap = REQUEST_INFLIGHT});
    for (uint64_t first = 0; first < n && rc == 0; first += REQUEST_INFLIGHT) {
        unsigned k = n - first < REQUEST_INFLIGHT ? (unsigned)(n - first) : REQUEST_INFLIGHT;
        unsigned got;

        for (got = 0; got < k; got++) {
            buf[got] = pool_get(&pool);
            if (buf[got] == NULL)
                break;
            h = hash_fnv_words(h, buf[got], pooling_respond(buf[got], first + got));
        }
        for (unsigned j = 0; j < got; j++)
            pool_put(&pool, buf[j]);
        if (got < k)
            rc = -1;
    }
    pool_destroy(&pool);
    if (rc == 0)
        *digest = h;
    return rc;
}

int light_nodes(uint64_t n, uint64_t *digest)
{
    uint64_t h = HASH_FNV_START;
    int rc = 0;
    struct arena arena;

    arena_init(&arena, 0);
    for (uint64_t first = 0; first < n && rc == 0; first += NODES_PER_ROUND) {
        uint64_t k = n - first < NODES_PER_ROUND ? n - first : NODES_PER_ROUND;
        struct node *list = NULL;

        for (uint64_t i = 0; i < k; i++) {
            struct node *nd = arena_alloc(&arena, sizeof *nd);
            if (nd == NULL) {
                rc = -1;
                break;
            }
            pooling_node_fill(nd, first + i, list);
            list = nd;
        }
        for (struct node *nd = list; nd != NULL; nd = nd->next)
            h = hash_fnv_words(h, &nd->key, sizeof nd->key);
        arena_reset(&arena); /* every node at once; the chunk stays for the next round */
    }
    arena_destroy(&arena);
    if (rc == 0)
        *digest = h;
    return rc;
}
