/* sites.c: see sites.h. The tracer keeps, in mmap'd memory behind one mutex, the call
 * stacks seen (`traces`, each with its counters, found through a hash index) and, for a
 * block whose header has no room for a tag, a table from its address to its trace
 * (`live`), so a free knows whose bytes leave. Hooks in countalloc feed them. Snapshots
 * copy the traces, then turn each stack into the first source line outside the allocator
 * with elfutils libdwfl, in a helper process forked at start: libdw's memory then never
 * shows in the figures being measured, and its way of meeting out-of-memory (exit,
 * assert) never ends the program.
 *
 * Where the time went, and where it goes now (main --heavy 1,000,000 of lesson 02, one
 * run each on this machine; instruction counts from valgrind --tool=callgrind at 100,000
 * records, which repeat under load):
 *   - Unwinding. Every allocation called backtrace(), which walks 16 frames with libgcc's
 *     DWARF unwinder: 95% of the tracer's instructions, about 27,000 per allocation
 *     (2,832 million for the run against 129 million counted alone). Now countalloc
 *     hands the hook the allocation call's return address: when the program itself
 *     called malloc, that address is the site, a one-frame stack, no unwinding. Only
 *     calls from inside libc (strdup, getline, fopen ...) still unwind, since their site
 *     is the program's call to libc, further up. 184 million instructions.
 *   - Cache misses on the block table: with a million blocks live it was 32 MiB of
 *     randomly probed slots, a miss on every malloc and every free, most of the time
 *     left after the unwinding. Now the trace's index rides in the block's own header
 *     (countalloc_tag), on a line malloc and free touch anyway; the table holds only
 *     blocks without room for a tag (aligned ones, sanitizer builds).
 *   - Copy-on-write faults: a helper forked for every snapshot shared the whole heap
 *     with the program, whose next write to each page then faulted (135,000 extra page
 *     faults). The helper is now forked once, at start, when the process is small.
 *   - Symbolizing was never the cost: it happens once per stack per snapshot.
 * Result, from one run of each when the change was made: user time 0.72 s, then 0.21 s,
 * against 0.15 s for the plain build. make toolcost-02 measures the ratios on the machine
 * at hand. */
#include "sites.h"

#include <elfutils/libdwfl.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "countalloc.h"
#include "report.h"

#define SITES_DEPTH 16          /* frames kept per stack: the allocator's own (up to 8
                                   under ASan) and the caller's */
#define TRACES_START 1024       /* first capacity of the stack array (grows x2) */
#define LIVE_START 4096         /* first capacity of the block table (grows x2) */
#define TAG_TRACE 0xFFFFFFu     /* a block's tag: generation << 24 | (trace index + 1) */

struct trace {
    uint64_t hash;
    int depth;
    void *frame[SITES_DEPTH];
    int64_t bytes, blocks;      /* live now */
    uint64_t total_bytes, calls;
};

struct live {
    uintptr_t ptr;              /* 0: empty slot */
    size_t trace;               /* index in tr.t */
};

static struct {
    pthread_mutex_t lock;
    bool on;
    struct trace *t;            /* traces, in the order first seen: an index never moves */
    size_t tcap, tlen;
    uint32_t *ix;               /* stack hash -> trace index + 1 (0: empty), linear probing */
    size_t icap;
    struct live *l;             /* blocks without a tag: address -> trace, linear probing */
    size_t lcap, llen;
    uint32_t gen;               /* bumped by every start: tags of an earlier run mean nothing */
    int64_t traced, peak;       /* bytes live in traced blocks; their high point */
    uint64_t untraced;          /* allocations not recorded for want of table space */
} tr = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Set while this thread takes a snapshot: its own allocations (and its helper's, which
 * inherits the flag through fork) are not traced; other threads' still are. */
static __thread bool busy;

/* ---- mmap'd tables: the tracer's memory never enters the heap it measures ---- */

static void *map(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static uint64_t stack_hash(void *const *frame, int depth)
{
    uint64_t h = 0x9e3779b97f4a7c15ull;

    for (int i = 0; i < depth; i++)
        h = mix(h ^ (uintptr_t)frame[i]);
    return h | 1; /* never 0: 0 marks an empty slot */
}

/* Double the trace array (indices stay) or the index table. Caller holds the lock. */
static int traces_grow(void)
{
    struct trace *t = map(tr.tcap * 2 * sizeof *t);

    if (t == NULL)
        return -1;
    memcpy(t, tr.t, tr.tlen * sizeof *t);
    munmap(tr.t, tr.tcap * sizeof *tr.t);
    tr.t = t;
    tr.tcap *= 2;
    return 0;
}

static int index_grow(void)
{
    size_t cap = tr.icap * 2;
    uint32_t *ix = map(cap * sizeof *ix);

    if (ix == NULL)
        return -1;
    for (size_t k = 0; k < tr.tlen; k++) {
        size_t j;
        for (j = tr.t[k].hash & (cap - 1); ix[j] != 0; j = (j + 1) & (cap - 1))
            ;
        ix[j] = (uint32_t)k + 1;
    }
    munmap(tr.ix, tr.icap * sizeof *tr.ix);
    tr.ix = ix;
    tr.icap = cap;
    return 0;
}

/* The index of the trace for this stack, added if new; -1 when there is no room. */
static long trace_index(void *const *frame, int depth)
{
    uint64_t h = stack_hash(frame, depth);
    size_t i;
    struct trace *t;

    if ((tr.tlen + 1) * 4 > tr.icap * 3 && index_grow() != 0)
        return -1;
    for (i = h & (tr.icap - 1); tr.ix[i] != 0; i = (i + 1) & (tr.icap - 1)) {
        t = &tr.t[tr.ix[i] - 1];
        if (t->hash == h && t->depth == depth &&
            memcmp(t->frame, frame, (size_t)depth * sizeof *frame) == 0)
            return (long)tr.ix[i] - 1;
    }
    if (tr.tlen >= UINT32_MAX - 1 || (tr.tlen == tr.tcap && traces_grow() != 0))
        return -1;
    t = &tr.t[tr.tlen];
    *t = (struct trace){.hash = h, .depth = depth};
    memcpy(t->frame, frame, (size_t)depth * sizeof *frame);
    tr.ix[i] = (uint32_t)++tr.tlen;
    return (long)tr.tlen - 1;
}

static size_t live_slot(uintptr_t p, size_t cap)
{
    return mix(p) & (cap - 1);
}

static int live_grow(void)
{
    size_t cap = tr.lcap * 2;
    struct live *l = map(cap * sizeof *l);

    if (l == NULL)
        return -1;
    for (size_t i = 0; i < tr.lcap; i++) {
        size_t j;
        if (tr.l[i].ptr == 0)
            continue;
        for (j = live_slot(tr.l[i].ptr, cap); l[j].ptr != 0; j = (j + 1) & (cap - 1))
            ;
        l[j] = tr.l[i];
    }
    munmap(tr.l, tr.lcap * sizeof *tr.l);
    tr.l = l;
    tr.lcap = cap;
    return 0;
}

static int live_put(uintptr_t p, size_t trace)
{
    size_t i;

    if ((tr.llen + 1) * 4 > tr.lcap * 3 && live_grow() != 0)
        return -1;
    for (i = live_slot(p, tr.lcap); tr.l[i].ptr != 0; i = (i + 1) & (tr.lcap - 1))
        ;
    tr.l[i] = (struct live){p, trace};
    tr.llen++;
    return 0;
}

/* Remove p; returns its trace, or -1 if p was not traced. Backward-shift deletion keeps
 * every probe chain unbroken without tombstones. */
static long live_take(uintptr_t p)
{
    size_t mask = tr.lcap - 1, i, j;
    long trace;

    for (i = live_slot(p, tr.lcap); tr.l[i].ptr != p; i = (i + 1) & mask)
        if (tr.l[i].ptr == 0)
            return -1;
    trace = (long)tr.l[i].trace;
    for (j = (i + 1) & mask; tr.l[j].ptr != 0; j = (j + 1) & mask) {
        size_t home = live_slot(tr.l[j].ptr, tr.lcap);
        /* move l[j] into the hole at i unless its home lies cyclically in (i, j] */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            tr.l[i] = tr.l[j];
            i = j;
        }
    }
    tr.l[i].ptr = 0;
    tr.llen--;
    return trace;
}

/* ---- the hooks ---- */

/* The program's own code: the executable's executable segments, found at start. */
static struct {
    uintptr_t lo[4], hi[4];
    int n;
} text;

static int find_text(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    (void)arg;
    for (int i = 0; i < info->dlpi_phnum && text.n < 4; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            text.lo[text.n] = info->dlpi_addr + ph->p_vaddr;
            text.hi[text.n] = text.lo[text.n] + ph->p_memsz;
            text.n++;
        }
    }
    return 1; /* the first object is the executable: stop there */
}

static bool in_program(const void *pc)
{
    uintptr_t a = (uintptr_t)pc;

    for (int i = 0; i < text.n; i++)
        if (a >= text.lo[i] && a < text.hi[i])
            return true;
    return false;
}

static void on_alloc(void *p, size_t n, const void *from)
{
    void *frame[SITES_DEPTH];
    int depth;
    long t;

    uint32_t *tag;

    if (busy)
        return;
    if (from != NULL && in_program(from)) { /* the program called malloc: that is the site */
        frame[0] = (void *)(uintptr_t)from;
        depth = 1;
    } else { /* libc called it (strdup, getline ...): the site is further up */
        depth = backtrace(frame, SITES_DEPTH);
    }
    pthread_mutex_lock(&tr.lock);
    if (!tr.on)
        goto out;
    t = trace_index(frame, depth);
    tag = countalloc_tag(p);
    if (t >= 0 && tag != NULL && (size_t)t < TAG_TRACE) { /* the block carries its trace */
        *tag = (tr.gen & 0xFF) << 24 | ((uint32_t)t + 1);
    } else if (t < 0 || live_put((uintptr_t)p, (size_t)t) != 0) {
        tr.untraced++;
        goto out;
    }
    tr.t[t].bytes += (int64_t)n;
    tr.t[t].blocks++;
    tr.t[t].total_bytes += n;
    tr.t[t].calls++;
    tr.traced += (int64_t)n;
    if (tr.traced > tr.peak)
        tr.peak = tr.traced;
out:
    pthread_mutex_unlock(&tr.lock);
}

static void on_free(void *p, size_t n, uint32_t tag)
{
    long t = -1;

    if (busy)
        return;
    pthread_mutex_lock(&tr.lock);
    if (!tr.on)
        goto out;
    if (tag >> 24 == (tr.gen & 0xFF) && (tag & TAG_TRACE) != 0 && (tag & TAG_TRACE) <= tr.tlen)
        t = (long)(tag & TAG_TRACE) - 1; /* tagged in this run */
    else if (tr.llen > 0)
        t = live_take((uintptr_t)p);
    if (t >= 0) {
        tr.t[t].bytes -= (int64_t)n;
        tr.t[t].blocks--;
        tr.traced -= (int64_t)n;
    }
out:
    pthread_mutex_unlock(&tr.lock);
}

static const struct countalloc_hooks hooks = {on_alloc, on_free};

/* ---- start, stop ---- */

static int helper_start(void);
static void helper_stop(void);

int sites_start(void)
{
    void *warm[4];
    int rc = 0;

    /* backtrace() loads libgcc's unwinder on its first call, which allocates: do it
     * now, before the hooks are on, so a hook never allocates. */
    backtrace(warm, 4);
    if (text.n == 0)
        dl_iterate_phdr(find_text, NULL);
    pthread_mutex_lock(&tr.lock);
    if (tr.on)
        goto out;
    helper_start(); /* first, while the tables are not mapped yet; none: fork per snapshot */
    tr.t = map(TRACES_START * sizeof *tr.t);
    tr.ix = map(2 * TRACES_START * sizeof *tr.ix);
    tr.l = map(LIVE_START * sizeof *tr.l);
    if (tr.t == NULL || tr.ix == NULL || tr.l == NULL) {
        if (tr.t != NULL)
            munmap(tr.t, TRACES_START * sizeof *tr.t);
        if (tr.ix != NULL)
            munmap(tr.ix, 2 * TRACES_START * sizeof *tr.ix);
        if (tr.l != NULL)
            munmap(tr.l, LIVE_START * sizeof *tr.l);
        tr.t = NULL;
        tr.ix = NULL;
        tr.l = NULL;
        rc = -1;
        goto out;
    }
    tr.tcap = TRACES_START;
    tr.icap = 2 * TRACES_START;
    tr.lcap = LIVE_START;
    tr.gen++;
    tr.tlen = tr.llen = 0;
    tr.traced = tr.peak = 0;
    tr.untraced = 0;
    tr.on = true;
    countalloc_set_hooks(&hooks);
out:
    pthread_mutex_unlock(&tr.lock);
    return rc;
}

void sites_stop(void)
{
    countalloc_set_hooks(NULL);
    pthread_mutex_lock(&tr.lock);
    if (tr.on) {
        munmap(tr.t, tr.tcap * sizeof *tr.t);
        munmap(tr.ix, tr.icap * sizeof *tr.ix);
        munmap(tr.l, tr.lcap * sizeof *tr.l);
        tr.t = NULL;
        tr.ix = NULL;
        tr.l = NULL;
        tr.on = false;
    }
    pthread_mutex_unlock(&tr.lock);
    helper_stop();
}

int sites_tracing(void)
{
    int on;

    pthread_mutex_lock(&tr.lock);
    on = tr.on;
    pthread_mutex_unlock(&tr.lock);
    return on;
}

void sites_traced(int64_t *current, int64_t *peak)
{
    pthread_mutex_lock(&tr.lock);
    *current = tr.traced;
    *peak = tr.peak;
    pthread_mutex_unlock(&tr.lock);
}

void sites_reset_peak(void)
{
    pthread_mutex_lock(&tr.lock);
    tr.peak = tr.traced;
    pthread_mutex_unlock(&tr.lock);
}

/* ---- symbols: a stack -> the first source line outside the allocator ---- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash != NULL ? slash + 1 : path;
}

static void copy_tail(char *dst, size_t size, const char *src)
{
    size_t len = strlen(src);

    if (len >= size)
        src += len - (size - 1);
    memcpy(dst, src, strlen(src) + 1);
}

/* The allocator's own frames: the hooks, countalloc's core and back-ends (countalloc*.c,
 * and countalloc_hdr.h, where the malloc family's lines are), and in ASan builds the
 * sanitizer's runtime, which calls the hooks and intercepts backtrace() itself. */
static bool in_allocator(const char *src)
{
    const char *b = base_name(src);

    return strcmp(b, "sites.c") == 0 || strncmp(b, "countalloc", 10) == 0 ||
           strncmp(b, "sanitizer_", 10) == 0 || strncmp(b, "asan_", 5) == 0;
}

static bool same_line(const struct sites_stat *a, const struct sites_stat *b)
{
    return a->line == b->line && strcmp(a->file, b->file) == 0 && strcmp(a->func, b->func) == 0;
}

/* Did libdwfl's last call fail for want of memory? (Its DWFL_E_NOMEM is internal; the
 * message of any library underneath, libelf or libdw, says "memory" too.) Clears it. */
static bool dwfl_out_of_memory(void)
{
    int e = dwfl_errno();

    return e != 0 && strstr(dwfl_errmsg(e), "memory") != NULL;
}

/* Fill s's file, line and func from frame[0..depth). Returns 0, or -1 when libdwfl ran
 * out of memory. A frame without line information (libc, the sanitizer runtime) is
 * passed over for the nearest caller that has it, as tracemalloc shows Python lines. */
static int locate(Dwfl *dwfl, void *const *frame, int depth, struct sites_stat *s)
{
    const char *fallback = NULL;
    bool passed = false; /* seen the allocator's frames */

    for (int i = 0; i < depth; i++) {
        Dwarf_Addr pc = (Dwarf_Addr)(uintptr_t)frame[i] - 1; /* inside the call */
        Dwfl_Module *mod = dwfl_addrmodule(dwfl, pc);
        Dwfl_Line *line;
        const char *src, *fn;
        int lineno = 0;

        if (mod == NULL) {
            if (dwfl_out_of_memory())
                return -1;
            continue;
        }
        fn = dwfl_module_addrname(mod, pc);
        line = dwfl_module_getsrc(mod, pc);
        src = line != NULL ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
        if (src == NULL) {
            if (dwfl_out_of_memory())
                return -1;
            if (passed && fallback == NULL && fn != NULL)
                fallback = fn;
            continue;
        }
        if (in_allocator(src)) {
            passed = true;
            continue;
        }
        copy_tail(s->file, sizeof s->file, base_name(src));
        copy_tail(s->func, sizeof s->func, fn != NULL ? fn : "??");
        s->func[strcspn(s->func, ".")] = '\0'; /* gcc's clones: f.constprop.0, f.cold */
        s->line = (unsigned)lineno;
        return 0;
    }
    copy_tail(s->file, sizeof s->file, "??");
    copy_tail(s->func, sizeof s->func, fallback != NULL ? fallback : "??");
    s->line = 0;
    return 0;
}

static struct sites_snapshot *snapshot_new(size_t cap)
{
    struct sites_snapshot *s = malloc(sizeof *s);

    if (s == NULL)
        return NULL;
    *s = (struct sites_snapshot){0};
    s->stat = cap > 0 ? malloc(cap * sizeof *s->stat) : NULL;
    if (cap > 0 && s->stat == NULL) {
        free(s);
        return NULL;
    }
    return s;
}

/* write(2) or read(2) all of len bytes; 0 or -1. */
static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t k = write(fd, p, len);
        if (k <= 0)
            return -1;
        p += k;
        len -= (size_t)k;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
    char *p = buf;

    while (len > 0) {
        ssize_t k = read(fd, p, len);
        if (k <= 0)
            return -1;
        p += k;
        len -= (size_t)k;
    }
    return 0;
}

#define SITES_DONE 0x51735D0Eu /* the helper's last word: every line was sent */

/* The helper process: symbolize each stack and send one sites_stat per trace. It is
 * not the process under test, so fault injection is off in it: libdw handles running
 * out of memory by exiting or asserting, which must not end the program measured. */
static _Noreturn void symbolizer(int fd, const struct trace *copy, size_t n)
{
    static const Dwfl_Callbacks callbacks = {
        .find_elf = dwfl_linux_proc_find_elf,
        .find_debuginfo = dwfl_standard_find_debuginfo,
    };
    const uint32_t done = SITES_DONE;
    Dwfl *dwfl;
    int status = 1;

    countalloc_fail_off();
    dwfl = dwfl_begin(&callbacks);
    if (dwfl == NULL || dwfl_linux_proc_report(dwfl, getpid()) != 0 ||
        dwfl_report_end(dwfl, NULL, NULL) != 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct sites_stat s = {0};
        if (locate(dwfl, copy[i].frame, copy[i].depth, &s) != 0 ||
            write_all(fd, &s, sizeof s) != 0)
            goto out;
    }
    if (write_all(fd, &done, sizeof done) == 0)
        status = 0;
out:
    if (dwfl != NULL)
        dwfl_end(dwfl);
    _exit(status);
}

/* ---- the helper: forked once by sites_start, while the process is small ----
 *
 * A fork shares every page copy-on-write: after it, the program's first write to each of
 * its pages faults. Forked for every snapshot of a big heap (lesson 02's million records),
 * that was hundreds of thousands of faults; forked at sites_start, it shares only what
 * the process held then. It reads the program's modules from /proc/PPID/maps at every
 * request, so libraries loaded later are found too. */
static struct {
    pthread_mutex_t lock; /* one request at a time */
    pid_t pid;            /* 0: none (requests fall back to a fork per snapshot) */
    int to, from;         /* pipes: requests to it, lines from it */
} helper = {.lock = PTHREAD_MUTEX_INITIALIZER};

struct request_frames {
    int depth;
    void *frame[SITES_DEPTH];
};

static _Noreturn void serve(int in, int out)
{
    static const Dwfl_Callbacks callbacks = {
        .find_elf = dwfl_linux_proc_find_elf,
        .find_debuginfo = dwfl_standard_find_debuginfo,
    };
    const uint32_t done = SITES_DONE;
    pid_t parent = getppid();

    busy = true;
    countalloc_set_hooks(NULL);
    countalloc_fail_off();
    for (;;) {
        uint64_t n;
        Dwfl *dwfl;
        if (read_all(in, &n, sizeof n) != 0)
            _exit(0); /* the program closed the pipe: sites_stop, or its exit */
        dwfl = dwfl_begin(&callbacks);
        if (dwfl == NULL || dwfl_linux_proc_report(dwfl, parent) != 0 ||
            dwfl_report_end(dwfl, NULL, NULL) != 0)
            _exit(1);
        for (uint64_t i = 0; i < n; i++) {
            struct request_frames f;
            struct sites_stat st = {0};
            if (read_all(in, &f, sizeof f) != 0 || f.depth < 0 || f.depth > SITES_DEPTH ||
                locate(dwfl, f.frame, f.depth, &st) != 0 || write_all(out, &st, sizeof st) != 0)
                _exit(1);
        }
        dwfl_end(dwfl);
        if (write_all(out, &done, sizeof done) != 0)
            _exit(1);
    }
}

/* Fork the helper. Caller holds tr.lock; nothing is traced yet. -1: no helper. */
static int helper_start(void)
{
    int to[2], from[2];
    pid_t pid;

    if (helper.pid > 0)
        return 0;
    if (pipe2(to, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(from, O_CLOEXEC) != 0) {
        close(to[0]);
        close(to[1]);
        return -1;
    }
    fflush(NULL); /* under Valgrind the child's exit flushes what stdio it inherited */
    if ((pid = fork()) < 0) {
        close(to[0]);
        close(to[1]);
        close(from[0]);
        close(from[1]);
        return -1;
    }
    if (pid == 0) {
        close(to[1]);
        close(from[0]);
        serve(to[0], from[1]);
    }
    close(to[0]);
    close(from[1]);
    helper.pid = pid;
    helper.to = to[1];
    helper.from = from[0];
    return 0;
}

static void helper_stop(void)
{
    int status;

    pthread_mutex_lock(&helper.lock);
    if (helper.pid > 0) {
        close(helper.to);
        close(helper.from);
        waitpid(helper.pid, &status, 0);
        helper.pid = 0;
    }
    pthread_mutex_unlock(&helper.lock);
}

/* Merge line s, for trace t, into snap. */
static void merge(struct sites_snapshot *snap, const struct sites_stat *s, const struct trace *t)
{
    size_t j;

    for (j = 0; j < snap->nstat && !same_line(&snap->stat[j], s); j++)
        ;
    if (j == snap->nstat)
        snap->stat[snap->nstat++] = *s;
    snap->stat[j].bytes += t->bytes;
    snap->stat[j].blocks += t->blocks;
    snap->stat[j].total_bytes += t->total_bytes;
    snap->stat[j].calls += t->calls;
}

/* Ask the helper for the lines of n stacks. 0, or -1 (the helper is then let go). */
static int ask_helper(const struct trace *copy, size_t n, struct sites_snapshot *snap)
{
    uint64_t count = n;
    uint32_t done = 0;
    int rc = 0;

    pthread_mutex_lock(&helper.lock);
    if (helper.pid <= 0) {
        pthread_mutex_unlock(&helper.lock);
        return -1;
    }
    if (write_all(helper.to, &count, sizeof count) != 0)
        rc = -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct request_frames f = {.depth = copy[i].depth};
        memcpy(f.frame, copy[i].frame, sizeof f.frame);
        if (write_all(helper.to, &f, sizeof f) != 0)
            rc = -1;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct sites_stat st;
        if (read_all(helper.from, &st, sizeof st) != 0)
            rc = -1;
        else
            merge(snap, &st, &copy[i]);
    }
    if (rc == 0 && (read_all(helper.from, &done, sizeof done) != 0 || done != SITES_DONE))
        rc = -1;
    pthread_mutex_unlock(&helper.lock);
    if (rc != 0) {
        helper_stop();
        snap->nstat = 0; /* the fallback starts over */
    }
    return rc;
}

/* Turn n stacks into lines, merged into snap: libdw runs in a child process, so its
 * memory (megabytes of DWARF) never enters the heap or the RSS being measured. The
 * helper forked at start answers; without one, a child forked for this snapshot. */
static int symbolize(const struct trace *copy, size_t n, struct sites_snapshot *snap)
{
    uint32_t done = 0;
    int fd[2], status, rc = 0;
    pid_t pid;

    if (ask_helper(copy, n, snap) == 0)
        return 0;
    if (pipe(fd) != 0)
        return -1;
    fflush(NULL); /* under Valgrind the child's exit flushes what stdio it inherited */
    pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        symbolizer(fd[1], copy, n);
    }
    close(fd[1]);
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct sites_stat s;

        if (read_all(fd[0], &s, sizeof s) != 0) {
            rc = -1;
            break;
        }
        merge(snap, &s, &copy[i]);
    }
    if (rc == 0 && (read_all(fd[0], &done, sizeof done) != 0 || done != SITES_DONE))
        rc = -1;
    close(fd[0]);
    /* Judged by what it sent, not by its exit status: under Valgrind a forked child's
     * status can be --error-exitcode's, from leak checks of memory it inherited. */
    waitpid(pid, &status, 0);
    return rc;
}

int sites_snapshot_take(struct sites_snapshot **out)
{
    struct trace *copy = NULL;
    struct sites_snapshot *snap = NULL;
    size_t n;
    int rc = -1;

    busy = true; /* the snapshot's own memory is not traced */
again:
    pthread_mutex_lock(&tr.lock);
    n = tr.on ? tr.tlen : 0;
    if (!tr.on) {
        pthread_mutex_unlock(&tr.lock);
        goto out;
    }
    pthread_mutex_unlock(&tr.lock);
    copy = malloc((n > 0 ? n : 1) * sizeof *copy);
    if (copy == NULL)
        goto out;
    snap = snapshot_new(n);
    if (snap == NULL)
        goto out;
    pthread_mutex_lock(&tr.lock);
    if (tr.on && tr.tlen > n) { /* other threads added stacks meanwhile: size again */
        pthread_mutex_unlock(&tr.lock);
        sites_snapshot_free(snap);
        free(copy);
        snap = NULL;
        copy = NULL;
        goto again;
    }
    if (!tr.on) {
        pthread_mutex_unlock(&tr.lock);
        goto out;
    }
    n = tr.tlen;
    memcpy(copy, tr.t, n * sizeof *copy);
    snap->traced_bytes = tr.traced;
    snap->peak_bytes = tr.peak;
    snap->untraced = tr.untraced;
    pthread_mutex_unlock(&tr.lock);
    if (symbolize(copy, n, snap) != 0)
        goto out;
    sites_snapshot_sort(snap, SITES_BY_BYTES);
    *out = snap;
    snap = NULL;
    rc = 0;
out:
    sites_snapshot_free(snap);
    free(copy);
    busy = false;
    return rc;
}

/* ---- snapshots ---- */

static uint64_t magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Does a come before b in this order? */
static bool before(const struct sites_stat *a, const struct sites_stat *b, enum sites_order o)
{
    uint64_t x, y;
    int c;

    switch (o) {
    case SITES_BY_BLOCKS: x = magnitude(a->blocks); y = magnitude(b->blocks); break;
    case SITES_BY_TOTAL_BYTES: x = a->total_bytes; y = b->total_bytes; break;
    case SITES_BY_CALLS: x = a->calls; y = b->calls; break;
    case SITES_BY_BYTES:
    default: x = magnitude(a->bytes); y = magnitude(b->bytes); break;
    }
    if (x != y)
        return x > y;
    c = strcmp(a->file, b->file);
    return c != 0 ? c < 0 : a->line < b->line;
}

/* Insertion sort: qsort may malloc a merge buffer, and snapshots hold hundreds of
 * lines, not millions. */
void sites_snapshot_sort(struct sites_snapshot *snap, enum sites_order order)
{
    for (size_t i = 1; i < snap->nstat; i++) {
        struct sites_stat s = snap->stat[i];
        size_t j = i;

        for (; j > 0 && before(&s, &snap->stat[j - 1], order); j--)
            snap->stat[j] = snap->stat[j - 1];
        snap->stat[j] = s;
    }
}

int sites_snapshot_compare(const struct sites_snapshot *new_snap,
                           const struct sites_snapshot *old_snap, struct sites_snapshot **out)
{
    struct sites_snapshot *d = snapshot_new(new_snap->nstat + old_snap->nstat);

    if (d == NULL)
        return -1;
    d->traced_bytes = new_snap->traced_bytes - old_snap->traced_bytes;
    d->peak_bytes = new_snap->peak_bytes;
    d->untraced = new_snap->untraced - old_snap->untraced;
    for (size_t i = 0; i < new_snap->nstat; i++)
        d->stat[d->nstat++] = new_snap->stat[i];
    for (size_t i = 0; i < old_snap->nstat; i++) {
        const struct sites_stat *o = &old_snap->stat[i];
        size_t j;

        for (j = 0; j < d->nstat && !same_line(&d->stat[j], o); j++)
            ;
        if (j == d->nstat) {
            d->stat[d->nstat] = *o;
            d->stat[d->nstat].bytes = 0;
            d->stat[d->nstat].blocks = 0;
            d->stat[d->nstat].total_bytes = 0;
            d->stat[d->nstat].calls = 0;
            d->nstat++;
        }
        d->stat[j].bytes -= o->bytes;
        d->stat[j].blocks -= o->blocks;
        d->stat[j].total_bytes -= o->total_bytes;
        d->stat[j].calls -= o->calls;
    }
    sites_snapshot_sort(d, SITES_BY_BYTES);
    *out = d;
    return 0;
}

const struct sites_stat *sites_snapshot_find(const struct sites_snapshot *snap,
                                             const char *file, unsigned line)
{
    for (size_t i = 0; i < snap->nstat; i++)
        if (snap->stat[i].line == line && strcmp(snap->stat[i].file, base_name(file)) == 0)
            return &snap->stat[i];
    return NULL;
}

void sites_snapshot_free(struct sites_snapshot *snap)
{
    if (snap == NULL)
        return;
    free(snap->stat);
    free(snap);
}

/* "+1.5 MiB", "-20 B" into buf. */
static char *signed_bytes(int64_t v, char *buf, size_t size)
{
    char b[32];

    snprintf(buf, size, "%c%s", v < 0 ? '-' : '+', report_bytes((double)magnitude(v), b, sizeof b));
    return buf;
}

static char *signed_count(int64_t v, char *buf, size_t size)
{
    char c[32];

    snprintf(buf, size, "%c%s", v < 0 ? '-' : '+', report_count(magnitude(v), c, sizeof c));
    return buf;
}

void sites_print(FILE *out, struct sites_snapshot *snap, enum sites_order order, size_t n,
                 int is_diff)
{
    sites_snapshot_sort(snap, order);
    for (size_t i = 0; i < snap->nstat && i < n; i++) {
        const struct sites_stat *s = &snap->stat[i];
        char where[SITES_FILE_MAX + SITES_FUNC_MAX + 16], b[32], c[32], t[32], k[32];

        if (is_diff && s->bytes == 0 && s->blocks == 0 && s->calls == 0)
            break;
        snprintf(where, sizeof where, "%s:%u %s", s->file, s->line, s->func);
        if (is_diff) {
            fprintf(out, "  %-28s %11s live, %s blocks; +%s calls, +%s allocated\n", where,
                    signed_bytes(s->bytes, b, sizeof b), signed_count(s->blocks, c, sizeof c),
                    report_count(s->calls, k, sizeof k),
                    report_bytes((double)s->total_bytes, t, sizeof t));
            continue;
        }
        fprintf(out, "  %-28s %11s live in %s block%s; %s call%s, %s allocated\n", where,
                report_bytes((double)s->bytes, b, sizeof b), report_count(magnitude(s->blocks), c, sizeof c),
                s->blocks == 1 ? "" : "s", report_count(s->calls, k, sizeof k),
                s->calls == 1 ? "" : "s", report_bytes((double)s->total_bytes, t, sizeof t));
    }
}
