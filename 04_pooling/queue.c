/* queue.c: the two FIFOs of queue.h, a list of nodes and a ring grown by doubling. */
#include "queue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- the list ---- */

int qlist_push(struct qlist *q, uint64_t v)
{
    struct qlist_node *n = malloc(sizeof *n); /* the cost: one malloc per item */

    if (n == NULL)
        return -1;
    n->next = NULL;
    n->val = v;
    if (q->tail != NULL)
        q->tail->next = n;
    else
        q->head = n;
    q->tail = n;
    q->len++;
    return 0;
}

bool qlist_pop(struct qlist *q, uint64_t *v)
{
    struct qlist_node *n = q->head;

    if (n == NULL)
        return false;
    if (v != NULL)
        *v = n->val;
    q->head = n->next;
    if (q->head == NULL)
        q->tail = NULL;
    q->len--;
    free(n); /* and one free per item */
    return true;
}

void qlist_free(struct qlist *q)
{
    if (q == NULL)
        return;
    while (qlist_pop(q, NULL))
        ;
}

/* ---- the ring ---- */

size_t qring_slots_for(size_t n)
{
    size_t cap = QRING_MIN_SLOTS;

    while (cap < n) {
        if (cap > SIZE_MAX / 2 / sizeof(uint64_t))
            return 0; /* no array of twice the slots could be asked for */
        cap *= 2;
    }
    return cap;
}

int qring_init(struct qring *r, size_t hint, enum qring_mode mode)
{
    size_t cap = qring_slots_for(hint);
    uint64_t *slots;

    if (cap == 0) {
        errno = EINVAL;
        return -1;
    }
    if ((slots = malloc(cap * sizeof *slots)) == NULL)
        return -1;
    *r = (struct qring){slots, cap, 0, 0, mode, 0};
    return 0;
}

/* Replace r's array by one of cap slots holding its items in order, oldest at slot 0:
 * one malloc, then the old array freed. -1 (ENOMEM) with r untouched. */
static int regrow(struct qring *r, size_t cap)
{
    uint64_t *slots = malloc(cap * sizeof *slots);
    size_t first;

    if (slots == NULL)
        return -1;
    if (r->len > 0) {
        first = r->cap - r->head < r->len ? r->cap - r->head : r->len; /* up to the end */
        memcpy(slots, r->slots + r->head, first * sizeof *slots);
        memcpy(slots + first, r->slots, (r->len - first) * sizeof *slots); /* wrapped */
    }
    free(r->slots);
    r->slots = slots;
    r->cap = cap;
    r->head = 0;
    return 0;
}

int qring_push(struct qring *r, uint64_t v)
{
    if (r->len == r->cap) {
        size_t cap = r->cap == 0 ? QRING_MIN_SLOTS : r->cap * 2;

        if (r->cap > 0 && r->mode == QRING_FIXED) {
            errno = ENOBUFS;
            return -1;
        }
        if (r->cap > SIZE_MAX / 2 / sizeof(uint64_t)) {
            errno = ENOMEM;
            return -1;
        }
        bool grows = r->cap > 0; /* from QRING_INIT, the first array is no growth */

        if (regrow(r, cap) != 0)
            return -1;
        r->growths += grows;
    }
    r->slots[(r->head + r->len) & (r->cap - 1)] = v;
    r->len++;
    return 0;
}

bool qring_pop(struct qring *r, uint64_t *v)
{
    if (r->len == 0)
        return false;
    if (v != NULL)
        *v = r->slots[r->head];
    r->head = (r->head + 1) & (r->cap - 1);
    r->len--;
    return true;
}

void qring_free(struct qring *r)
{
    if (r == NULL)
        return;
    free(r->slots);
    *r = (struct qring)QRING_INIT;
}

/* ---- the job ---- */

/* Either queue behind the same two calls, so that both run one loop. */
static int list_push(void *q, uint64_t v) { return qlist_push(q, v); }
static bool list_pop(void *q, uint64_t *v) { return qlist_pop(q, v); }
static int ring_push(void *q, uint64_t v) { return qring_push(q, v); }
static bool ring_pop(void *q, uint64_t *v) { return qring_pop(q, v); }

static int run(void *q, int (*push)(void *, uint64_t), bool (*pop)(void *, uint64_t *),
               uint64_t n, uint64_t burst, uint64_t *sum)
{
    uint64_t in = 1, out = 1, v;

    if (burst == 0) {
        errno = EINVAL;
        return -1;
    }
    while (in <= n) {
        for (uint64_t k = 0; k < burst && in <= n; k++, in++) {
            if (push(q, in) != 0) {
                int err = errno;

                while (pop(q, NULL)) /* the list's nodes freed; the ring keeps its array */
                    ;
                errno = err;
                return -1;
            }
        }
        while (pop(q, &v)) {
            if (v != out++) {
                errno = EPROTO;
                return -1;
            }
            *sum += v;
        }
    }
    return 0;
}

int qlist_run(struct qlist *q, uint64_t n, uint64_t burst, uint64_t *sum)
{
    return run(q, list_push, list_pop, n, burst, sum);
}

int qring_run(struct qring *r, uint64_t n, uint64_t burst, uint64_t *sum)
{
    return run(r, ring_push, ring_pop, n, burst, sum);
}
