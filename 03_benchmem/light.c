/* light.c: every record formatted into one buffer, reused and grown only when a line
 * does not fit. 1 allocation per call, none per record. */
#include "benchmem.h"


int light_format(const struct record *recs, size_t n, const struct benchmem_sink *out)
{
    struct benchmem_buf buf = BENCHMEM_BUF_INIT; /* one buffer for every line */
    int rc = 0;

    for (size_t i = 0; i < n; i++) {
        char *line = NULL;
        int len = benchmem_buf_printf(&buf, BENCHMEM_FORMAT, BENCHMEM_ARGS(&recs[i]));

        if (len < 0) {
            rc = -1;
            break;
        }
        line = buf.p;
        out->write(out->ctx, line, (size_t)len);
    }
    benchmem_buf_free(&buf); /* once, after the last record */
    return rc;
}
