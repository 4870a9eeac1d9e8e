/* schlemiel.c: Schlemiel the painter, counted. n parts of PART_LEN bytes appended one by
 * one, at n and at 2n, three ways: strcat into a buffer reserved first (append_strcat),
 * the same with the length kept (append_kept), and asprintf(&t, "%s%s", s, part)
 * (heavy_asprintf). Each loop runs again under valgrind --tool=callgrind (this program in
 * its variant mode, see variant_start), which counts the instructions executed inside it,
 * from its entry to its return, exactly: the same on every run. For asprintf, only those
 * inside strlen, which each %s calls (on all of s, then on part): the walk, without the
 * copies and the allocations around it. The counts belong to the glibc release and to
 * the string functions it picks for the CPU that Valgrind presents: the output names
 * them. Where Valgrind cannot run this program (under another Valgrind tool, in a
 * sanitizer build, not installed) the counts are left out and a line says why; a
 * callgrind run that fails is an error. The allocations come from a run without
 * Valgrind, counted, which also checks that the three loops make the same string.
 *
 *   build/05_string_building/demo/schlemiel [N]    N parts (default 2,000), then 2N
 *
 * make schlemiel-05 runs it. */
#include <gnu/libc-version.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "append.h"
#include "cli.h"
#include "countalloc.h"
#include "profrun.h"
#include "report.h"
#include "strbuild.h"

#define PROG "schlemiel"
#define PART_LEN 10    /* bytes per part, as in make run-05 */
#define DEFAULT_N 2000 /* and 4,000: under callgrind, a few seconds in all */
#define MAX_N 10000    /* asprintf's loop at 20,000 parts: minutes under callgrind */

enum loop { STRCAT, KEPT, ASPRINTF, LOOPS };

/* The names of glibc's string functions that ran, as callgrind reports them. */
enum { WORD_STRCAT, WORD_STRLEN, WORD_MEMCPY, WORD_MEMMOVE };
static const char *const words[] = {"strcat", "strlen", "memcpy", "memmove", NULL};

/* Each loop, the function callgrind collects in, and what it reports of it. */
static const struct {
    const char *name;   /* the loop, the allocations table's heading */
    const char *head;   /* the instructions table's heading */
    const char *func;   /* --toggle-collect: instructions from its entry to its return */
    int word;           /* WORD_*: the instructions of strlen alone, or -1: all of them */
} loops[LOOPS] = {
    [STRCAT] = {"strcat", "strcat", "append_strcat", -1},
    [KEPT] = {"length kept", "length kept", "append_kept", -1},
    [ASPRINTF] = {"asprintf", "asprintf's strlen", "heavy_asprintf", WORD_STRLEN},
};

/* n parts, a buffer big enough for all of them, and one loop over them: 0, or -1 when out
 * of memory or a loop failed. The string is left in *out (the caller frees it). */
static int run_loop(enum loop l, size_t n, char **out, struct countalloc_stats *d)
{
    struct strbuild_parts in;
    struct strbuild_out r = {0};
    struct countalloc_stats start;
    char *buf = NULL;
    int rc = -1;

    if (strbuild_parts_make(&in, n, PART_LEN) != 0)
        return -1;
    if (l != ASPRINTF && (buf = malloc(in.total + 1)) == NULL) { /* reserved before the loop */
        strbuild_parts_free(&in);
        return -1;
    }
    countalloc_measure_begin(&start);
    switch (l) {
    case STRCAT:
        rc = append_strcat(buf, in.total + 1, &in);
        break;
    case KEPT:
        rc = append_kept(buf, in.total + 1, &in);
        break;
    case ASPRINTF:
        rc = heavy_asprintf(&in, &r); /* makes its own string */
        break;
    case LOOPS:
        break;
    }
    *d = countalloc_measure_end(&start);
    strbuild_parts_free(&in);
    if (rc != 0) {
        free(buf);
        return -1;
    }
    *out = l == ASPRINTF ? r.s : buf;
    return 0;
}

/* The variant: PROFRUN_ENV holds "LOOP N"; run that loop once and exit, under callgrind. */
__attribute__((constructor)) static void variant_start(void)
{
    const char *arg = getenv(PROFRUN_ENV);
    struct countalloc_stats d;
    unsigned loop;
    unsigned long long n;
    char *s;

    if (arg == NULL)
        return;
    if (sscanf(arg, "%u %llu", &loop, &n) != 2 || loop >= LOOPS || n < 1 || n > 2 * MAX_N) {
        fprintf(stderr, "%s: %s must be LOOP N, LOOP from 0 to %d and N from 1 to %d, got '%s'\n",
                PROG, PROFRUN_ENV, LOOPS - 1, 2 * MAX_N, arg);
        _exit(2);
    }
    if (run_loop((enum loop)loop, (size_t)n, &s, &d) != 0)
        _exit(1);
    free(s);
    _exit(0);
}

/* The instructions of loop l at n parts, counted by callgrind, into *ins; names[] learns
 * the string functions that ran. 0, or -1 with the reason in err[size]. */
static int count(enum loop l, uint64_t n, uint64_t *ins, char names[][PROFRUN_FUNC_MAX],
                 char *err, size_t size)
{
    char toggle[64], value[64];
    const char *const opts[] = {"--collect-atstart=no", toggle, NULL};
    struct profrun_callgrind c;

    snprintf(toggle, sizeof toggle, "--toggle-collect=%s", loops[l].func);
    snprintf(value, sizeof value, "%d %llu", (int)l, (unsigned long long)n);
    if (profrun_callgrind_self(opts, value, words, &c, err, size) != 0)
        return -1;
    if (c.total == 0) {
        snprintf(err, size, "callgrind collected nothing in %s", loops[l].func);
        return -1;
    }
    if (loops[l].word >= 0 && c.name[loops[l].word][0] == '\0') {
        snprintf(err, size, "no function named with '%s' ran in %s (are glibc's symbols "
                 "installed? Debian: libc6-dbg)", words[loops[l].word], loops[l].func);
        return -1;
    }
    *ins = loops[l].word >= 0 ? c.self[loops[l].word] : c.total;
    for (int w = 0; words[w] != NULL; w++)
        if (names[w][0] == '\0')
            memcpy(names[w], c.name[w], PROFRUN_FUNC_MAX);
    return 0;
}

static const char *growth(uint64_t now, uint64_t before, char *buf, size_t size)
{
    if (before == 0)
        return "-";
    snprintf(buf, size, "x%.1f", (double)now / (double)before);
    return buf;
}

int main(int argc, char **argv)
{
    uint64_t n[2], ins[2][LOOPS] = {{0}}, allocs[2][LOOPS];
    char names[PROFRUN_MAX_WORDS][PROFRUN_FUNC_MAX] = {{0}};
    char why[256] = "", a[32], b[32], g[32];
    bool counted, same = true;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[N]");
    n[0] = argc == 2 ? cli_u64(PROG, "N", argv[1], 1, MAX_N) : DEFAULT_N;
    n[1] = 2 * n[0];

    /* Without Valgrind: each loop's allocations, and the three strings compared. */
    for (int r = 0; r < 2; r++) {
        char *s[LOOPS];
        for (int l = 0; l < LOOPS; l++) {
            struct countalloc_stats d;
            if (run_loop((enum loop)l, n[r], &s[l], &d) != 0) {
                while (l-- > 0)
                    free(s[l]);
                cli_oom(PROG, "appending the parts");
            }
            allocs[r][l] = d.mallocs;
        }
        same = same && strcmp(s[STRCAT], s[KEPT]) == 0 && strcmp(s[KEPT], s[ASPRINTF]) == 0;
        for (int l = 0; l < LOOPS; l++)
            free(s[l]);
    }

    printf("%s: n parts of %d B appended one by one, at n = %s and %s\n", PROG, PART_LEN,
           report_count(n[0], a, sizeof a), report_count(n[1], b, sizeof b));
    printf("  strcat             strcat(buf, part) per part, buf reserved first (append_strcat)\n");
    printf("  length kept        memcpy(buf + len, part, n), len kept as sb_append keeps b.len "
           "(append_kept)\n");
    printf("  asprintf's strlen  asprintf(&t, \"%%s%%s\", s, part) per part (heavy_asprintf): only\n"
           "                     the instructions in strlen, which each %%s calls: on all of s,\n"
           "                     then on part\n\n");
    printf("instructions inside each loop, counted by valgrind --tool=callgrind\n");
    cli_flush_stdout(); /* output that cannot be written stops here, before seconds of callgrind */

    /* Under callgrind: each loop's instructions, where Valgrind can run this program. */
    counted = profrun_available(why, sizeof why) == 0;
    for (int r = 0; r < 2 && counted; r++)
        for (int l = 0; l < LOOPS; l++)
            if (count((enum loop)l, n[r], &ins[r][l], names, why, sizeof why) != 0) {
                fprintf(stderr, "%s: counting the instructions of %s under callgrind: %s\n",
                        PROG, loops[l].func, why);
                return 1;
            }

    if (counted)
        printf("glibc %s, as it picks its string functions for the CPU Valgrind presents:\n"
               "strcat is %s, memcpy %s, strlen %s\n", gnu_get_libc_version(), names[WORD_STRCAT],
               names[WORD_MEMCPY][0] != '\0' ? names[WORD_MEMCPY] : names[WORD_MEMMOVE],
               names[WORD_STRLEN]);
    printf("(growth: the second row over the first; n^2 shows as x4.0, n as x2.0)\n\n");
    printf("%10s", "n");
    for (int l = 0; l < LOOPS; l++)
        printf("  %18s %7s", loops[l].head, "growth");
    printf("\n");
    for (int r = 0; r < 2; r++) {
        printf("%10s", report_count(n[r], a, sizeof a));
        for (int l = 0; l < LOOPS; l++)
            printf("  %18s %7s", counted ? report_count(ins[r][l], b, sizeof b) : "-",
                   counted && r > 0 ? growth(ins[r][l], ins[r - 1][l], g, sizeof g) : "-");
        printf("\n");
    }
    if (!counted)
        printf("(instructions not counted: %s)\n", why);

    printf("\nallocations inside each loop, counted (a run without Valgrind)\n\n");
    printf("%10s", "n");
    for (int l = 0; l < LOOPS; l++)
        printf("  %18s%s", loops[l].name, l < LOOPS - 1 ? "        " : "\n");
    for (int r = 0; r < 2; r++) {
        printf("%10s", report_count(n[r], a, sizeof a));
        for (int l = 0; l < LOOPS; l++)
            printf("  %18s%s", report_count(allocs[r][l], b, sizeof b),
                   l < LOOPS - 1 ? "        " : "\n");
    }
    printf("\nthe same string from all three: %s\n", same ? "yes" : "NO (a bug)");
    return same ? 0 : 1;
}
