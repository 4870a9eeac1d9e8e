/* buddy_link.c: the lesson's buddy allocator (04_pooling/buddy.c), compiled into this
 * exercise: the snippets use it as the lesson does. */
#include "buddy.c"
