/* pooling.h: the two jobs of lesson 04, each done allocation-heavy (heavy.c) and
 * allocation-light (light.c) with the same results.
 *   requests: n requests, REQUEST_INFLIGHT at a time, each writing its response into a
 *             REQUEST_BUF-byte scratch buffer. heavy: malloc+free per request; light: a
 *             pool (pool.h), so only the first REQUEST_INFLIGHT requests allocate.
 *   nodes:    n 64-byte list nodes, built and walked NODES_PER_ROUND at a time, then all
 *             dropped. heavy: malloc per node, free per node; light: an arena (arena.h),
 *             reset after each round, so only the first round allocates (one chunk).
 * Every function returns 0 and sets *digest, or returns -1 when memory runs out, having
 * freed all it took and left *digest alone. */
#ifndef POOLING_H
#define POOLING_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h" /* the digest: hash_fnv_words from HASH_FNV_START */

#define REQUEST_BUF 4096      /* bytes of scratch buffer per request */
#define REQUEST_INFLIGHT 8    /* requests handled at once */
#define NODES_PER_ROUND 1000  /* nodes built, walked and dropped together */

struct node {                 /* 64 bytes */
    struct node *next;
    uint64_t key;
    char payload[48];
};

int heavy_requests(uint64_t n, uint64_t *digest);
int light_requests(uint64_t n, uint64_t *digest);
int heavy_nodes(uint64_t n, uint64_t *digest);
int light_nodes(uint64_t n, uint64_t *digest);

/* Write request id's response into buf (at least REQUEST_BUF bytes); returns its length. */
size_t pooling_respond(char *buf, uint64_t id);

/* Fill a fresh node for key. */
void pooling_node_fill(struct node *nd, uint64_t key, struct node *next);

#endif
