/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-01). Every count is the counting allocator's,
 * measured around the calls. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

/* n + 2 blocks for n songs: the playlist, its array of song pointers, each song. */
static uint64_t blocks(size_t n)
{
    return n == 0 ? 1 : n + 2;
}

Test(playlist, a_playlist_of_n_songs_is_n_plus_2_allocations_in_order)
{
    static const size_t sizes[] = {0, 1, 3, 10};

    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        struct playlist *p = NULL;
        struct countalloc_stats d;

        ALLOC_MEASURE(p = playlist_new(n), d);
        cr_assert(p != NULL, "playlist_new(%zu) returned NULL", n);
        cr_assert(eq(u64, d.mallocs, blocks(n)),
                  "playlist_new(%zu): expected %llu allocations (the playlist, its array, "
                  "one per song), saw %llu",
                  n, (unsigned long long)blocks(n), (unsigned long long)d.mallocs);
        cr_assert(eq(sz, playlist_len(p), n));
        for (size_t i = 0; i < n; i++) {
            cr_assert(eq(sz, song_number(playlist_song(p, i)), i), "song %zu's number", i);
            cr_assert(song_playlist(playlist_song(p, i)) == p,
                      "song %zu should point back at its playlist", i);
        }
        playlist_release(p);
    }
}

/* The heart of it: the caller's release is the last one. */
Test(playlist, the_callers_last_release_frees_the_playlist_and_every_song)
{
    static const size_t sizes[] = {0, 1, 3, 10};

    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        struct playlist *p = playlist_new(n);
        struct countalloc_stats d;

        cr_assert(p != NULL, "playlist_new(%zu) returned NULL", n);
        ALLOC_MEASURE(playlist_release(p), d);
        cr_assert(eq(u64, d.frees, blocks(n)),
                  "playlist_release of a playlist of %zu song%s, the caller's only reference: "
                  "expected %llu blocks freed (the playlist, its array, every song), saw %llu. "
                  "Each song holds a counted reference to the playlist, and the playlist one "
                  "to each song: a cycle, whose counts never reach 0. Make the song's pointer "
                  "back to its playlist weak.",
                  n, n == 1 ? "" : "s", (unsigned long long)blocks(n), (unsigned long long)d.frees);
        cr_assert(eq(u64, d.mallocs, 0), "playlist_release should allocate nothing");
    }
}

/* A weak pointer is cleared when its target dies, never left dangling. */
Test(playlist, a_song_kept_outlives_its_playlist_and_then_points_at_no_playlist)
{
    struct playlist *p = playlist_new(3);
    struct countalloc_stats d;
    struct song *kept;

    cr_assert(p != NULL);
    kept = song_retain(playlist_song(p, 1));
    ALLOC_MEASURE(playlist_release(p), d);
    cr_assert(eq(u64, d.frees, blocks(3) - 1),
              "with song 1 kept, playlist_release should free the playlist, its array and "
              "the 2 other songs (%llu blocks), saw %llu freed",
              (unsigned long long)(blocks(3) - 1), (unsigned long long)d.frees);
    cr_assert(song_playlist(kept) == NULL,
              "the kept song still points at its playlist, which is gone: clear each song's "
              "pointer when the playlist is freed");
    cr_assert(eq(sz, song_number(kept), 1), "the kept song's number");
    ALLOC_MEASURE(song_release(kept), d);
    cr_assert(eq(u64, d.frees, 1), "the kept song's last release should free it, and only it");
}

Test(playlist, building_and_releasing_leaves_the_heap_where_it_was)
{
    ASSERT_NO_LEAK(playlist_release(playlist_new(5)));
    ASSERT_NO_ALLOCS(playlist_release(NULL));
    ASSERT_NO_ALLOCS(song_release(NULL));
}

static int job_new(void *ctx)
{
    struct playlist *p = playlist_new(*(const size_t *)ctx);

    if (p == NULL)
        return -1;
    playlist_release(p);
    return 0;
}

/* A playlist half made when a song's malloc fails must go back whole. */
Test(playlist, running_out_of_memory_returns_null_and_leaks_nothing)
{
    size_t n = 4;

    ASSERT_SWEEP_CLEAN(job_new, &n);
}
