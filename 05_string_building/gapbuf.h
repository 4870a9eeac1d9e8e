/* gapbuf: a text edited at a cursor, the way an editor holds it, two ways in one struct.
 * The text lives in one block of cap bytes with a gap of free bytes in it: the text is
 * buf[0..gap_start) then buf[gap_end..cap).
 *
 * Array (GAP_ARRAY): the gap stays at the end, so the text is whole at the front, as in a
 * plain growing array. A keystroke at the cursor moves the tail, every byte after the
 * cursor, one byte on (memmove), then writes; moving the cursor moves nothing.
 * Gap buffer (GAP_BUFFER): the gap stays at the cursor. A keystroke writes into the gap
 * and moves nothing; moving the cursor by D bytes moves those D bytes across the gap.
 *
 *   struct gapbuf g;
 *   gapbuf_init(&g, GAP_BUFFER, text, n, room);  // one allocation of n + room bytes
 *   gapbuf_move(&g, n / 2);                      // buffer: n - n/2 bytes moved; array: 0
 *   gapbuf_insert(&g, 'x');                      // buffer: 0 moved; array: the tail
 *   gapbuf_text(&g, out);                        // the text, gapbuf_len(&g) bytes
 *   gapbuf_free(&g);
 *
 * Both count what they do: the bytes of text the edits moved (moved), the growths and
 * the bytes they copied. A keystroke into a full gap grows the block, either way, to twice
 * its size: one malloc, the text copied over (its length counted in copied), one free. So
 * after g growths cap is (n + room) * 2^g, and K keystrokes typed into a text of n bytes
 * make the least g with (n + room) * 2^g >= n + K growths: none while K <= room.
 *
 * Failure: gapbuf_init and a keystroke that must grow return -1 (errno ENOMEM, EOVERFLOW
 * when the size would not fit in size_t) with nothing allocated and the buffer exactly as
 * it was. A cursor past the end, or a backspace at 0, is EINVAL, nothing changed. */
#ifndef GAPBUF_H
#define GAPBUF_H

#include <stddef.h>
#include <stdint.h>

enum gap_way { GAP_ARRAY, GAP_BUFFER };

struct gapbuf {
    enum gap_way way;
    char *buf;        /* cap bytes, one malloc'd block */
    size_t cap;
    size_t gap_start; /* the text is buf[0..gap_start) then buf[gap_end..cap) */
    size_t gap_end;   /* array: always cap */
    size_t cursor;    /* where the next keystroke goes, 0..gapbuf_len; buffer: gap_start */
    uint64_t moved;   /* bytes of text moved by keystrokes and cursor moves */
    uint64_t grows;   /* growths */
    uint64_t copied;  /* bytes of text copied into the grown blocks */
};

/* The n bytes of text (n may be 0), room bytes free after them, the cursor at the end:
 * one allocation of n + room bytes, room at least 1. 0, or -1 (EINVAL for a room of 0;
 * EOVERFLOW; ENOMEM) with nothing allocated. */
int gapbuf_init(struct gapbuf *g, enum gap_way way, const char *text, size_t n, size_t room);

/* Bytes of text. */
static inline size_t gapbuf_len(const struct gapbuf *g)
{
    return g->cap - (g->gap_end - g->gap_start);
}

/* Put the cursor at pos (0..gapbuf_len). Array: nothing moved. Buffer: the bytes between
 * the cursor and pos moved across the gap. -1 (EINVAL) for pos past the end. */
int gapbuf_move(struct gapbuf *g, size_t pos);

/* Type c at the cursor, the cursor after it. Array: the bytes after the cursor moved one
 * on. Buffer: none. A full gap grows the block first; 0, or -1 (ENOMEM, EOVERFLOW) with
 * the buffer as it was. */
int gapbuf_insert(struct gapbuf *g, char c);

/* Backspace: delete the byte before the cursor. Array: the bytes after the cursor moved
 * one back. Buffer: none. Never allocates. -1 (EINVAL) at 0. */
int gapbuf_backspace(struct gapbuf *g);

/* Copy the text, gapbuf_len(g) bytes, into out (no '\0' added): two memcpy. */
void gapbuf_text(const struct gapbuf *g, char *out);

/* Free the block. gapbuf_free(NULL) does nothing. */
void gapbuf_free(struct gapbuf *g);

#endif
