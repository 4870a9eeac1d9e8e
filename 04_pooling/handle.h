/* handle: a slot map. Objects live in one array grown by doubling; a free slot is chained
 * to the next through the array; each slot keeps a 32-bit generation, and a handle is a
 * slot's index and its generation in one 64-bit word. The map owns the array; the caller
 * owns the map (it can live on the stack: struct hmap m = HMAP_INIT;).
 *
 *   uint64_t h = hmap_insert(&m, obj);   // 0: out of memory (errno ENOMEM), map unchanged;
 *                                        // allocates only when the array is full
 *   struct hobj *o = hmap_get(&m, h);    // NULL for a stale or invalid handle; never allocates
 *   hmap_remove(&m, h);                  // -1 (EINVAL) for a stale handle: a second remove
 *                                        // is refused, not a double free
 *
 * A live slot's generation is odd, a free slot's even: an insert and a remove each add 1,
 * so a handle to a removed object, or to an object since put in the same slot, no longer
 * matches. The address hmap_get returns is valid until the next insert (a growth moves
 * every object); the handle stays valid until its object is removed.
 *
 * Wrap: after 2^31 inserts and removes in one slot its generation would go from
 * UINT32_MAX back to 0, and a handle that old would match again. The remove that would
 * wrap retires the slot instead: its generation becomes 0 (matched by no handle), and it
 * never goes back on the free list (hmap.retired counts them). */
#ifndef HANDLE_H
#define HANDLE_H

#include <stddef.h>
#include <stdint.h>

#define HMAP_MIN_CAP 8u          /* the first growth's slots */
#define HMAP_CAP_MAX (1u << 30)  /* the most slots; an insert past it fails with ENOMEM */

/* The object a slot holds: small and fixed, copied in by hmap_insert. */
struct hobj {
    uint64_t id;
    uint64_t value;
};

struct hslot {
    struct hobj obj;
    uint32_t gen;  /* odd: live; even: free (0: retired, or never used) */
    uint32_t next; /* free: the next free slot's index + 1 (0: none) */
};

struct hmap {
    struct hslot *slots; /* cap slots, one malloc; the first len have been used */
    uint32_t cap, len;
    uint32_t free_head;  /* the first free slot's index + 1 (0: none); the last freed first */
    uint32_t live;       /* objects in the map */
    uint32_t retired;    /* slots whose generation ran out: never reused */
    uint32_t growths;    /* allocations of the array so far */
};

#define HMAP_INIT {0}

/* A handle from its parts, and back. 0 is never a valid handle (a live generation is odd). */
static inline uint64_t handle_make(uint32_t index, uint32_t gen)
{
    return (uint64_t)gen << 32 | index;
}
static inline uint32_t handle_index(uint64_t h) { return (uint32_t)h; }
static inline uint32_t handle_gen(uint64_t h) { return (uint32_t)(h >> 32); }

/* Copy obj into a free slot (the last one freed) or the next unused one, growing the array
 * first when every slot is taken: one malloc of twice the slots (HMAP_MIN_CAP the first
 * time) and one free of the old array. Returns the handle; 0 with errno ENOMEM when the
 * array cannot grow, the map, its objects and every handle as they were. */
uint64_t hmap_insert(struct hmap *m, struct hobj obj);

/* The object h names, or NULL: h is 0, its index is past the slots used, or its slot's
 * generation is not h's (the object was removed, and perhaps the slot reused). */
struct hobj *hmap_get(const struct hmap *m, uint64_t h);

/* Remove the object h names: its slot's generation moves on and the slot goes on the free
 * list (or is retired, see above). -1 with errno EINVAL when hmap_get(m, h) is NULL. */
int hmap_remove(struct hmap *m, uint64_t h);

/* Free the array; m is then empty (HMAP_INIT) and can be used again. */
void hmap_destroy(struct hmap *m);

/* The allocations n inserts make into an empty map with no removes: the growths. */
unsigned hmap_growths_for(size_t n);

#endif
