/* variant.c: the program whose memcheck summary you read in this exercise. Answer from
 * memcheck's output first; read this afterwards, to check what the output told you.
 *
 * Run with EXERCISE_VARIANT=N (records, 1 to 1,000,000), it processes N records instead
 * of running the tests. */
#include "exercise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profrun.h"

struct record {
    char *name;
    unsigned long id;
    double score;
    unsigned long flags;
};

/* One record: its struct, its name, and a scratch line it is parsed from. */
static struct record *record_parse(unsigned long id)
{
    char *line = malloc(128);
    struct record *r;

    if (line == NULL)
        return NULL;
    snprintf(line, 128, "rec%07lu,%lu.5", id, id % 100);
    r = malloc(sizeof *r);
    if (r != NULL) {
        r->name = strndup(line, 10);
        r->id = id;
        r->score = strtod(line + 11, NULL);
        r->flags = 0;
        if (r->name == NULL) {
            free(r);
            r = NULL;
        }
    }
    free(line);
    return r;
}

int variant_main(unsigned long n)
{
    struct record **table = malloc(n * sizeof *table);
    double total = 0;
    int rc = 0;

    if (table == NULL)
        return 1;
    for (unsigned long i = 0; i < n; i++) {
        table[i] = record_parse(i);
        if (table[i] == NULL) {
            n = i;
            rc = 1;
            break;
        }
        total += table[i]->score;
    }
    for (unsigned long i = 0; i < n; i++)
        free(table[i]); /* the struct; its name stays behind */
    free(table);
    return total >= 0 ? rc : 1;
}

__attribute__((constructor)) static void variant_start(void)
{
    const char *arg = getenv(PROFRUN_ENV);
    char *end;
    unsigned long n;

    if (arg == NULL)
        return;
    n = strtoul(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || n < 1 || n > 1000000) {
        fprintf(stderr, "%s: records must be a number from 1 to 1,000,000, got '%s'\n",
                PROFRUN_ENV, arg);
        _exit(2);
    }
    _exit(variant_main(n));
}
