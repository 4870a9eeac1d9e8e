/* test_exercise.c: each case of snippets.c run on the lesson's buddy allocator, in a region
 * made for it, and compared with exercise.c. The true answer is read from buddy_stats
 * (splits, merges, used and free bytes, deltas around the snippet where it predicts a
 * step) or from what buddy_alloc returned. buddy_init's one malloc is measured; the
 * snippets allocate nothing from malloc, and each test checks that too. */
#include <criterion/criterion.h>

#include "alloc_assert.h"
#include "exercise.h"
#include "report.h"

/* Each case's region, destroyed after the test whether it passed or not (a failed
 * assertion leaves the test body at once: the sanitizer build would report the region
 * as leaked). */
static struct buddy region;

static void destroy_region(void)
{
    buddy_destroy(&region);
}

TestSuite(predict, .fini = destroy_region);

/* A region for one case: buddy_init's one malloc of the region and its side table. */
static void fresh(struct buddy *b)
{
    int rc = -1;

    ASSERT_ALLOCS(rc = buddy_init(b, REGION_K, REGION_MIN), 1,
                  buddy_init_bytes(REGION_K, REGION_MIN));
    cr_assert(rc == 0, "buddy_init(%d, %d) failed", REGION_K, REGION_MIN);
}

/* The region still sound after the case (buddy_check). */
static void assert_sound(const struct buddy *b)
{
    const char *broken = buddy_check(b);

    cr_assert(broken == NULL, "the region after the case: %s", broken);
}

/* The learner's count against buddy_stats', in units of `one` or `many`. */
static void check(const char *what, long long said, unsigned long long seen, const char *one,
                  const char *many, const char *meaning)
{
    char s1[32], s2[32];

    cr_assert(said >= 0, "%s: no answer yet. Write the %s you expect into exercise.c.", what,
              many);
    cr_assert(said == (long long)seen, "%s: you predicted %s %s; buddy_stats says %s %s. %s",
              what, report_count((unsigned long long)said, s1, sizeof s1),
              said == 1 ? one : many, report_count(seen, s2, sizeof s2),
              seen == 1 ? one : many, meaning);
}

Test(predict, the_splits_of_the_first_block_of_100_bytes)
{
    struct buddy *b = &region;
    struct buddy_stats before, after;
    void *p = NULL;

    fresh(b);
    before = buddy_stats(b);
    ASSERT_NO_ALLOCS(p = snippet_first_alloc(b));
    after = buddy_stats(b);
    cr_assert(p != NULL, "buddy_alloc(100) returned NULL on a fresh region");
    check("buddy_alloc(100), the region's first request", first_alloc_splits,
          after.splits - before.splits, "split", "splits",
          "A fresh region is one free block of 2^K. 100 B takes the smallest power of two "
          "that holds it, and buddy_alloc halves the region once per order down to it, "
          "leaving a free block of every order between.");
    assert_sound(b);
}

Test(predict, the_bytes_a_600_byte_request_takes)
{
    struct buddy *b = &region;
    struct buddy_stats before, after;
    void *p = NULL;

    fresh(b);
    before = buddy_stats(b);
    ASSERT_NO_ALLOCS(p = snippet_alloc_600(b));
    after = buddy_stats(b);
    cr_assert(p != NULL, "buddy_alloc(600) returned NULL on a fresh region");
    check("buddy_alloc(600)", bytes_of_600, after.used_bytes - before.used_bytes, "byte",
          "bytes",
          "Every block is a power of two: a request takes the smallest that holds it, and "
          "the rest of the block is wasted (internal fragmentation), up to almost half of "
          "it for a request just past a power of two.");
    assert_sound(b);
}

Test(predict, the_merges_of_one_free_beside_a_free_buddy)
{
    struct buddy *b = &region;
    struct buddy_stats before, after;
    void *blk[3];

    fresh(b);
    cr_assert(setup_free_b(b, blk) == 0, "setup_free_b: a request returned NULL");
    before = buddy_stats(b);
    ASSERT_NO_ALLOCS(snippet_free_b(b, blk));
    after = buddy_stats(b);
    check("A and B of 16 B, C of 64 B, A freed; then B freed", merges_of_free_b,
          after.merges - before.merges, "merge", "merges",
          "A free merges with its buddy while the buddy is a free block of the same order, "
          "then tries again one order up: B with A, then the pair with the free block the "
          "first request's splits left beside it; it stops at a buddy in use.");
    assert_sound(b);
}

Test(predict, a_half_of_the_region_after_the_middle_quarters_are_freed)
{
    struct buddy *b = &region;
    struct buddy_stats s;
    void *quarter[4], *half = NULL;
    char free_bytes[32], largest[32];

    fresh(b);
    cr_assert(setup_quarters(b, quarter) == 0, "setup_quarters: a request returned NULL");
    s = buddy_stats(b);
    ASSERT_NO_ALLOCS(half = snippet_half(b));
    cr_assert(half_after_quarters == 0 || half_after_quarters == 1,
              "half_after_quarters: no answer yet. Write 1 (a block) or 0 (NULL) into "
              "exercise.c.");
    cr_assert(half_after_quarters == (half != NULL),
              "four quarters, the 2nd and 3rd freed; then buddy_alloc(2,048): you predicted "
              "%s; it returned %s. %s B were free, side by side, the largest block %s B: the "
              "2nd quarter's buddy is the 1st and the 3rd's the 4th, so the two free ones "
              "are neighbours but not buddies, and a buddy allocator merges only buddies.",
              half_after_quarters ? "a block" : "NULL", half != NULL ? "a block" : "NULL",
              report_count(s.free_bytes, free_bytes, sizeof free_bytes),
              report_count(s.largest_free, largest, sizeof largest));
    assert_sound(b);
}

Test(predict, the_free_bytes_after_three_requests_and_a_free)
{
    struct buddy *b = &region;
    struct buddy_stats after;
    int rc = -1;

    fresh(b);
    ASSERT_NO_ALLOCS(rc = snippet_sequence(b));
    cr_assert(rc == 0, "snippet_sequence: a request returned NULL");
    after = buddy_stats(b);
    check("600 B, 100 B and 17 B, then the 100 B freed", free_after_sequence,
          after.free_bytes, "free byte", "free bytes",
          "The region less whole blocks: each block held is its power of two, not the bytes "
          "asked for, and the block freed stays apart while its buddy is split.");
    assert_sound(b);
}
