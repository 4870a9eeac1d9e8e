/* variant.c: the program you profile in this exercise. Answer from massif's output
 * first; read this afterwards, to check what the output told you.
 *
 * It runs, instead of the tests, when EXERCISE_VARIANT is set (see exercise.c). */
#include "exercise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profrun.h"
#include "sb.h"

#define ROWS 400

/* Row i of the report, into buf: "row,NNN,value-NNN\n" (19 bytes). */
static size_t row(char *buf, size_t size, int i)
{
    return (size_t)snprintf(buf, size, "row,%03d,value-%03d\n", i, i * 7 % 1000);
}

/* The report with a builder: it grows by doubling. */
static char *render_builder(void)
{
    struct sb b = SB_INIT;
    char line[32];

    for (int i = 0; i < ROWS; i++) {
        size_t n = row(line, sizeof line, i);
        if (sb_append(&b, line, n) != 0) {
            sb_free(&b);
            return NULL;
        }
    }
    return sb_detach(&b, NULL);
}

/* The report as `report = report + row`: a new string for every row. */
static char *render_concat(void)
{
    char *report = NULL, line[32];
    size_t len = 0;

    for (int i = 0; i < ROWS; i++) {
        size_t n = row(line, sizeof line, i);
        char *longer = malloc(len + n + 1);
        if (longer == NULL) {
            free(report);
            return NULL;
        }
        if (report != NULL)
            memcpy(longer, report, len);
        memcpy(longer + len, line, n + 1);
        free(report);
        report = longer;
        len += n;
    }
    return report;
}

int variant_main(void)
{
    char *a = render_builder(), *b = NULL;
    int rc = 1;

    if (a != NULL) {
        free(a);
        b = render_concat();
        rc = b != NULL ? 0 : 1;
        free(b);
    }
    return rc;
}

__attribute__((constructor)) static void variant_start(void)
{
    if (getenv(PROFRUN_ENV) != NULL)
        _exit(variant_main());
}
