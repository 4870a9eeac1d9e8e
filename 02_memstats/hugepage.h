/* hugepage.h: transparent huge pages (THP), lesson 02. Where the kernel maps a 2 MiB span
 * of anonymous memory with one huge page instead of 512 pages of 4 KiB, the first write to
 * the span faults once and makes the whole span resident: one fault for 512, and 2 MiB of
 * Rss for a byte. Whether it does depends on the kernel's mode
 * (/sys/kernel/mm/transparent_hugepage/enabled), on the advice the program gave the range
 * (madvise MADV_HUGEPAGE or MADV_NOHUGEPAGE), and on a free 2 MiB block being there.
 *
 * A region here is spans x the huge page size, aligned to the huge page size and mapped
 * on its own: one span more and a page are reserved PROT_NONE, the aligned spans inside
 * made read-write, and the rest left PROT_NONE on both sides, so that the kernel never
 * merges the region with a neighbour and its smaps entry is its pages alone.
 *
 * Ownership: a region is the caller's until hugepage_region_unmap. Out of memory: the
 * regions are mmap'd, no heap; when mmap or mprotect fails, hugepage_region_map returns
 * -1 with errno and leaves nothing mapped. hugepage_malloc_measure makes one malloc and
 * frees it; it returns -1 with ENOMEM when the malloc fails. */
#ifndef HUGEPAGE_H
#define HUGEPAGE_H

#include <stddef.h>
#include <stdint.h>

#define HUGEPAGE_SYSFS "/sys/kernel/mm/transparent_hugepage"
#define HUGEPAGE_ENABLED HUGEPAGE_SYSFS "/enabled"
#define HUGEPAGE_PMD_SIZE HUGEPAGE_SYSFS "/hpage_pmd_size"
/* The huge page size where the kernel does not say (no THP): x86-64's. */
#define HUGEPAGE_DEFAULT_SIZE (2u << 20)

/* The kernel's THP mode, the bracketed word of the enabled file:
 *   always   every anonymous range gets huge pages where it can, unless told NOHUGEPAGE;
 *   madvise  only ranges given MADV_HUGEPAGE;
 *   never    none, whatever the advice;
 *   missing  no such file (a kernel built without THP): none, as never. */
enum hugepage_mode { HUGEPAGE_MISSING, HUGEPAGE_NEVER, HUGEPAGE_MADVISE, HUGEPAGE_ALWAYS };

/* The mode in the text of the enabled file ("always [madvise] never\n"): 0, or -1 with
 * EINVAL when no known word is bracketed. */
int hugepage_mode_parse(const char *text, enum hugepage_mode *mode);
/* The mode read from path (HUGEPAGE_ENABLED): HUGEPAGE_MISSING when the file cannot be
 * read or says nothing known. The file's text, its newline dropped, into text[size] ("" if
 * none). Nothing allocated. */
enum hugepage_mode hugepage_mode_read(const char *path, char *text, size_t size);
const char *hugepage_mode_name(enum hugepage_mode mode); /* "always", ..., "missing" */

/* The huge page size in bytes, from path (HUGEPAGE_PMD_SIZE); HUGEPAGE_DEFAULT_SIZE when
 * the file cannot be read or holds no number. */
size_t hugepage_size_read(const char *path);

/* The sizes below span the kernel may also map an anonymous fault with (multi-size THP:
 * HUGEPAGE_SYSFS/hugepages-<size>kB/enabled not "never", or "inherit" in a mode other than
 * never), a folio of several pages at a time: how many. 0 where the files are missing, as
 * on kernels without multi-size THP, and where every size below the huge page is "never";
 * with one on, a fault outside the huge pages maps more than a page, and the figures below
 * are bounds, not the exact relation. */
unsigned hugepage_small_folios(size_t span);

/* What a region is told before its first write. */
enum hugepage_advice {
    HUGEPAGE_NO,   /* madvise(MADV_NOHUGEPAGE) */
    HUGEPAGE_NONE, /* no advice */
    HUGEPAGE_YES,  /* madvise(MADV_HUGEPAGE) */
    HUGEPAGE_ADVICES
};
const char *hugepage_advice_name(enum hugepage_advice advice);

/* The most spans of a region the kernel may map with huge pages, for its mode and the
 * region's advice: 0 with MADV_NOHUGEPAGE, in never or missing, and with no advice in
 * madvise; all of them otherwise. The least is always 0: the kernel gives a huge page only
 * where it finds a free block of that size (or, with MADV_HUGEPAGE, can make one). */
size_t hugepage_most(enum hugepage_mode mode, enum hugepage_advice advice, size_t spans);

struct hugepage_region {
    unsigned char *map; /* the whole reservation, PROT_NONE but for [p, p + len) */
    size_t map_len;
    unsigned char *p;   /* spans x span bytes, read-write, p a multiple of span */
    size_t len;
    size_t span;        /* the huge page size the region is aligned to */
    int advice_err;     /* 0, or madvise's errno (EINVAL: a kernel without THP) */
};

/* Map a region of spans x span bytes (span a power of two, a multiple of the page size)
 * and give it advice; nothing written. A refused madvise is only a hint refused: the
 * region is still mapped, and advice_err says why. 0; or -1 with errno (EINVAL for a bad
 * span or no spans, ENOMEM for a size that overflows, or what mmap or mprotect said),
 * nothing mapped. */
int hugepage_region_map(struct hugepage_region *r, size_t spans, size_t span,
                        enum hugepage_advice advice);
void hugepage_region_unmap(struct hugepage_region *r); /* nothing for an unmapped one */

/* Write one byte at p, p + stride, ... below p + len: returns the bytes written. Not
 * instrumented by ASan, whose check of each write would read a shadow page of its own
 * and fault there too. */
size_t hugepage_touch(unsigned char *p, size_t len, size_t stride);

/* What touching a range did to the mapping that holds it, from the minor faults around the
 * touching (procfs_minor_faults) and the mapping's smaps entry before and after
 * (procfs_mapping): changes, so that a neighbour merged into the mapping, or a chunk
 * header written before, does not count. */
struct hugepage_figures {
    uint64_t faults;    /* minor faults while it was touched */
    uint64_t rss;       /* Rss the mapping gained, bytes */
    uint64_t anon_huge; /* AnonHugePages it gained, bytes: H = anon_huge / span */
    uint64_t offset;    /* where the range starts within its page (0 for a region) */
    int advice_err;     /* the region's advice_err; 0 for a malloc'd block */
};

/* The smaps figures of the mapping that holds addr (Rss, AnonHugePages), in bytes: 0, or
 * -1 with errno (procfs_mapping's). */
int hugepage_smaps(const void *addr, uint64_t *rss, uint64_t *anon_huge);

/* Touch [p, p + len) one byte per stride and measure it (above). 0, or -1 with errno. */
int hugepage_touch_measure(unsigned char *p, size_t len, size_t stride, struct hugepage_figures *f);

/* A region of spans x span bytes with advice, one byte written per span, measured, then
 * unmapped; with all not NULL, then one byte written in every page too, and the whole
 * measured into *all (faults and Rss gained since the region was mapped). 0, or -1 with
 * errno, nothing left mapped. */
int hugepage_measure(size_t spans, size_t span, enum hugepage_advice advice,
                     struct hugepage_figures *f, struct hugepage_figures *all);

/* What huge pages buy: the time of random reads over a region whose every page is
 * resident, so that no fault is inside the timing. A read of a random 8-byte word of a
 * large region misses the TLB, the processor's cache of page-table entries, unless its
 * page's entry is there: one entry covers a page of 4 KiB or a huge page of 2 MiB, so a
 * region mapped huge needs 512 times fewer of them, and each miss walks one level less.
 * The reads are a chain: of the region's n words, each reads word y x n / 2^64, with
 * y = x + v x HUGEPAGE_SEED (mod 2^64), x the next number of a PRNG (shuffle.h's
 * xorshift64*, seeded with HUGEPAGE_SEED) and v the value the read before found (0 at
 * first). Each address waits for the read before it, so they run one after another, and
 * their sum is kept, so the compiler cannot drop them. */
#define HUGEPAGE_SEED UINT64_C(0x9e3779b97f4a7c15)

struct hugepage_timing {
    uint64_t pages;     /* pages written before the reads: every page of the region */
    uint64_t reads;     /* random 8-byte reads timed */
    uint64_t faults;    /* minor faults while they ran: 0, every page being resident */
    uint64_t anon_huge; /* the region's AnonHugePages when they began: H = anon_huge / span */
    double ns;          /* their time, the thread's CPU time (CLOCK_THREAD_CPUTIME_ID) */
    double ns_per_read; /* ns / reads */
    uint64_t sum;       /* the values read, added up */
    int advice_err;     /* the region's advice_err */
};

/* A region of spans x span bytes with advice, a byte written in every page (one write
 * each), then reads random reads of its 8-byte words timed, and unmapped. Nothing
 * allocated. 0; or -1 with errno (EINVAL for no reads, or what hugepage_region_map and
 * hugepage_smaps said), nothing left mapped. */
int hugepage_time_reads(size_t spans, size_t span, enum hugepage_advice advice, uint64_t reads,
                        struct hugepage_timing *t);

/* One malloc of spans x span bytes (past glibc's mmap threshold: a mapping of its own,
 * the block a few bytes into its first page), one byte written per span, measured, then
 * freed: the figures of glibc's malloc as GLIBC_TUNABLES left it when the process
 * started. 1 allocation; 0, or -1 with errno (ENOMEM: the malloc failed), nothing held. */
int hugepage_malloc_measure(size_t spans, size_t span, struct hugepage_figures *f);

/* The figures as one line ("faults=31 rss=126976 anon_huge=65011712 offset=32 advice=0\n"),
 * as the demo's --malloc prints them for the process that started it, and read back: 0,
 * or -1 with EINVAL when a field is missing. */
int hugepage_figures_format(const struct hugepage_figures *f, char *buf, size_t size);
int hugepage_figures_parse(const char *text, struct hugepage_figures *f);

/* Run prog (a program built beside the caller, cli_run_beside) as `prog --malloc SPANS`
 * with GLIBC_TUNABLES=tunables in its environment ("" for none), and read its line into
 * *f. 0; or -1 with errno (EIO: it failed or printed no such line; its stderr into
 * err[size] when err is not NULL). */
int hugepage_malloc_child(const char *prog, const char *tunables, size_t spans,
                          struct hugepage_figures *f, char *err, size_t size);

#endif
