/* snippets.c: five cases on the lesson's buddy allocator (04_pooling/buddy.h). Each gets
 * a region the test has just made, buddy_init(b, REGION_K, REGION_MIN): one free block of
 * 4,096 bytes, blocks of 16 bytes and up. For each, predict in exercise.c what the test
 * reads after the snippet_ function (a setup_ function runs before it, and is not what
 * you predict). */
#include "exercise.h"

/* The region's first request: predict its splits. */
void *snippet_first_alloc(struct buddy *b)
{
    return buddy_alloc(b, 100);
}

/* One request of 600 bytes: predict the bytes its block takes. */
void *snippet_alloc_600(struct buddy *b)
{
    return buddy_alloc(b, 600);
}

/* A and B of 16 bytes, C of 64, then A freed. */
int setup_free_b(struct buddy *b, void *blk[3])
{
    blk[0] = buddy_alloc(b, 16); /* A */
    blk[1] = buddy_alloc(b, 16); /* B */
    blk[2] = buddy_alloc(b, 64); /* C */
    if (blk[0] == NULL || blk[1] == NULL || blk[2] == NULL)
        return -1;
    buddy_free(b, blk[0]);
    return 0;
}

/* B freed (A is free already, C is not): predict the merges. */
void snippet_free_b(struct buddy *b, void *blk[3])
{
    buddy_free(b, blk[1]);
}

/* The region in four blocks of 1,024 bytes, then the 2nd and the 3rd freed. */
int setup_quarters(struct buddy *b, void *quarter[4])
{
    for (int i = 0; i < 4; i++) {
        quarter[i] = buddy_alloc(b, 1024);
        if (quarter[i] == NULL)
            return -1;
    }
    buddy_free(b, quarter[1]);
    buddy_free(b, quarter[2]);
    return 0;
}

/* Half the region: predict whether a block comes back. */
void *snippet_half(struct buddy *b)
{
    return buddy_alloc(b, 2048);
}

/* Three requests, and the second freed: predict the free bytes after it. */
int snippet_sequence(struct buddy *b)
{
    void *p = buddy_alloc(b, 600), *q = buddy_alloc(b, 100), *r = buddy_alloc(b, 17);

    if (p == NULL || q == NULL || r == NULL)
        return -1;
    buddy_free(b, q);
    return 0;
}
