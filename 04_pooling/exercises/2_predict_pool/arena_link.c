/* arena_link.c: the lesson's arena (04_pooling/arena.c), compiled into this exercise. */
#include "arena.c"
