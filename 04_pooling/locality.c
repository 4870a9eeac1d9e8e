/* locality.c: the five ways of locality.h. Each builder links node i (walk order) to node
 * i + 1 and gives it the value i; they differ only in where the nodes are. */
#include "locality.h"

#include <stdlib.h>

#include "shuffle.h"

#define ARENA_MIN_CHUNK 1024 /* arena_init's smallest chunk */
#define ARENA_HEADER 64      /* room for the arena's chunk header */

/* Mixed sizes, so that freed blocks leave holes of several size classes: the two below
 * 25 bytes are the size of a node's chunk, the holes a node can fall into. */
const size_t loc_churn_sizes[LOC_CHURN_KINDS] = {24, 100, 16, 256, 40, 24, 512, 72};

static const char *const way_names[LOC_WAYS] = {
    [LOC_MALLOC_ORDER] = "malloc, in order",
    [LOC_MALLOC_SHUFFLED] = "malloc, shuffled",
    [LOC_MALLOC_AGED] = "malloc, aged heap",
    [LOC_ARENA] = "arena, in order",
    [LOC_ARRAY] = "array",
};

const char *loc_way_name(enum loc_way way)
{
    return (unsigned)way < LOC_WAYS ? way_names[way] : "?";
}

size_t loc_arena_chunk(size_t n)
{
    size_t bytes = n * sizeof(struct loc_node) + ARENA_HEADER;

    return bytes < ARENA_MIN_CHUNK ? ARENA_MIN_CHUNK : bytes;
}

static void free_nodes(struct loc_node *p)
{
    while (p != NULL) {
        struct loc_node *next = p->next;
        free(p);
        p = next;
    }
}

/* n nodes, each malloc'd and appended: the list in allocation order. */
static struct loc_node *build_in_order(size_t n)
{
    struct loc_node *head = NULL, **tail = &head;

    for (size_t i = 0; i < n; i++) {
        struct loc_node *p = malloc(sizeof *p);
        if (p == NULL) {
            free_nodes(head);
            return NULL;
        }
        *p = (struct loc_node){.next = NULL, .value = i};
        *tail = p;
        tail = &p->next;
    }
    return head;
}

/* n nodes malloc'd in order, then linked in the order a shuffle of them gives. */
static struct loc_node *build_shuffled(size_t n, uint64_t seed)
{
    struct loc_node **v = malloc(n * sizeof *v), *head;

    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        v[i] = malloc(sizeof *v[i]);
        if (v[i] == NULL) {
            while (i-- > 0)
                free(v[i]);
            free(v);
            return NULL;
        }
    }
    for (size_t i = n; i > 1; i--) { /* Fisher-Yates, as shuffle_indices */
        size_t j = (size_t)(shuffle_rand(&seed) % i);
        struct loc_node *t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
    for (size_t i = 0; i < n; i++)
        *v[i] = (struct loc_node){.next = i + 1 < n ? v[i + 1] : NULL, .value = i};
    head = v[0];
    free(v);
    return head;
}

/* n nodes malloc'd in order, each after one churn block freed and another allocated
 * (see LOC_CHURN_LIVE): glibc hands the node a hole when one of its size is free. */
static struct loc_node *build_aged(size_t n, uint64_t seed)
{
    void *live[LOC_CHURN_LIVE] = {0};
    struct loc_node *head = NULL, **tail = &head;
    size_t k = 0; /* churn blocks allocated so far */
    int ok = 1;

    for (; k < LOC_CHURN_LIVE && ok; k++)
        ok = (live[k] = malloc(loc_churn_sizes[k % LOC_CHURN_KINDS])) != NULL;
    for (size_t i = 0; i < n && ok; i++, k++) {
        size_t slot = (size_t)(shuffle_rand(&seed) % LOC_CHURN_LIVE);
        struct loc_node *p;

        free(live[slot]);
        live[slot] = malloc(loc_churn_sizes[k % LOC_CHURN_KINDS]);
        p = live[slot] != NULL ? malloc(sizeof *p) : NULL;
        if (p == NULL) {
            ok = 0;
            break;
        }
        *p = (struct loc_node){.next = NULL, .value = i};
        *tail = p;
        tail = &p->next;
    }
    for (size_t s = 0; s < LOC_CHURN_LIVE; s++)
        free(live[s]);
    if (!ok) {
        free_nodes(head);
        return NULL;
    }
    return head;
}

/* n nodes bumped from one arena chunk that holds them all, in order. */
static int build_arena(struct loc_list *l, size_t n)
{
    struct loc_node **tail = &l->head;

    arena_init(&l->arena, loc_arena_chunk(n));
    for (size_t i = 0; i < n; i++) {
        struct loc_node *p = arena_alloc(&l->arena, sizeof *p);
        if (p == NULL) {
            arena_destroy(&l->arena);
            l->head = NULL;
            return -1;
        }
        *p = (struct loc_node){.next = NULL, .value = i};
        *tail = p;
        tail = &p->next;
    }
    return 0;
}

int loc_build(struct loc_list *l, enum loc_way way, size_t n, uint64_t seed)
{
    int rc = 0;

    *l = (struct loc_list){.way = way};
    arena_init(&l->arena, 0);
    if (n > SIZE_MAX / 2 / sizeof(struct loc_node))
        return -1; /* its bytes could not be counted */
    if (n == 0)
        return 0;
    switch (way) {
    case LOC_MALLOC_ORDER:
        rc = (l->head = build_in_order(n)) != NULL ? 0 : -1;
        break;
    case LOC_MALLOC_SHUFFLED:
        rc = (l->head = build_shuffled(n, seed)) != NULL ? 0 : -1;
        break;
    case LOC_MALLOC_AGED:
        rc = (l->head = build_aged(n, seed)) != NULL ? 0 : -1;
        break;
    case LOC_ARENA:
        rc = build_arena(l, n);
        break;
    case LOC_ARRAY:
        l->values = malloc(n * sizeof *l->values);
        if (l->values == NULL)
            return -1;
        for (size_t i = 0; i < n; i++)
            l->values[i] = i;
        break;
    default:
        rc = -1;
    }
    if (rc == 0)
        l->n = n;
    return rc;
}

void loc_free(struct loc_list *l)
{
    if (l->way == LOC_ARENA)
        arena_destroy(&l->arena);
    else
        free_nodes(l->head);
    free(l->values);
    *l = (struct loc_list){.way = l->way};
    arena_init(&l->arena, 0);
}

uint64_t loc_sum(const struct loc_list *l)
{
    uint64_t s = 0;

    if (l->way == LOC_ARRAY) {
        for (size_t i = 0; i < l->n; i++)
            s += l->values[i];
        return s;
    }
    for (const struct loc_node *p = l->head; p != NULL; p = p->next)
        s += p->value;
    return s;
}

size_t loc_near_links(const struct loc_list *l)
{
    size_t near = 0;

    if (l->way == LOC_ARRAY)
        return l->n > 0 ? l->n - 1 : 0;
    for (const struct loc_node *p = l->head; p != NULL && p->next != NULL; p = p->next) {
        uintptr_t a = (uintptr_t)p, b = (uintptr_t)p->next;
        near += b > a && b - a <= LOC_NEAR;
    }
    return near;
}
