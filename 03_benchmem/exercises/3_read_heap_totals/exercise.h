/* exercise.h: lesson 03, read: allocs/op and B/op from whole-program totals. memcheck's
 * "total heap usage" line of a program you have not read (variant.c), run at two sizes,
 * gives what each record costs and what the run costs whatever its size. exercise.c
 * holds your answers; test_exercise.c runs memcheck the same way and compares. */
#ifndef EXERCISE_H
#define EXERCISE_H

#define READ_SMALL 1000 /* records in the first run */
#define READ_LARGE 2000 /* records in the second */

/* Your answers, in exercise.c (-1 means: not answered yet). */
extern const long long allocs_per_record;       /* allocations each record adds */
extern const long long bytes_per_record;        /* bytes allocated each record adds */
extern const long long fixed_allocs;            /* allocations a run makes whatever N is */
extern const long long leaked_bytes_per_record; /* "in use at exit" bytes each record adds */

/* The variant program (variant.c): processes n records; 0 on success. */
int variant_main(unsigned long n);

#endif
