/* exercise.c: one builder for every line. sb_reset empties it and keeps its buffer, so
 * the buffer grows to the longest line once and then serves every line after it: Go's
 * bytes.Buffer with Reset, or a strings.Builder kept outside the loop. */
#include "exercise.h"

int emit_lines(const struct rec *recs, size_t n,
               void (*sink)(const char *line, size_t len, void *arg), void *arg)
{
    struct sb line = SB_INIT;

    for (size_t i = 0; i < n; i++) {
        sb_reset(&line);
        if (sb_printf(&line, "%s: %ld\n", recs[i].name, recs[i].value) != 0) {
            sb_free(&line);
            return -1;
        }
        sink(sb_str(&line), line.len, arg);
    }
    sb_free(&line);
    return 0;
}
