/* locality: one linked list of n values, its nodes placed five ways, and the same walk
 * over each, to show that where the allocator put the nodes decides what a walk costs.
 * The caller keeps struct loc_list where it likes; the list owns its nodes (or its array)
 * until loc_free. When malloc fails, loc_build returns -1, frees what it took, and leaves
 * the list empty.
 *
 *   struct loc_list l;
 *   if (loc_build(&l, LOC_ARENA, n, seed) == 0) {
 *       uint64_t s = loc_sum(&l);          // 0 + 1 + ... + n-1, whatever the way
 *       loc_free(&l);
 *   }
 *
 * Node i of the list (in walk order) holds the value i, so every way's sum is n(n-1)/2. */
#ifndef LOCALITY_H
#define LOCALITY_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct loc_node {
    struct loc_node *next; /* the next node in walk order, NULL after the last */
    uint64_t value;
};

enum loc_way {
    LOC_MALLOC_ORDER,    /* n mallocs, linked in the order they were made */
    LOC_MALLOC_SHUFFLED, /* n mallocs, linked in a shuffled order; 1 scratch array, freed */
    LOC_MALLOC_AGED,     /* n mallocs, each after a block of churn freed and allocated */
    LOC_ARENA,           /* n nodes bumped, in order, from an arena of one chunk */
    LOC_ARRAY,           /* no nodes: the n values in one array */
    LOC_WAYS
};

/* The aged heap's churn: LOC_CHURN_LIVE blocks allocated first; then, before each node,
 * one of them (picked by the seed) freed and another allocated in its place. Churn block
 * k (counting from 0, the first LOC_CHURN_LIVE included) is loc_churn_sizes[k %
 * LOC_CHURN_KINDS] bytes. All of it is freed when the list is built. */
#define LOC_CHURN_LIVE 64
#define LOC_CHURN_KINDS 8
extern const size_t loc_churn_sizes[LOC_CHURN_KINDS];

/* "near": a next node that starts 1 to LOC_NEAR bytes after the node before it, which is
 * where a walk that reads memory in order finds it (the same or the next cache line). */
#define LOC_NEAR 64

struct loc_list {
    enum loc_way way;
    size_t n;              /* values in the list */
    struct loc_node *head; /* the first node (every way but LOC_ARRAY), NULL when n == 0 */
    uint64_t *values;      /* LOC_ARRAY's values */
    struct arena arena;    /* LOC_ARENA's nodes */
};

/* The way's name as the demo prints it: "malloc, in order", ... */
const char *loc_way_name(enum loc_way way);

/* Build the list of n values (n may be 0) the given way; seed picks the shuffle and the
 * churn (non-zero). Allocations, for n > 0:
 *   LOC_MALLOC_ORDER     n, of sizeof(struct loc_node) bytes
 *   LOC_MALLOC_SHUFFLED  n + 1: the nodes, and n pointers of scratch (freed before return)
 *   LOC_MALLOC_AGED      n + LOC_CHURN_LIVE + n: the nodes and the churn (churn all freed)
 *   LOC_ARENA            1: a chunk of loc_arena_chunk(n) bytes
 *   LOC_ARRAY            1: n * sizeof(uint64_t) bytes
 * 0 on success; -1 when an allocation failed (or n is too large to count in bytes), with
 * nothing held and l->n == 0. */
int loc_build(struct loc_list *l, enum loc_way way, size_t n, uint64_t seed);

/* Free everything the list holds; it is then empty. Safe on an empty list. */
void loc_free(struct loc_list *l);

/* The values summed in walk order: the walk the demo times. Allocates nothing. */
uint64_t loc_sum(const struct loc_list *l);

/* How many of the list's n - 1 next pointers point LOC_NEAR bytes ahead or less
 * (see LOC_NEAR); for LOC_ARRAY, every step is near. */
size_t loc_near_links(const struct loc_list *l);

/* The chunk size LOC_ARENA asks for: n nodes and the arena's chunk header. */
size_t loc_arena_chunk(size_t n);

#endif
