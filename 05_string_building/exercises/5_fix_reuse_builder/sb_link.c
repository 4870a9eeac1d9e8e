/* sb_link.c: the lesson's string builder (05_string_building/sb.c), compiled into this
 * exercise: the snippets use it as the lesson does. */
#include "sb.c"
