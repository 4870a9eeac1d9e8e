/* sortkey_link.c: the lesson's case-insensitive sorts (03_benchmem/sortkey.c), compiled into
 * this exercise: the tests take their words from sortkey_words, count a sort's comparisons
 * with sortkey_inplace and ask sortkey_qsort_allocs for qsort's own blocks. */
#include "sortkey.c"
