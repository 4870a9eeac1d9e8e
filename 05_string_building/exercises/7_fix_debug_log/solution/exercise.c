/* solution/exercise.c: the level checked at the call site, before the arguments. With
 * debug off, describe is not called and nothing is allocated; with debug on, describe's
 * string is the line's only block, written by logline_printf straight into the stream and
 * freed inside the check (a macro such as LOGLINE_DEBUGF could not free it). In Go,
 * if debugOn { ... } around the call; in Python, logger.isEnabledFor(logging.DEBUG). */
#include "exercise.h"

#include <errno.h>
#include <stdlib.h>

int handle_order(struct logline *lg, const struct logline_obj *o, struct order_totals *t)
{
    if (LOGLINE_ON(lg, LOGLINE_DEBUG)) {
        char *d = logline_describe(o);
        int rc, saved;

        if (d == NULL)
            return -1; /* errno ENOMEM */
        rc = logline_printf(lg, LOGLINE_DEBUG, "handling %s", d);
        saved = errno;
        free(d);
        errno = saved;
        if (rc != 0)
            return -1; /* the sink's error */
    }
    t->orders++;
    t->items += o->items;
    return 0;
}
