/* The playlist: each song points back at its playlist with a weak pointer, which holds
 * no reference and is cleared when the playlist is freed. */
#include "exercise.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

struct playlist {
    size_t refs;         /* references held to the playlist: the caller's */
    size_t n;            /* songs made so far */
    struct song **songs; /* n pointers, each holding a reference to its song */
};

struct song {
    size_t refs;         /* references held to the song: its playlist's, and any kept */
    size_t number;
    struct playlist *list; /* weak: the playlist it belongs to, no reference held;
                              NULL once the playlist is freed */
};

static void playlist_free(struct playlist *p)
{
    for (size_t i = 0; i < p->n; i++) {
        p->songs[i]->list = NULL; /* the song may live on: no pointer left dangling */
        song_release(p->songs[i]);
    }
    free(p->songs);
    free(p);
}

void playlist_release(struct playlist *p)
{
    if (p != NULL && --p->refs == 0)
        playlist_free(p);
}

struct playlist *playlist_new(size_t n)
{
    struct playlist *p;

    if (n > SIZE_MAX / sizeof *p->songs) {
        errno = ENOMEM;
        return NULL;
    }
    if ((p = malloc(sizeof *p)) == NULL)
        return NULL;
    *p = (struct playlist){.refs = 1};
    if (n > 0 && (p->songs = malloc(n * sizeof *p->songs)) == NULL) {
        free(p);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        struct song *s = malloc(sizeof *s);

        if (s == NULL) {
            playlist_release(p); /* the songs made so far go with it */
            return NULL;
        }
        /* the way back up is weak: counting it would make a cycle that no release
         * brings to 0 (the playlist holds the song, the song the playlist) */
        *s = (struct song){.refs = 1, .number = i, .list = p};
        p->songs[p->n++] = s;
    }
    return p;
}

size_t playlist_len(const struct playlist *p)
{
    return p->n;
}

struct song *playlist_song(const struct playlist *p, size_t i)
{
    return p->songs[i];
}

struct song *song_retain(struct song *s)
{
    s->refs++;
    return s;
}

void song_release(struct song *s)
{
    if (s == NULL || --s->refs > 0)
        return;
    free(s); /* its pointer to the playlist held no reference: nothing to give back */
}

size_t song_number(const struct song *s)
{
    return s->number;
}

struct playlist *song_playlist(const struct song *s)
{
    return s->list;
}
