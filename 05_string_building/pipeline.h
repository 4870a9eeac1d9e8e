/* pipeline: one text job done two ways. Split a text into lines, keep the WARN and ERROR
 * lines, upper-case each kept line, and fold them into one result (how many, how many
 * bytes, an FNV-1a digest).
 *
 *   pipeline_materialize: each stage allocates its output, as a list comprehension does:
 *     an array of line copies, an array of the kept copies, an array of the upper-cased
 *     strings; all freed at the end. 3 arrays + n + 2k strings (n lines, k kept; a
 *     stage with no line makes no array).
 *   pipeline_stream: one pass; each line is a view (pointer and length) into the text,
 *     and a kept line is upper-cased into one reused builder (struct sb, sb.h), as a
 *     chain of generators does. The builder's growths only: 1 allocation (SB_MIN_CAP
 *     bytes) for lines shorter than SB_MIN_CAP, whatever n.
 *
 * Lines: the bytes up to each '\n', and the bytes after the last '\n' if any; the text
 * need not end in '\n', and holds no '\0'. Failure: either way returns -1 (errno
 * ENOMEM) with everything it took freed and the text untouched. */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <stddef.h>
#include <stdint.h>

struct pipeline_result {
    size_t kept;     /* lines kept by the filter */
    size_t bytes;    /* bytes of the upper-cased lines, '\n' not counted */
    uint64_t digest; /* hash_fnv of each upper-cased line and a '\n' (common/hash.h) */
};

/* The filter: a line kept starts with "WARN " or "ERROR ". */
int pipeline_keep(const char *line, size_t len);

/* Materialized: 3 + n + 2k allocations (k > 0), all live at the end (peak = bytes asked for).
 * 0, or -1 with nothing kept. */
int pipeline_materialize(const char *text, size_t len, struct pipeline_result *out);

/* Streamed: the builder's growths only, freed before it returns. 0, or -1. */
int pipeline_stream(const char *text, size_t len, struct pipeline_result *out);

/* ---- the input: n log lines, made in memory, the same on every run ---- */

/* Write line i (no '\n') into buf[size]; returns its length. Line i is WARN or ERROR,
 * and so kept, exactly when i is odd. Nothing allocated. */
size_t pipeline_line(size_t i, char *buf, size_t size);

/* The text of lines 0 .. n-1, each ending in '\n', in one allocation of its length + 1
 * (a terminator after it); *len gets its length. NULL (errno ENOMEM) when it fails. */
char *pipeline_text(size_t n, size_t *len);

#endif
