/* pool_link.c: the lesson's free-list pool (04_pooling/pool.c), compiled into this
 * exercise with its Valgrind annotations on (exercise.h turns them on), so that memcheck
 * knows which objects the pool has taken back. */
#include "exercise.h"

#include "pool.c"
