/* logline_link.c: the lesson's logger (05_string_building/logline.c), compiled into this
 * exercise: the handler logs through it, and its describe counts its calls. */
#include "logline.c"
