/* maptab_link.c: the lesson's hash table (03_benchmem/maptab.c), compiled into this
 * exercise: the cache is built on it. */
#include "maptab.c"
