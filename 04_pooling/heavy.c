/* heavy.c: malloc and free for every request buffer and every node.
 * requests: n allocations of 4 KiB. nodes: n allocations of 64 bytes, n frees. */
#include "pooling.h"

#include <stdlib.h>

int heavy_requests(uint64_t n, uint64_t *digest)
{
    uint64_t h = HASH_FNV_START;
    char *buf[REQUEST_INFLIGHT];
    int rc = 0;

    for (uint64_t first = 0; first < n && rc == 0; first += REQUEST_INFLIGHT) {
        unsigned k = n - first < REQUEST_INFLIGHT ? (unsigned)(n - first) : REQUEST_INFLIGHT;
        unsigned got;

        for (got = 0; got < k; got++) {
            buf[got] = malloc(REQUEST_BUF);
            if (buf[got] == NULL)
                break;
            h = hash_fnv_words(h, buf[got], pooling_respond(buf[got], first + got));
        }
        for (unsigned j = 0; j < got; j++)
            free(buf[j]);
        if (got < k)
            rc = -1;
    }
    if (rc == 0)
        *digest = h;
    return rc;
}

int heavy_nodes(uint64_t n, uint64_t *digest)
{
    uint64_t h = HASH_FNV_START;
    int rc = 0;

    for (uint64_t first = 0; first < n && rc == 0; first += NODES_PER_ROUND) {
        uint64_t k = n - first < NODES_PER_ROUND ? n - first : NODES_PER_ROUND;
        struct node *list = NULL;

        for (uint64_t i = 0; i < k; i++) {
            struct node *nd = malloc(sizeof *nd);
            if (nd == NULL) {
                rc = -1;
                break;
            }
            pooling_node_fill(nd, first + i, list);
            list = nd;
        }
        for (struct node *nd = list; nd != NULL; nd = nd->next)
            h = hash_fnv_words(h, &nd->key, sizeof nd->key);
        while (list != NULL) { /* one free per node */
            struct node *next = list->next;
            free(list);
            list = next;
        }
    }
    if (rc == 0)
        *digest = h;
    return rc;
}
