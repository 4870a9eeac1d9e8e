/* queue: a FIFO of uint64_t two ways: a linked list that allocates a node per push and
 * frees it at the pop, and a ring buffer that allocates one array and reuses it. The caller
 * owns the handles; each queue owns its nodes or its array.
 *
 *   struct qlist l = QLIST_INIT;          // no allocation
 *   qlist_push(&l, v);                    // one malloc of a node, every push
 *   qlist_pop(&l, &v);                    // one free, every pop
 *
 *   struct qring r = QRING_INIT;          // no allocation; the first push makes the array
 *   qring_init(&r, 1000, QRING_GROW);     // or: one array now, room for 1,024
 *   qring_push(&r, v);                    // an index and a mask; an array only when full
 *   qring_pop(&r, &v);                    // never frees
 *
 * The ring's capacity is a power of two, so the slot of item i is (head + i) & (cap - 1).
 * When it is full, a QRING_GROW ring makes an array of twice the slots, copies the items
 * into it in order (oldest at slot 0), then frees the old one: old and new are live
 * together, the peak. A QRING_FIXED ring refuses instead (ENOBUFS).
 *
 * Costs (the tests work them out from these rules): n pushes and n pops through a list
 * are n mallocs of sizeof(struct qlist_node) and n frees, the peak the most items held at
 * once times the node; a ring grown from empty to cap slots makes 1 + log2(cap /
 * QRING_MIN_SLOTS) allocations, frees all but the last, peaks at 3 * cap / 2 slots during
 * its last growth, and allocates nothing more however many items then go through it.
 *
 * Failure: a push that cannot allocate returns -1 with errno ENOMEM and leaves the queue
 * exactly as it was, still usable. */
#ifndef QUEUE_H
#define QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the list: a node per item ---- */

struct qlist_node {
    struct qlist_node *next; /* the next item to come out, NULL at the tail */
    uint64_t val;
};

struct qlist {
    struct qlist_node *head; /* popped next; NULL when empty */
    struct qlist_node *tail; /* pushed last */
    size_t len;
};

#define QLIST_INIT {NULL, NULL, 0}

/* Add v at the tail: one malloc of a node. 0, or -1 (ENOMEM) with the list unchanged. */
int qlist_push(struct qlist *q, uint64_t v);

/* Take the item at the head into *v (if v is not NULL) and free its node; false when
 * the list is empty. */
bool qlist_pop(struct qlist *q, uint64_t *v);

/* Free every node; q is QLIST_INIT again. qlist_free(NULL) does nothing. */
void qlist_free(struct qlist *q);

/* ---- the ring: one array, indexes masked ---- */

#define QRING_MIN_SLOTS 8 /* the first array's slots; a power of two */

enum qring_mode {
    QRING_GROW,  /* full: double the array */
    QRING_FIXED, /* full: refuse the push (ENOBUFS) */
};

struct qring {
    uint64_t *slots;      /* cap slots, one malloc; NULL before the first push */
    size_t cap;           /* 0, or a power of two >= QRING_MIN_SLOTS */
    size_t head;          /* the slot popped next */
    size_t len;           /* items held */
    enum qring_mode mode;
    size_t growths;       /* arrays replaced by one twice their size */
};

#define QRING_INIT {NULL, 0, 0, 0, QRING_GROW, 0}

/* The slots a ring holding n items has: the smallest power of two from QRING_MIN_SLOTS
 * that is >= n; 0 when no array could hold n. */
size_t qring_slots_for(size_t n);

/* Make *r an empty ring of qring_slots_for(hint) slots, one malloc (hint 0:
 * QRING_MIN_SLOTS), growing or fixed as mode says. 0, or -1 (ENOMEM, or EINVAL for a
 * hint too large) with *r left as it was. */
int qring_init(struct qring *r, size_t hint, enum qring_mode mode);

/* Add v at the tail. Allocates only when the ring is full and grows (or is QRING_INIT:
 * QRING_MIN_SLOTS slots). 0, or -1 with errno ENOMEM (the growth failed) or ENOBUFS (a
 * full QRING_FIXED ring), and the ring unchanged. */
int qring_push(struct qring *r, uint64_t v);

/* Take the oldest item into *v (if v is not NULL); false when empty. Never frees. */
bool qring_pop(struct qring *r, uint64_t *v);

/* Free the array; r is QRING_INIT again. qring_free(NULL) does nothing. */
void qring_free(struct qring *r);

/* ---- the job the demo, the benchmarks and the tests share ---- */

/* Items 1..n through an empty queue in bursts: push `burst` items (fewer in the last
 * burst), pop them all, again until n went through; each item popped is checked against
 * the order it went in, and added to *sum. 0, or -1 with errno ENOMEM after a failed
 * push (the queue emptied, and usable), EINVAL for a burst of 0, or EPROTO when an item
 * came out of order (a bug). */
int qlist_run(struct qlist *q, uint64_t n, uint64_t burst, uint64_t *sum);
int qring_run(struct qring *r, uint64_t n, uint64_t burst, uint64_t *sum);

#endif
