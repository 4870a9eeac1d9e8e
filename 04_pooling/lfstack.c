/* lfstack.c: a Treiber stack with a naive head and a tagged one, and the ABA
 * interleaving replayed in one thread. See lfstack.h for the contract. */
#include "lfstack.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IDX_MASK UINT64_C(0xffffffff)

static struct lfnode *node_at(const struct lfstack *s, size_t i)
{
    return (struct lfnode *)(s->mem + i * s->size);
}

/* The head word that puts node p (NULL: none) on top with generation gen. */
static uint64_t tag_word(const struct lfstack *s, const struct lfnode *p, uint64_t gen)
{
    uint64_t idx = p == NULL ? 0 : (uint64_t)lfstack_index(s, p) + 1;

    return gen << 32 | idx;
}

static struct lfnode *word_node(const struct lfstack *s, uint64_t w)
{
    uint64_t idx = w & IDX_MASK;

    return idx == 0 ? NULL : node_at(s, (size_t)(idx - 1));
}

size_t lfstack_bytes(size_t n, size_t size)
{
    if (n == 0 || n > LFSTACK_MAX_NODES || size == 0 || size % LFSTACK_MIN_SIZE != 0 ||
        size > SIZE_MAX / n)
        return 0;
    return n * size;
}

int lfstack_init(struct lfstack *s, size_t n, size_t size, enum lfstack_kind kind)
{
    size_t bytes = lfstack_bytes(n, size);
    struct lfstack t = {NULL, n, size, kind, NULL, 0};

    if (bytes == 0 || (kind != LFSTACK_NAIVE && kind != LFSTACK_TAGGED)) {
        errno = EINVAL;
        return -1;
    }
    t.mem = malloc(bytes); /* the only allocation: every node */
    if (t.mem == NULL)
        return -1;
    *s = t;
    for (size_t i = n; i-- > 0;) /* node 0 ends on top */
        lfstack_push(s, node_at(s, i));
    return 0;
}

void lfstack_destroy(struct lfstack *s)
{
    free(s->mem);
    s->mem = NULL;
    s->n = 0;
    atomic_store(&s->head, NULL);
    atomic_store(&s->word, 0);
}

bool lfstack_pop_begin(struct lfstack *s, struct lfstack_pop *t)
{
    if (s->kind == LFSTACK_NAIVE) {
        t->word = 0;
        t->node = atomic_load(&s->head);
    } else {
        t->word = atomic_load(&s->word);
        t->node = word_node(s, t->word);
    }
    if (t->node == NULL)
        return false;
    /* The node may be popped and pushed by another thread meanwhile: its memory stays
     * the block's, so the read is safe, and the commit finds out whether it was current. */
    t->next = atomic_load(&t->node->next);
    return true;
}

bool lfstack_pop_commit(struct lfstack *s, const struct lfstack_pop *t)
{
    if (s->kind == LFSTACK_NAIVE) {
        struct lfnode *want = t->node;

        /* Only the pointer is compared: the ABA problem. */
        return atomic_compare_exchange_strong(&s->head, &want, t->next);
    }
    uint64_t want = t->word;

    return atomic_compare_exchange_strong(&s->word, &want, tag_word(s, t->next, (want >> 32) + 1));
}

void *lfstack_pop(struct lfstack *s)
{
    struct lfstack_pop t;

    while (lfstack_pop_begin(s, &t))
        if (lfstack_pop_commit(s, &t))
            return t.node;
    return NULL;
}

void lfstack_push(struct lfstack *s, void *p)
{
    struct lfnode *node = p;

    if (s->kind == LFSTACK_NAIVE) {
        struct lfnode *top = atomic_load(&s->head);

        do
            atomic_store(&node->next, top);
        while (!atomic_compare_exchange_weak(&s->head, &top, node));
        return;
    }
    uint64_t w = atomic_load(&s->word);

    do
        atomic_store(&node->next, word_node(s, w));
    while (!atomic_compare_exchange_weak(&s->word, &w, tag_word(s, node, (w >> 32) + 1)));
}

size_t lfstack_index(const struct lfstack *s, const void *p)
{
    uintptr_t a = (uintptr_t)p, base = (uintptr_t)s->mem;

    if (p == NULL || s->mem == NULL || a < base || a - base >= s->n * s->size ||
        (a - base) % s->size != 0)
        return LFSTACK_NONE;
    return (size_t)((a - base) / s->size);
}

uint32_t lfstack_gen(const struct lfstack *s)
{
    return s->kind == LFSTACK_TAGGED ? (uint32_t)(atomic_load(&s->word) >> 32) : 0;
}

size_t lfstack_walk(const struct lfstack *s, size_t *order, size_t max)
{
    struct lfnode *p = s->kind == LFSTACK_NAIVE ? atomic_load(&s->head) : word_node(s, atomic_load(&s->word));
    size_t met = 0;

    while (p != NULL && met <= s->n) {
        size_t i = lfstack_index(s, p);

        if (i == LFSTACK_NONE)
            break;
        for (size_t j = 0; j < met && j < max && order != NULL; j++)
            if (order[j] == i)
                return met; /* met twice: a cycle */
        if (order != NULL && met < max)
            order[met] = i;
        met++;
        p = atomic_load(&p->next);
    }
    return met;
}

/* ---- the replays ---- */

int lfstack_replay(enum lfstack_kind kind, size_t n, struct lfstack_replay *r)
{
    struct lfstack s;
    struct lfstack_replay out;
    struct lfstack_pop t1;
    void *a, *b;

    if (n < 3 || n > 26) {
        errno = EINVAL;
        return -1;
    }
    if (lfstack_init(&s, n, LFSTACK_MIN_SIZE, kind) != 0)
        return -1;
    memset(&out, 0, sizeof out);
    lfstack_pop_begin(&s, &t1); /* T1: reads A, next B; then it is preempted */
    out.gen_begin = lfstack_gen(&s);
    a = lfstack_pop(&s); /* T2: pops A */
    b = lfstack_pop(&s); /* T2: pops B, and keeps it */
    lfstack_push(&s, a); /* T2: pushes A back: the head is A again */
    out.gen_commit = lfstack_gen(&s);
    out.t2_holds = lfstack_index(&s, b);
    out.commit_ok = lfstack_pop_commit(&s, &t1); /* T1 resumes */
    if (!out.commit_ok) {
        do { /* T1 begins again, as lfstack_pop would */
            out.retries++;
            lfstack_pop_begin(&s, &t1);
        } while (!lfstack_pop_commit(&s, &t1));
    }
    out.t1_got = lfstack_index(&s, t1.node);
    out.listed = lfstack_walk(&s, out.order, sizeof out.order / sizeof out.order[0]);
    out.next_pop = lfstack_index(&s, lfstack_pop(&s));
    lfstack_destroy(&s);
    *r = out;
    return 0;
}

int lfstack_replay_heap(size_t size, struct lfstack_heap_replay *r)
{
    struct lfstack s = {NULL, 0, size, LFSTACK_NAIVE, NULL, 0}; /* no block: nodes from malloc */
    struct lfnode *a, *b, *c, *a2;
    struct lfstack_pop t1;
    struct lfstack_heap_replay out;
    uintptr_t a_addr;

    if (size < LFSTACK_MIN_SIZE) {
        errno = EINVAL;
        return -1;
    }
    c = malloc(size);
    b = c != NULL ? malloc(size) : NULL;
    a = b != NULL ? malloc(size) : NULL;
    if (a == NULL) {
        free(b);
        free(c);
        return -1;
    }
    lfstack_push(&s, c);
    lfstack_push(&s, b);
    lfstack_push(&s, a);
    lfstack_pop_begin(&s, &t1); /* T1: reads A, next B */
    lfstack_pop(&s);            /* T2: pops A */
    lfstack_pop(&s);            /* T2: pops B, and keeps it */
    a_addr = (uintptr_t)a;
    free(a);                    /* T2: frees A */
    a2 = malloc(size);          /* T2: a new node of the same size */
    if (a2 == NULL) {
        free(b);
        free(c);
        return -1;
    }
    out.same_address = (uintptr_t)a2 == a_addr;
    lfstack_push(&s, a2);       /* T2: pushes it */
    out.commit_ok = lfstack_pop_commit(&s, &t1); /* T1 resumes */
    out.head_is_held = atomic_load(&s.head) == b;
    free(a2);
    free(b);
    free(c);
    *r = out;
    return 0;
}
