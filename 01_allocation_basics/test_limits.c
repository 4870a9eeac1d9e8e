/* test_limits.c: lesson 01's overcommit, address-space limit and stack. What the kernel
 * grants without touching a page, per overcommit policy; malloc returning NULL for real
 * under setrlimit(RLIMIT_AS), and the lesson's own NULL checks firing there; a stack
 * overflow that kills a child with SIGSEGV near RLIMIT_STACK; VLAs and alloca cost no
 * allocation and report no failure. The experiments run in child processes. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <signal.h>

#include "alloc_assert.h"
#include "limits.h"
#include "stackmem.h"

/* Valgrind runs the child on its own allocator and stack; ASan reserves terabytes of
 * address space and catches SIGSEGV itself. */
#define NO_TOOL                                                                           \
    NATIVE_ONLY_AT(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER,                          \
                   "Valgrind's allocator and stacks serve the child; ASan maps its "      \
                   "shadow memory and handles SIGSEGV itself")

#define MIB ((uint64_t)1 << 20)

/* ---- overcommit ---- */

Test(overcommit, the_policy_reads_as_0_1_or_2)
{
    int policy = limits_overcommit_policy();

    cr_assert(policy >= 0 && policy <= 2, "vm.overcommit_memory is %d", policy);
    cr_assert(gt(u64, limits_mem_total(), 0));
}

Test(overcommit, malloc_grants_three_times_the_machine_in_blocks_it_never_touches, NO_TOOL)
{
    uint64_t machine = limits_mem_total() + limits_swap_total();
    struct limits_try t;

    cr_assert(eq(int, limits_try_malloc(0, machine / 4 * 3, 4, &t), 0));
    switch (limits_overcommit_policy()) {
    case 0: /* heuristic: each request alone is checked against RAM + swap */
    case 1: /* always */
        cr_assert(eq(u32, t.granted, 4), "4 blocks of 3/4 of RAM + swap: all granted");
        cr_assert(lt(u64, t.rss_grown, 4 * MIB), "and no page of them is resident");
        break;
    default: /* 2, never: the commit limit counts every request */
        cr_assert(lt(u32, t.granted, 4));
        cr_assert(eq(int, t.error, ENOMEM));
    }
}

Test(overcommit, one_request_past_ram_and_swap_is_refused_unless_the_policy_is_always, NO_TOOL)
{
    uint64_t machine = limits_mem_total() + limits_swap_total();
    struct limits_try t;

    cr_assert(eq(int, limits_try_malloc(0, machine * 2, 1, &t), 0));
    if (limits_overcommit_policy() == 1) {
        cr_assert(eq(u32, t.granted, 1), "policy 1 grants anything the address space holds");
    } else {
        cr_assert(eq(u32, t.granted, 0), "twice RAM + swap in one request: refused");
        cr_assert(eq(int, t.error, ENOMEM));
    }
}

Test(overcommit, rlimit_as_makes_malloc_return_null_for_real, NO_TOOL)
{
    struct limits_try small, big;

    cr_assert(eq(int, limits_try_malloc(64 * MIB, 16 * MIB, 2, &small), 0));
    cr_assert(eq(u32, small.granted, 2), "32 MiB fit in 64 MiB of headroom");
    cr_assert(eq(int, small.vec_reserve_rc, 0));
    cr_assert(eq(int, limits_try_malloc(64 * MIB, 256 * MIB, 1, &big), 0));
    cr_assert(eq(u32, big.granted, 0), "256 MiB do not, touched or not");
    cr_assert(eq(int, big.error, ENOMEM));
    cr_assert(eq(int, big.vec_reserve_rc, -1),
              "the lesson's vec_reserve sees the NULL and reports it: its check is live code");
}

/* ---- the stack ---- */

Test(stack, an_overflow_kills_the_child_with_sigsegv_near_the_limit, NO_TOOL)
{
    struct limits_overflow o;

    cr_assert(eq(int, limits_overflow_in_child(MIB, &o), 0));
    cr_assert(eq(int, o.signal, SIGSEGV), "the child died of signal %d", o.signal);
    cr_assert(gt(u64, o.used, MIB / 10 * 9), "its frames took %llu bytes of the 1 MiB limit",
              (unsigned long long)o.used);
    cr_assert(le(u64, o.used, MIB));
}

Test(stack, the_limit_is_rlimit_stack)
{
    uint64_t limit = limits_stack_limit();

    cr_assert(limit == UINT64_MAX || limit >= 64 * 1024, "RLIMIT_STACK %llu",
              (unsigned long long)limit);
}

/* ---- VLAs and alloca against malloc ---- */

Test(stackmem, a_vla_and_alloca_allocate_nothing_malloc_once)
{
    uint64_t a = 0, b = 0, c = 0;
    int rc = -1;

    ASSERT_NO_ALLOCS(a = stackmem_vla(4096));
    ASSERT_NO_ALLOCS(b = stackmem_alloca(4096));
    ASSERT_ALLOCS(rc = stackmem_heap(4096, &c), 1, 4096);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(u64, a, c));
    cr_assert(eq(u64, b, c));
}

static void big_vla(void *arg)
{
    volatile uint64_t sum = stackmem_vla(*(size_t *)arg);
    (void)sum;
}

static void big_alloca(void *arg)
{
    volatile uint64_t sum = stackmem_alloca(*(size_t *)arg);
    (void)sum;
}

Test(stackmem, past_the_stack_a_vla_or_alloca_crashes_where_malloc_returns, NO_TOOL)
{
    uint64_t limit = limits_stack_limit();
    size_t n;
    uint64_t sum;

    if (limit == UINT64_MAX || limit > 256 * MIB)
        cr_skip_test("the stack is unlimited here: a VLA would grow it");
    n = (size_t)(2 * limit);
    cr_assert(eq(int, limits_signal_in_child(big_vla, &n), SIGSEGV),
              "a VLA of twice RLIMIT_STACK: no NULL to check, a crash");
    cr_assert(eq(int, limits_signal_in_child(big_alloca, &n), SIGSEGV));
    cr_assert(eq(int, stackmem_heap(n, &sum), 0), "malloc of the same size: granted");
}

static int job_heap(void *ctx)
{
    uint64_t sum;

    (void)ctx;
    return stackmem_heap(1000, &sum);
}

Test(stackmem, the_heap_version_reports_a_failed_allocation)
{
    ASSERT_SWEEP_CLEAN(job_heap, NULL);
}
