/* limits.c: see limits.h. */
#include "limits.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "growth.h"
#include "procfs.h"

static uint64_t meminfo(const char *key)
{
    char text[8192];

    return procfs_read("/proc/meminfo", text, sizeof text) == 0 ? procfs_kib(text, key) : 0;
}

int limits_overcommit_policy(void)
{
    char text[16];

    if (procfs_read("/proc/sys/vm/overcommit_memory", text, sizeof text) != 0)
        return -1;
    return text[0] >= '0' && text[0] <= '2' ? text[0] - '0' : -1;
}

int limits_oom_score(const char *path)
{
    char text[32];

    if (procfs_read(path, text, sizeof text) != 0)
        return INT32_MIN;
    return (int)strtol(text, NULL, 10);
}

uint64_t limits_mem_total(void)
{
    return meminfo("MemTotal:");
}

uint64_t limits_swap_total(void)
{
    return meminfo("SwapTotal:");
}


/* ---- malloc under an address-space limit ---- */

#define MAX_BLOCKS 64

struct try_ctx {
    uint64_t headroom;
    size_t size;
    unsigned count;
    struct limits_try out;
};

static int try_child(void *arg)
{
    struct try_ctx *c = arg;
    void *blk[MAX_BLOCKS];
    struct vec v = VEC_INIT;
    uint64_t size0, rss0, size1, rss1;

    procfs_self_vm(&size0, &rss0);
    procfs_self_vm(&size0, &rss0); /* again: the first read faulted its own pages in */
    if (c->headroom > 0) {
        struct rlimit as = {.rlim_cur = size0 + c->headroom, .rlim_max = size0 + c->headroom};
        if (setrlimit(RLIMIT_AS, &as) != 0)
            return -1;
    }
    c->out = (struct limits_try){0};
    for (unsigned i = 0; i < c->count; i++) {
        errno = 0;
        if ((blk[i] = malloc(c->size)) == NULL) {
            c->out.error = errno;
            break;
        }
        c->out.granted++;
    }
    procfs_self_vm(&size1, &rss1);
    c->out.rss_grown = rss1 > rss0 ? rss1 - rss0 : 0;
    for (unsigned i = 0; i < c->out.granted; i++)
        free(blk[i]);
    c->out.vec_reserve_rc = vec_reserve(&v, c->size / sizeof(int64_t));
    vec_free(&v);
    return 0;
}

int limits_try_malloc(uint64_t headroom, size_t size, unsigned count, struct limits_try *out)
{
    struct try_ctx c = {.headroom = headroom, .size = size, .count = count};

    if (count > MAX_BLOCKS || child_run(try_child, &c, sizeof c) != 0)
        return -1;
    *out = c.out;
    return 0;
}

/* ---- the stack ---- */

uint64_t limits_stack_limit(void)
{
    struct rlimit r;

    if (getrlimit(RLIMIT_STACK, &r) != 0 || r.rlim_cur == RLIM_INFINITY)
        return UINT64_MAX;
    return r.rlim_cur;
}

static volatile uint64_t *shared_depth; /* a page shared with the parent */
static volatile uint64_t max_depth = UINT64_MAX; /* never reached: the stack ends first */

/* One frame: LIMITS_FRAME bytes of locals, written so that they are really there. */
static __attribute__((noinline)) uint64_t recurse(uint64_t depth)
{
    volatile char frame[LIMITS_FRAME];

    frame[0] = (char)depth;
    frame[LIMITS_FRAME - 1] = (char)depth;
    *shared_depth = depth;
    if (depth == max_depth)
        return 0;
    return recurse(depth + 1) + (uint64_t)frame[0]; /* no tail call: every frame stays */
}

static void no_core_dump(void)
{
    struct rlimit none = {0, 0};

    setrlimit(RLIMIT_CORE, &none); /* a crash on purpose leaves no core file behind */
}

int limits_overflow_in_child(uint64_t limit, struct limits_overflow *out)
{
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int status;
    pid_t pid;

    if (page == MAP_FAILED)
        return -1;
    shared_depth = page;
    *shared_depth = 0;
    if ((pid = fork()) < 0) {
        munmap(page, 4096);
        return -1;
    }
    if (pid == 0) {
        struct rlimit r;
        no_core_dump();
        if (getrlimit(RLIMIT_STACK, &r) != 0)
            _exit(1);
        r.rlim_cur = limit;
        if (setrlimit(RLIMIT_STACK, &r) != 0)
            _exit(1);
        _exit(recurse(1) == 0 ? 2 : 3); /* never returns: the stack runs out first */
    }
    if (waitpid(pid, &status, 0) != pid) {
        munmap(page, 4096);
        return -1;
    }
    *out = (struct limits_overflow){
        .signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0,
        .depth = *shared_depth,
        .used = *shared_depth * LIMITS_FRAME,
    };
    munmap(page, 4096);
    return 0;
}

int limits_signal_in_child(void (*fn)(void *arg), void *arg)
{
    int status;
    pid_t pid;

    fflush(NULL);
    if ((pid = fork()) < 0)
        return -1;
    if (pid == 0) {
        no_core_dump();
        fn(arg);
        _exit(0);
    }
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}
