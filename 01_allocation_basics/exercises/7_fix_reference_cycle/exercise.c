/* Fix the playlist: the caller's last playlist_release must free the playlist and every
 * song in it (n + 2 blocks), and a song kept with song_retain must outlive its playlist,
 * its song_playlist then NULL.
 *
 * Now nothing is ever freed: the playlist stays allocated after its last release, and so
 * do its songs. Count the references to the playlist after playlist_new returns. */
#include "exercise.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

struct playlist {
    size_t refs;         /* references held to the playlist: the caller's, and... */
    size_t n;            /* songs made so far */
    struct song **songs; /* n pointers, each holding a reference to its song */
};

struct song {
    size_t refs;         /* references held to the song: its playlist's, and any kept */
    size_t number;
    struct playlist *list; /* the playlist it belongs to; NULL once that is freed */
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

static struct playlist *playlist_retain(struct playlist *p)
{
    p->refs++;
    return p;
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
        /* each song holds a reference to its playlist, so the playlist lives as long as
         * any of its songs */
        *s = (struct song){.refs = 1, .number = i, .list = playlist_retain(p)};
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
    playlist_release(s->list); /* the reference the song held */
    free(s);
}

size_t song_number(const struct song *s)
{
    return s->number;
}

struct playlist *song_playlist(const struct song *s)
{
    return s->list;
}
