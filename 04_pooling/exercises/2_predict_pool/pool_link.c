/* pool_link.c: the lesson's free-list pool (04_pooling/pool.c), compiled into this
 * exercise: the snippets use it as the lesson does. */
#include "pool.c"
