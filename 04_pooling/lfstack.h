/* lfstack: a lock-free stack of fixed-size nodes (a Treiber stack), the free list of a
 * pool that threads share without a lock. Every node comes from one block the stack owns;
 * the caller owns a node from its pop to its push.
 *
 *   struct lfstack s;
 *   lfstack_init(&s, n, size, LFSTACK_TAGGED); // one allocation of n * size bytes
 *   void *p = lfstack_pop(&s);                 // NULL: empty; never allocates
 *   lfstack_push(&s, p);                       // never allocates
 *   lfstack_destroy(&s);
 *
 * Two heads. LFSTACK_NAIVE: the head is a node pointer and a pop is
 * CAS(head, old, old->next); it is wrong (the ABA problem): between the read of old and
 * the CAS, other threads can pop old, pop its next, push old back, and the CAS still
 * succeeds and installs a node that is no longer on the list. LFSTACK_TAGGED: the head is
 * one 64-bit word, a node's index in the low 32 bits and a generation in the high 32, and
 * every successful push and pop adds one to the generation: the same node back on top is
 * a new word, and the late CAS fails. A plain 64-bit atomic, no 16-byte CAS.
 *
 * pop_begin and pop_commit are a pop cut in two, so a test can replay the interleaving
 * that breaks the naive stack in one thread. Failure: lfstack_init returns -1 with errno
 * (ENOMEM, or EINVAL for a size or count it cannot hold) and takes nothing. */
#ifndef LFSTACK_H
#define LFSTACK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lfstack_kind {
    LFSTACK_NAIVE,  /* head: a node pointer; the ABA problem */
    LFSTACK_TAGGED, /* head: index + 1 and a generation in one 64-bit word */
};

/* The first word of every free node: the node under it, NULL at the bottom. Atomic, as
 * a pop reads it while another thread may be pushing that node. */
struct lfnode {
    _Atomic(struct lfnode *) next;
};

/* The smallest node, and the multiple every node size must be. */
#define LFSTACK_MIN_SIZE sizeof(struct lfnode)
#define LFSTACK_MAX_NODES ((size_t)UINT32_MAX - 1) /* index + 1 fits in 32 bits */

struct lfstack {
    unsigned char *mem;              /* n nodes of size bytes, one allocation */
    size_t n, size;
    enum lfstack_kind kind;
    _Atomic(struct lfnode *) head;   /* LFSTACK_NAIVE: the top node, NULL when empty */
    _Atomic uint64_t word;           /* LFSTACK_TAGGED: gen << 32 | (index + 1), 0: empty */
};

/* A pop in progress: what pop_begin read. */
struct lfstack_pop {
    struct lfnode *node;  /* the top node read; the one the pop takes if it commits */
    struct lfnode *next;  /* its next, read at the same time: the head the commit installs */
    uint64_t word;        /* LFSTACK_TAGGED: the whole head word read */
};

/* The block's bytes for n nodes of size bytes, 0 when n or size is out of range (n from 1
 * to LFSTACK_MAX_NODES, size a non-zero multiple of LFSTACK_MIN_SIZE) or the product
 * overflows. */
size_t lfstack_bytes(size_t n, size_t size);

/* Make *s a stack of n free nodes of size bytes, node 0 on top, then 1, 2, ...: one
 * allocation of lfstack_bytes(n, size). 0, or -1 (ENOMEM, EINVAL) with *s untouched. */
int lfstack_init(struct lfstack *s, size_t n, size_t size, enum lfstack_kind kind);

/* Free the block; every node goes with it. */
void lfstack_destroy(struct lfstack *s);

/* Take the top node, retrying while other threads move the head; NULL when empty. */
void *lfstack_pop(struct lfstack *s);

/* Put node p (one of this stack's, or for LFSTACK_NAIVE any node of at least
 * LFSTACK_MIN_SIZE bytes) on top. Always succeeds, after retries. */
void lfstack_push(struct lfstack *s, void *p);

/* The first half of a pop: read the head and its next into *t; false when empty. */
bool lfstack_pop_begin(struct lfstack *s, struct lfstack_pop *t);

/* The second half: one CAS of the head from what *t read to t->next. true: t->node is
 * the caller's; false: the head moved (the naive stack compares the pointer only, the
 * tagged one the pointer and the generation), begin again. */
bool lfstack_pop_commit(struct lfstack *s, const struct lfstack_pop *t);

/* The index of node p in the block (0 for its first node), or (size_t)-1 if p is not
 * one of its nodes (NULL included). */
size_t lfstack_index(const struct lfstack *s, const void *p);

/* LFSTACK_TAGGED: the head's generation (successful pushes and pops so far, mod 2^32);
 * 0 for LFSTACK_NAIVE. */
uint32_t lfstack_gen(const struct lfstack *s);

/* Walk the list from the head while no other thread uses the stack: write the index of
 * each node, top first, into order[0..max) (order may be NULL) and return how many
 * nodes the walk met, stopping at the first node met twice (a cycle) or outside the
 * block, or after n + 1 nodes. */
size_t lfstack_walk(const struct lfstack *s, size_t *order, size_t max);

/* ---- the ABA interleaving, replayed in one thread (the demo and the tests) ---- */

#define LFSTACK_NONE ((size_t)-1) /* no node: an empty stack, or a failed pop */

/* The classic interleaving on a stack of n nodes A, B, C, ... (indexes 0, 1, 2, ...): T1
 * begins a pop (reads A, next B); T2 pops A, pops B, pushes A back; T1 commits, and
 * begins again while its commit fails. Then one more pop, by a third party. */
struct lfstack_replay {
    uint32_t gen_begin;   /* the generation T1's first begin read (tagged; 0 naive) */
    uint32_t gen_commit;  /* the generation when T1 first commits */
    bool commit_ok;       /* T1's first commit succeeded */
    unsigned retries;     /* T1's commits that failed before one succeeded */
    size_t t1_got;        /* the node T1's pop took */
    size_t t2_holds;      /* the node T2 still holds: B */
    size_t order[27];     /* the list after T1's pop, top first */
    size_t listed;        /* nodes in order[] */
    size_t next_pop;      /* the node the next pop hands out */
};

/* Replay the interleaving on a new stack of n nodes (3 to 26) of LFSTACK_MIN_SIZE bytes:
 * one allocation, freed before it returns. 0, or -1 (ENOMEM, EINVAL) with *r untouched. */
int lfstack_replay(enum lfstack_kind kind, size_t n, struct lfstack_replay *r);

/* The same mistake with nodes from malloc: A, B, C of size bytes on a naive stack; T1
 * begins a pop (reads A, next B); T2 pops A and B, frees A, mallocs a node of the same
 * size and pushes it; T1 commits. 4 mallocs of size bytes, all freed before it returns. */
struct lfstack_heap_replay {
    bool same_address;    /* the new node has A's address (glibc's tcache: last freed, first reused) */
    bool commit_ok;       /* T1's commit succeeded */
    bool head_is_held;    /* after it, the head is B, the node T2 holds */
};

/* 0, or -1 (ENOMEM, or EINVAL for a size under LFSTACK_MIN_SIZE) with *r untouched. */
int lfstack_replay_heap(size_t size, struct lfstack_heap_replay *r);

#endif
