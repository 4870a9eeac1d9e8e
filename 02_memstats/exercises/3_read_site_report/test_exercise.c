/* test_exercise.c: the variant (variant.c) runs here under the site tracer; each answer
 * in exercise.c is compared with this snapshot of it, the same report the learner read. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "exercise.h"
#include "sites.h"

/* The variant's snapshot, taken with everything it built still live. */
static struct sites_snapshot *snapshot(void)
{
    struct sites_snapshot *snap = NULL;
    struct variant *v = NULL;

    cr_assert(sites_start() == 0, "the site tracer could not start");
    cr_assert(variant_run(&v) == 0, "the variant ran out of memory");
    cr_assert(sites_snapshot_take(&snap) == 0, "no snapshot could be taken");
    sites_stop();
    variant_free(v);
    cr_assert(snap->nstat > 0, "the snapshot holds no allocation site");
    return snap;
}

/* "file.c:N" of a snapshot line. */
static const char *where(const struct sites_stat *s, char *buf, size_t size)
{
    snprintf(buf, size, "%s:%u", s->file, s->line);
    return buf;
}

Test(read, the_line_holding_the_most_bytes_is_the_one_you_named)
{
    struct sites_snapshot *snap;
    char w[SITES_FILE_MAX + 16];

    cr_assert(top_line_by_bytes[0] != '\0', "no answer yet for top_line_by_bytes");
    snap = snapshot();
    sites_snapshot_sort(snap, SITES_BY_BYTES);
    where(&snap->stat[0], w, sizeof w);
    cr_assert(strcmp(top_line_by_bytes, w) == 0,
              "top_line_by_bytes: you answered \"%s\", the report's first line by bytes live "
              "is \"%s\" (in %s): that line's allocations hold the most memory now.",
              top_line_by_bytes, w, snap->stat[0].func);
    sites_snapshot_free(snap);
}

Test(read, the_top_line_holds_the_blocks_you_counted)
{
    struct sites_snapshot *snap;

    cr_assert(top_line_blocks != 0, "no answer yet for top_line_blocks");
    snap = snapshot();
    sites_snapshot_sort(snap, SITES_BY_BYTES);
    cr_assert(top_line_blocks == snap->stat[0].blocks,
              "top_line_blocks: you answered %lld, the top line by bytes holds %lld blocks "
              "live: one per object it made that is still alive.",
              top_line_blocks, (long long)snap->stat[0].blocks);
    sites_snapshot_free(snap);
}

Test(read, the_line_making_the_most_calls_is_the_one_you_named)
{
    struct sites_snapshot *snap;
    char w[SITES_FILE_MAX + 16];

    cr_assert(top_line_by_calls[0] != '\0', "no answer yet for top_line_by_calls");
    snap = snapshot();
    sites_snapshot_sort(snap, SITES_BY_CALLS);
    where(&snap->stat[0], w, sizeof w);
    cr_assert(strcmp(top_line_by_calls, w) == 0,
              "top_line_by_calls: you answered \"%s\", the report's first line by calls is "
              "\"%s\" (in %s). Sorted by calls, a line can lead that holds nothing now: "
              "heaptrack calls those temporary allocations.",
              top_line_by_calls, w, snap->stat[0].func);
    sites_snapshot_free(snap);
}

Test(read, the_busiest_line_made_the_calls_you_counted)
{
    struct sites_snapshot *snap;

    cr_assert(top_calls_count != 0, "no answer yet for top_calls_count");
    snap = snapshot();
    sites_snapshot_sort(snap, SITES_BY_CALLS);
    cr_assert(top_calls_count >= 0 && (unsigned long long)top_calls_count == snap->stat[0].calls,
              "top_calls_count: you answered %lld, the busiest line made %llu calls.",
              top_calls_count, (unsigned long long)snap->stat[0].calls);
    sites_snapshot_free(snap);
}

Test(read, the_busiest_line_keeps_the_blocks_you_counted)
{
    struct sites_snapshot *snap;

    cr_assert(top_calls_live_blocks >= 0, "no answer yet for top_calls_live_blocks");
    snap = snapshot();
    sites_snapshot_sort(snap, SITES_BY_CALLS);
    cr_assert(top_calls_live_blocks == snap->stat[0].blocks,
              "top_calls_live_blocks: you answered %lld, the busiest line holds %lld blocks "
              "live. Many calls and nothing live is a scratch buffer: work for the allocator "
              "on every request, and a candidate for a reused buffer.",
              top_calls_live_blocks, (long long)snap->stat[0].blocks);
    sites_snapshot_free(snap);
}
