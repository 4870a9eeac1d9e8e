/* exercise.h: lesson 01, fix: a playlist that owns its songs, each song pointing back at
 * its playlist, shared by reference counting (see "Reference counting" in the lesson's
 * README).
 *
 * playlist_new hands the caller one reference to a playlist of n songs; a playlist holds
 * one reference to each of its songs. playlist_release and song_release give a reference
 * back, and do nothing for NULL; the release that brings a count to 0 frees the object
 * then and there, and gives back the references it held. A song kept with song_retain
 * outlives its playlist, and then song_playlist returns NULL.
 *
 * The budget: n + 2 allocations for a playlist of n songs (the playlist, its array of n
 * song pointers, one block per song; n + 1 when n is 0), and the caller's last release
 * frees every one of them. Out of memory: NULL, and nothing left allocated. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

struct playlist; /* defined in exercise.c; read it through the functions below */
struct song;

struct playlist *playlist_new(size_t n);
void playlist_release(struct playlist *p);

size_t playlist_len(const struct playlist *p);
struct song *playlist_song(const struct playlist *p, size_t i); /* i < playlist_len */

struct song *song_retain(struct song *s); /* one more reference; returns s */
void song_release(struct song *s);
size_t song_number(const struct song *s);            /* its place in the playlist, from 0 */
struct playlist *song_playlist(const struct song *s); /* NULL once the playlist is freed */

#endif
