/* test_aba.c: the lock-free stack of lfstack.h and its ABA problem. One block for every
 * node and no allocation in a push or a pop; the classic interleaving replayed step by
 * step in one thread: the naive head hands B out twice, the tagged head's late CAS fails
 * and its retry takes the right node; a node freed and malloc'd again at the same address
 * on glibc; the tagged stack under two real threads, every node back once; the demo's
 * bad arguments. The naive stack never runs under real threads here: its failure is a
 * race, and a test of a race passes or fails by chance. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "lfstack.h"

#define A 0
#define B 1
#define C 2

static const size_t shapes[][2] = {{1, 8}, {3, 8}, {3, 64}, {26, 16}, {1000, 64}};

/* ---- the block ---- */

Test(lfstack, init_is_one_allocation_of_n_times_size_and_push_and_pop_allocate_nothing)
{
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        size_t n = shapes[k][0], size = shapes[k][1];

        for (int kind = LFSTACK_NAIVE; kind <= LFSTACK_TAGGED; kind++) {
            struct lfstack s;
            int rc = -1;
            void *p = NULL;

            ASSERT_ALLOCS(rc = lfstack_init(&s, n, size, (enum lfstack_kind)kind), 1, n * size);
            cr_assert(eq(int, rc, 0));
            for (size_t i = 0; i < n; i++) {
                ASSERT_NO_ALLOCS(p = lfstack_pop(&s));
                cr_assert(eq(sz, lfstack_index(&s, p), i), "node %zu of %zu comes out in order", i, n);
            }
            ASSERT_NO_ALLOCS(p = lfstack_pop(&s));
            cr_assert(p == NULL, "an empty stack pops NULL");
            for (size_t i = n; i-- > 0;)
                ASSERT_NO_ALLOCS(lfstack_push(&s, s.mem + i * size));
            cr_assert(eq(sz, lfstack_walk(&s, NULL, 0), n), "every node back on the list");
            lfstack_destroy(&s);
        }
    }
}

Test(lfstack, init_frees_the_block_at_destroy)
{
    struct countalloc_stats d;
    struct lfstack s;

    ALLOC_MEASURE((lfstack_init(&s, 10, 32, LFSTACK_TAGGED), lfstack_destroy(&s)), d);
    cr_assert(d.mallocs == 1 && d.frees == 1 && d.heap_alloc == 0,
              "init and destroy: expected 1 allocation and 1 free, saw %llu and %llu",
              (unsigned long long)d.mallocs, (unsigned long long)d.frees);
}

Test(lfstack, a_size_or_count_it_cannot_hold_is_refused_with_einval_and_nothing_taken)
{
    static const size_t bad[][2] = {{0, 8}, {3, 0}, {3, 4}, {3, 12}, {LFSTACK_MAX_NODES + 1, 8},
                                    {SIZE_MAX / 8, 16}};

    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        struct lfstack s, before;
        int rc = 0;

        memset(&s, 0x5a, sizeof s);
        before = s;
        errno = 0;
        ASSERT_NO_ALLOCS(rc = lfstack_init(&s, bad[k][0], bad[k][1], LFSTACK_TAGGED));
        cr_assert(rc == -1 && errno == EINVAL, "n %zu, size %zu: expected -1 and EINVAL, saw %d, %d",
                  bad[k][0], bad[k][1], rc, errno);
        cr_assert(memcmp(&s, &before, sizeof s) == 0, "a refused init leaves *s untouched");
    }
}

Test(lfstack, a_failed_allocation_returns_enomem_and_leaves_the_stack_untouched)
{
    struct lfstack s, before;
    int rc = 0, err;

    SKIP_WITHOUT_INJECTION();
    memset(&s, 0x5a, sizeof s);
    before = s;
    countalloc_fail_at(1, false);
    rc = lfstack_init(&s, 8, 64, LFSTACK_NAIVE);
    err = errno;
    countalloc_fail_off();
    cr_assert(rc == -1 && err == ENOMEM, "expected -1 and ENOMEM, saw %d, %d", rc, err);
    cr_assert(memcmp(&s, &before, sizeof s) == 0, "a failed init leaves *s untouched");
}

static int sweep_init(void *ctx)
{
    struct lfstack s;
    size_t n = *(size_t *)ctx;

    if (lfstack_init(&s, n, 64, LFSTACK_TAGGED) != 0)
        return -1;
    lfstack_push(&s, lfstack_pop(&s));
    lfstack_destroy(&s);
    return 0;
}

static int sweep_replay(void *ctx)
{
    struct lfstack_replay r;

    return lfstack_replay(*(enum lfstack_kind *)ctx, 5, &r);
}

static int sweep_replay_heap(void *ctx)
{
    struct lfstack_heap_replay h;

    (void)ctx;
    return lfstack_replay_heap(64, &h);
}

Test(lfstack, every_allocation_failed_in_turn_is_reported_and_leaks_nothing)
{
    size_t n = 100;
    enum lfstack_kind naive = LFSTACK_NAIVE, tagged = LFSTACK_TAGGED;

    ASSERT_SWEEP_CLEAN(sweep_init, &n);
    ASSERT_SWEEP_CLEAN(sweep_replay, &naive);
    ASSERT_SWEEP_CLEAN(sweep_replay, &tagged);
    ASSERT_SWEEP_CLEAN(sweep_replay_heap, NULL);
}

Test(lfstack, index_names_only_the_blocks_nodes)
{
    struct lfstack s;

    cr_assert(eq(int, lfstack_init(&s, 4, 16, LFSTACK_TAGGED), 0));
    cr_assert(eq(sz, lfstack_index(&s, s.mem), 0));
    cr_assert(eq(sz, lfstack_index(&s, s.mem + 3 * 16), 3));
    cr_assert(eq(sz, lfstack_index(&s, s.mem + 4 * 16), LFSTACK_NONE), "one past the end");
    cr_assert(eq(sz, lfstack_index(&s, s.mem + 8), LFSTACK_NONE), "inside a node");
    cr_assert(eq(sz, lfstack_index(&s, NULL), LFSTACK_NONE));
    lfstack_destroy(&s);
}

/* ---- the interleaving, step by step ---- */

/* T1 begins a pop; T2 pops A and B and pushes A back. Returns what T1 read; *b is T2's B. */
static struct lfstack_pop interleave(struct lfstack *s, void **b)
{
    struct lfstack_pop t1;
    void *a;

    cr_assert(lfstack_pop_begin(s, &t1));
    cr_assert(eq(sz, lfstack_index(s, t1.node), A), "T1 reads A");
    cr_assert(eq(sz, lfstack_index(s, t1.next), B), "and its next, B");
    a = lfstack_pop(s);
    *b = lfstack_pop(s);
    cr_assert(eq(sz, lfstack_index(s, a), A), "T2 pops A");
    cr_assert(eq(sz, lfstack_index(s, *b), B), "then B");
    lfstack_push(s, a);
    return t1;
}

Test(aba, a_naive_heads_late_cas_succeeds_and_the_next_pop_hands_out_b_a_second_time)
{
    struct lfstack s;
    struct lfstack_pop t1;
    size_t order[4];
    void *b, *again;
    bool ok;

    cr_assert(eq(int, lfstack_init(&s, 3, LFSTACK_MIN_SIZE, LFSTACK_NAIVE), 0));
    t1 = interleave(&s, &b);
    ASSERT_NO_ALLOCS(ok = lfstack_pop_commit(&s, &t1));
    cr_assert(ok, "the naive CAS compares the pointer only: A is on top again, so it succeeds");
    cr_assert(eq(sz, lfstack_walk(&s, order, 4), 2));
    cr_assert(order[0] == B && order[1] == C,
              "the head is B, which T2 holds: the list is B C, saw %zu %zu", order[0], order[1]);
    again = lfstack_pop(&s);
    cr_assert(again == b, "the next pop hands out B, which T2 already holds: saw node %zu",
              lfstack_index(&s, again));
    lfstack_destroy(&s);
}

Test(aba, a_tagged_heads_late_cas_fails_and_the_retry_takes_a_with_its_new_next)
{
    struct lfstack s;
    struct lfstack_pop t1;
    size_t n = 3, order[4];
    void *b, *next;
    bool ok;

    cr_assert(eq(int, lfstack_init(&s, n, LFSTACK_MIN_SIZE, LFSTACK_TAGGED), 0));
    cr_assert(eq(u32, lfstack_gen(&s), n), "init pushes each of the n nodes: generation n");
    t1 = interleave(&s, &b);
    cr_assert(eq(u32, lfstack_gen(&s), n + 3), "T2's pop, pop, push: 3 more");
    ASSERT_NO_ALLOCS(ok = lfstack_pop_commit(&s, &t1));
    cr_assert(not(ok), "A is on top again, but with another generation: the late CAS must fail");
    cr_assert(eq(u32, lfstack_gen(&s), n + 3), "a failed CAS changes nothing");
    cr_assert(lfstack_pop_begin(&s, &t1));
    cr_assert(eq(sz, lfstack_index(&s, t1.node), A), "the retry reads A again");
    cr_assert(eq(sz, lfstack_index(&s, t1.next), C), "with its next as it is now: C");
    cr_assert(lfstack_pop_commit(&s, &t1), "and commits");
    cr_assert(eq(sz, lfstack_walk(&s, order, 4), 1));
    cr_assert(eq(sz, order[0], C), "the list is C alone: B stays T2's");
    next = lfstack_pop(&s);
    cr_assert(eq(sz, lfstack_index(&s, next), C), "the next pop hands out C");
    cr_assert(eq(u32, lfstack_gen(&s), n + 5));
    cr_assert(lfstack_pop(&s) == NULL, "A with T1, B with T2, C popped: empty");
    lfstack_destroy(&s);
}

Test(aba, the_replay_gives_these_outcomes_for_every_stack_size)
{
    for (size_t n = 3; n <= 26; n++) {
        struct lfstack_replay nv, tg;
        int rn = -1, rt = -1;

        ASSERT_ALLOCS(rn = lfstack_replay(LFSTACK_NAIVE, n, &nv), 1, n * LFSTACK_MIN_SIZE);
        ASSERT_ALLOCS(rt = lfstack_replay(LFSTACK_TAGGED, n, &tg), 1, n * LFSTACK_MIN_SIZE);
        cr_assert(rn == 0 && rt == 0, "n %zu: the replays ran", n);
        cr_assert(nv.commit_ok && nv.retries == 0 && nv.t1_got == A && nv.t2_holds == B,
                  "n %zu: naive: T1's CAS succeeds at once and takes A", n);
        cr_assert(nv.listed == n - 1 && nv.order[0] == B,
                  "n %zu: naive: B and every node under it on the list, saw %zu", n, nv.listed);
        cr_assert(eq(sz, nv.next_pop, B), "n %zu: naive: the next pop hands out B twice", n);
        cr_assert(tg.commit_ok == false && tg.retries == 1 && tg.t1_got == A && tg.t2_holds == B,
                  "n %zu: tagged: one failed CAS, then A", n);
        cr_assert(tg.gen_begin == n && tg.gen_commit == n + 3, "n %zu: generations %u and %u", n,
                  (unsigned)tg.gen_begin, (unsigned)tg.gen_commit);
        cr_assert(eq(sz, tg.listed, n - 2), "n %zu: tagged: all but A and B on the list", n);
        for (size_t i = 0; i < tg.listed; i++)
            cr_assert(eq(sz, tg.order[i], C + i), "n %zu: tagged: the list from C on, in order", n);
        cr_assert(eq(sz, tg.next_pop, C), "n %zu: tagged: the next pop hands out C", n);
    }
}

Test(aba, the_replay_refuses_a_stack_size_out_of_range)
{
    struct lfstack_replay r;

    cr_assert(lfstack_replay(LFSTACK_NAIVE, 2, &r) == -1 && errno == EINVAL);
    cr_assert(lfstack_replay(LFSTACK_TAGGED, 27, &r) == -1 && errno == EINVAL);
}

/* ---- nodes from malloc: the freed node's address comes back ---- */

static const size_t heap_sizes[] = {16, 64, 256, 512};

Test(aba_heap, the_replay_is_four_mallocs_of_the_node_size_all_freed)
{
    for (size_t k = 0; k < sizeof heap_sizes / sizeof heap_sizes[0]; k++) {
        struct lfstack_heap_replay h;
        struct countalloc_stats d;
        int rc = -1;

        ALLOC_MEASURE(rc = lfstack_replay_heap(heap_sizes[k], &h), d);
        cr_assert(eq(int, rc, 0));
        cr_assert(d.mallocs == 4 && d.frees == 4 && d.total_alloc == 4 * heap_sizes[k],
                  "size %zu: expected 4 mallocs of it and 4 frees, saw %llu (%llu B) and %llu",
                  heap_sizes[k], (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc, (unsigned long long)d.frees);
        /* Whatever the allocator: the pointer CAS succeeds exactly when the address came back. */
        cr_assert(eq(int, h.commit_ok, h.same_address), "size %zu", heap_sizes[k]);
        cr_assert(eq(int, h.head_is_held, h.same_address), "size %zu", heap_sizes[k]);
    }
    cr_assert(lfstack_replay_heap(4, NULL) == -1 && errno == EINVAL, "a node under 8 B");
}

/* glibc 2.36 and 2.41: a small block freed goes to the thread's tcache, last in first out,
 * and the next malloc of its size class takes it back: the new node is at A's address, the
 * head is "A" again, and T1's pointer CAS succeeds. Valgrind's allocator keeps a freed
 * block out of use for a while, and ASan's quarantine too: there the address is new. */
Test(aba_heap, on_glibc_the_node_malloced_after_a_free_has_the_freed_address_and_the_cas_succeeds,
     GLIBC_MALLOC_ONLY)
{
    for (size_t k = 0; k < sizeof heap_sizes / sizeof heap_sizes[0]; k++) {
        struct lfstack_heap_replay h;

        cr_assert(eq(int, lfstack_replay_heap(heap_sizes[k], &h), 0));
        cr_assert(h.same_address, "size %zu: glibc's tcache should hand A's block back at once",
                  heap_sizes[k]);
        cr_assert(h.commit_ok && h.head_is_held,
                  "size %zu: T1's CAS should succeed and leave B, which T2 holds, on top",
                  heap_sizes[k]);
    }
}

/* ---- the tagged stack under two real threads ---- */

#define THREADS 2
#define ROUNDS 20000

struct churn {
    struct lfstack *s;
    unsigned long rounds;
    unsigned long empty; /* pops that found the stack empty: none with more nodes than threads */
};

static void *churn(void *arg)
{
    struct churn *c = arg;

    for (unsigned long i = 0; i < c->rounds; i++) {
        void *p = lfstack_pop(c->s);

        if (p == NULL) {
            c->empty++;
            continue;
        }
        lfstack_push(c->s, p);
    }
    return NULL;
}

Test(aba_threads, two_threads_popping_and_pushing_back_leave_every_node_on_the_tagged_list_once)
{
    for (size_t n = THREADS; n <= 8; n *= 2) {
        struct lfstack s;
        struct churn ch[THREADS];
        pthread_t t[THREADS];
        size_t order[9], seen[8] = {0}, met;

        cr_assert(eq(int, lfstack_init(&s, n, 64, LFSTACK_TAGGED), 0));
        for (int i = 0; i < THREADS; i++) {
            ch[i] = (struct churn){&s, ROUNDS, 0};
            cr_assert(eq(int, pthread_create(&t[i], NULL, churn, &ch[i]), 0));
        }
        for (int i = 0; i < THREADS; i++)
            pthread_join(t[i], NULL);
        met = lfstack_walk(&s, order, n + 1);
        cr_assert(eq(sz, met, n), "n %zu: expected every node on the list, the walk met %zu", n, met);
        for (size_t i = 0; i < met; i++)
            seen[order[i]]++;
        for (size_t i = 0; i < n; i++)
            cr_assert(eq(sz, seen[i], 1), "n %zu: node %zu on the list %zu times", n, i, seen[i]);
        cr_assert(ch[0].empty == 0 && ch[1].empty == 0,
                  "n %zu: each thread holds one node at most, so no pop finds it empty", n);
        /* every pop and every push succeeded once: n pushes at init, 2 per round */
        cr_assert(eq(u32, lfstack_gen(&s), (uint32_t)(n + 2 * THREADS * ROUNDS)),
                  "n %zu: one generation per successful push and pop", n);
        lfstack_destroy(&s);
    }
}

/* ---- the program ---- */

Test(aba_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad_n[] = {"abc", "0", "2", "-5", "27", "1x", "--bogus",
                                        "99999999999999999999999"};
    static const char *const extra[] = {"3 4"};

    ASSERT_BAD_ARGUMENTS("demo/aba", "N", bad_n);
    ASSERT_BAD_ARGUMENTS("demo/aba", "aba", extra);
}

Test(aba_program, a_run_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/aba", "26");
}
