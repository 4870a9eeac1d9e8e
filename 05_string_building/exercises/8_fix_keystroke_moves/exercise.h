/* exercise.h: lesson 05, fix: typing in the middle of a text. An editor keeps its text in
 * one malloc'd block of cap bytes with a gap of free bytes in it: the text is
 * buf[0..gap_start) then buf[gap_end..cap). edit_insert types a byte at the cursor and
 * puts the cursor after it; edit_move puts the cursor anywhere in the text.
 *
 * The goal: a keystroke at the cursor moves no byte of the text. Keep the gap at the
 * cursor (gap_start == cursor): a keystroke writes into the gap, and moving the cursor by
 * D bytes moves those D bytes across it.
 *
 * How the tests see it, from outside, with no counter of the exercise's own: before each
 * keystroke they copy the whole block, and after it they count the bytes of the block
 * that differ. The text's neighbouring bytes always differ, so a keystroke that moves the
 * bytes after the cursor one on changes every byte they cover, and one that writes into
 * the gap changes one byte at most (none, if the gap held that letter already). A move of
 * the cursor by D may change D bytes. The text is read back from the block (edit_text),
 * and the allocations are counted: the load and edit_grow's growths, nothing else.
 *
 * Out of memory (a growth that fails): edit_insert returns -1, the text and the cursor as
 * they were. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

#define EDIT_ROOM 16 /* free bytes after the text when it is loaded */

struct edit {
    char *buf;        /* cap bytes, one malloc'd block */
    size_t cap;
    size_t gap_start; /* the text is buf[0..gap_start) then buf[gap_end..cap) */
    size_t gap_end;
    size_t cursor;    /* where the next keystroke goes: 0..edit_len */
};

/* Bytes of text. */
static inline size_t edit_len(const struct edit *e)
{
    return e->cap - (e->gap_end - e->gap_start);
}

/* Load n bytes of text: one allocation of n + EDIT_ROOM bytes, the gap and the cursor at
 * the end. 0, or -1 (out of memory) with nothing allocated. In edit.c. */
int edit_init(struct edit *e, const char *text, size_t n);

/* A full gap (gap_start == gap_end): a block twice the size, buf[0..gap_start) copied to
 * its start and buf[gap_end..cap) to its end, so the gap stays where it was and is cap
 * bytes long; one malloc, one free. 0, or -1 (out of memory) with e as it was. In edit.c. */
int edit_grow(struct edit *e);

/* Copy the text, edit_len(e) bytes, into out. In edit.c. */
void edit_text(const struct edit *e, char *out);

/* Free the block. edit_free(NULL) does nothing. In edit.c. */
void edit_free(struct edit *e);

/* Put the cursor at pos. 0, or -1 for pos past the end, nothing changed. In exercise.c. */
int edit_move(struct edit *e, size_t pos);

/* Type c at the cursor, the cursor after it; a full gap grows first (edit_grow). 0, or -1
 * (out of memory) with the text and the cursor as they were. In exercise.c. */
int edit_insert(struct edit *e, char c);

#endif
