# 04_pooling/lesson.mk: the lesson's extra builds, included by the top Makefile.
#
#   make misuse-04        the misuse programs under memcheck and under ASan: what each says
#                         (ARGS='--stdout PROG...': those alone, and what each printed;
#                         --full: each tool's whole report)
#   make allocators-04    Pool4KiB, Arena64B, ... against glibc, jemalloc, mimalloc, tcmalloc
#   make tcache-04        where glibc's free puts a 1 KiB block, plain and counted
#   make freelist-04      a small malloc (freelist.h) on 4 KiB: header cost, split, holes, merge,
#                         fl_realloc's paths, and growths in place against glibc's realloc
#                         (PART=malloc or PART=realloc: one of the two)
#   make buddy-04         a buddy allocator (buddy.h) on 4 KiB: the splits and merges of a
#                         sequence, the block every request takes beside the free list's and
#                         glibc's, every other block freed, free neighbours that are not
#                         buddies (ARGS='K [MIN]': a region of 2^K, blocks from 2^MIN)
#   make locality-04      why a linked list is slow: one list's nodes from malloc in order,
#                         shuffled, in an aged heap, from an arena, and an array; the walk
#                         timed per node at sizes from the caches (ARGS=N: that size alone)
#   make slab-04          freed but not given back: N objects from a slab pool (slab.h), all
#                         freed but one in k; the slabs the survivors keep, the survivors from
#                         a pool of their own, and glibc's malloc and malloc_trim beside it
#                         (ARGS='N K', default 20,000 and k = 2, 16, 64, 512)
#   make queue-04         a queue on the hot path: N items through a FIFO in bursts of B, a
#                         linked list (a malloc per push, a free per pop) against a ring grown
#                         by doubling, then the same ring again: allocations, frees, bytes,
#                         peak, growths (ARGS='N B', default 100,000 and 1,000)
#   make allocif-04       the allocator as a parameter: one parser of N "key=value" lines given
#                         the heap, an arena and a fixed buffer (allocif.h), what it asked for
#                         and what the heap served; the smallest buffer (ARGS=N, default 1,000)
#   make lru-04           an LRU cache two ways, textbook (a hash node, a list node and a key
#                         copy malloc'd per entry) and intrusive (one array made at init):
#                         the same gets and puts through each, the allocations and frees of
#                         each kind of operation, bytes, peak, live blocks
#                         (ARGS='CAPACITY OPS', default 1,000 and 20,000)
#   make aba-04           the ABA problem of a lock-free free list (lfstack.h), replayed in one
#                         thread: a naive head hands a node out twice, a tagged head does not;
#                         then a node freed and malloc'd again at the same address
#                         (ARGS=N: nodes on the stack, default 3)
#   make handles-04       handles, not pointers: a slot map (handle.h) whose stale handles
#                         resolve to NULL, against a pointer that reads the slot's new object
#                         or dangles after a growth; the allocations of N inserts, removes,
#                         reinserts and gets (ARGS=N, default 1,000)
#   make xfree-04         freed by another thread: a producer mallocs N blocks, a consumer
#                         thread frees them; how many of the old addresses each thread's next
#                         mallocs get back, per size (the tcache's, past it, mmap'd), with a
#                         consumer alive throughout and one started per step; what stays held
#                         in the consumer's tcache (ARGS='N [SIZE]', default 20 and five sizes);
#                         ARGS='--cost [M]': the time of M messages freed by the thread that
#                         made them, and by the other (default 200,000)
#
# Builds:
#   $(BUILD)/04_pooling/misuse/vg/PROG    annotated for Valgrind (-DMEMDEBUG_VALGRIND)
#   $(BUILD)/04_pooling/misuse/asan/PROG  built with -fsanitize=address
#   $(BUILD)/04_pooling/demo/tcache       demo/tcache.c with tcache.c, counted
#   $(BUILD)/04_pooling/demo/freelist     demo/freelist.c with fltour.c and freelist.c, counted
#   $(BUILD)/04_pooling/demo/buddy        demo/buddy.c with bdtour.c, buddy.c and freelist.c, counted
#   $(BUILD)/04_pooling/demo/locality     demo/locality.c with locality.c and arena.c, counted
#   $(BUILD)/04_pooling/demo/slab         demo/slab.c with slab.c, counted
#   $(BUILD)/04_pooling/demo/queue        demo/queue.c with queue.c, counted
#   $(BUILD)/04_pooling/demo/allocif      demo/allocif.c with allocif.c and arena.c, counted
#   $(BUILD)/04_pooling/demo/aba          demo/aba.c with lfstack.c, counted
#   $(BUILD)/04_pooling/demo/lru          demo/lru.c with lru.c, counted
#   $(BUILD)/04_pooling/demo/handles      demo/handles.c with handle.c, counted
#   $(BUILD)/04_pooling/demo/xfree        demo/xfree.c with xfree.c, counted
# The misuse programs use the pools, the free list, the slab pool, the buddy allocator and the
# slot map alone, without the counting allocator, and are built with their tool's flags
# whatever SANITIZE says.

L04 := 04_pooling
L04_BUILD = $(BUILD)/$(L04)
L04_POOLS := $(addprefix $(L04)/,pool.c tspool.c mpool.c arena.c freelist.c slab.c handle.c buddy.c)
L04_MISUSE := use_after_put use_after_reset dirty_read correct_use use_after_free double_free \
              use_after_fl_free read_past_fl_shrink use_after_slab_free read_past_buddy_request \
              leak_kinds stale_ptr_after_grow stale_ptr_after_reuse
L04_HDRS := $(wildcard $(L04)/*.h) common/memdebug.h $(L04)/lesson.mk

# The project's flags without the sanitizers; -O0 keeps the reported lines exact.
L04_TOOL_FLAGS = $(CPPFLAGS) -I$(L04) $(filter-out -O%,$(PLAIN_CFLAGS)) -O0

$(L04_BUILD)/misuse/vg/%: $(L04)/misuse/%.c $(L04_POOLS) $(L04_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(L04_TOOL_FLAGS) -DMEMDEBUG_VALGRIND $< $(L04_POOLS) -o $@ -pthread

$(L04_BUILD)/misuse/asan/%: $(L04)/misuse/%.c $(L04_POOLS) $(L04_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(L04_TOOL_FLAGS) -fsanitize=address -fno-omit-frame-pointer \
	    $< $(L04_POOLS) -o $@ -pthread

L04_MISUSE_BINS = $(foreach t,vg asan,$(addprefix $(L04_BUILD)/misuse/$(t)/,$(L04_MISUSE)))

# test_misuse.c runs them; order-only, so they stay out of the test's link line.
$(BUILD)/04_pooling/test: | $(L04_MISUSE_BINS)


# demo/tcache: bench.c's malloc(1024) as glibc sees it, through the counting allocator.
$(L04_BUILD)/demo/tcache: $(L04_BUILD)/demo/tcache.o $(L04_BUILD)/tcache.o $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# demo/freelist: the free-list allocator's tour, its region from the counting allocator.
$(L04_BUILD)/demo/freelist: $(L04_BUILD)/demo/freelist.o $(L04_BUILD)/fltour.o $(L04_BUILD)/freelist.o \
                            $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# demo/buddy: the buddy allocator's tour, the free list beside it, their regions counted.
$(L04_BUILD)/demo/buddy: $(L04_BUILD)/demo/buddy.o $(L04_BUILD)/bdtour.o $(L04_BUILD)/buddy.o \
                         $(L04_BUILD)/freelist.o $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# test_buddy.c runs it (its bad arguments).
$(BUILD)/04_pooling/test: | $(L04_BUILD)/demo/buddy
# demo/locality: the list's five ways (locality.c), the arena's chunk among them.
$(L04_BUILD)/demo/locality: $(L04_BUILD)/demo/locality.o $(L04_BUILD)/locality.o $(L04_BUILD)/arena.o \
                            $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# test_locality.c runs it (its bad arguments, a small N).
$(BUILD)/04_pooling/test: | $(L04_BUILD)/demo/locality
# demo/slab: the slab pool's survivors, glibc's beside them (slab.c).
$(L04_BUILD)/demo/slab: $(L04_BUILD)/demo/slab.o $(L04_BUILD)/slab.o $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# test_slab.c runs it (its bad arguments).
$(BUILD)/04_pooling/test: | $(L04_BUILD)/demo/slab
# demo/queue: the list and the ring, the same items through each (queue.c).
$(L04_BUILD)/demo/queue: $(L04_BUILD)/demo/queue.o $(L04_BUILD)/queue.o $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# test_queue.c runs it (its bad arguments).
$(BUILD)/04_pooling/test: | $(L04_BUILD)/demo/queue
# demo/allocif: one parser, three allocators behind its parameter (allocif.c, arena.c).
$(L04_BUILD)/demo/allocif: $(L04_BUILD)/demo/allocif.o $(L04_BUILD)/allocif.o $(L04_BUILD)/arena.o \
                           $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# test_allocif.c runs it (its bad arguments).
$(BUILD)/04_pooling/test: | $(L04_BUILD)/demo/allocif
# demo/aba: the ABA interleaving on both heads, and a node malloc'd again (lfstack.c).
$(L04_BUILD)/demo/aba: $(L04_BUILD)/demo/aba.o $(L04_BUILD)/lfstack.o $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# test_aba.c runs it (its bad arguments).
$(BUILD)/04_pooling/test: | $(L04_BUILD)/demo/aba
# demo/lru: the same workload through the textbook and the intrusive cache (lru.c).
$(L04_BUILD)/demo/lru: $(L04_BUILD)/demo/lru.o $(L04_BUILD)/lru.o $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# test_lru.c runs it (its bad arguments, a run that frees everything).
$(BUILD)/04_pooling/test: | $(L04_BUILD)/demo/lru
# demo/handles: a stale pointer and a stale handle, growth, allocations (handle.c).
$(L04_BUILD)/demo/handles: $(L04_BUILD)/demo/handles.o $(L04_BUILD)/handle.o $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# test_handles.c runs it (its bad arguments, a run that frees everything).
$(BUILD)/04_pooling/test: | $(L04_BUILD)/demo/handles
# demo/xfree: a producer's blocks freed by a consumer thread, where they go (xfree.c).
$(L04_BUILD)/demo/xfree: $(L04_BUILD)/demo/xfree.o $(L04_BUILD)/xfree.o $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# test_xfree.c runs it (its bad arguments, a run that frees everything).
$(BUILD)/04_pooling/test: | $(L04_BUILD)/demo/xfree
# exercises/8_predict_xfree runs it too, a process per case, in each of its builds.
$(addprefix $(L04_BUILD)/exercises/8_predict_xfree/,starter solution pristine): \
    | $(L04_BUILD)/demo/xfree
# make check: bad input and a full stdout for them too.
PROGS_04_pooling := demo/tcache demo/freelist demo/buddy demo/locality demo/slab demo/queue demo/allocif \
                    demo/aba demo/lru demo/handles demo/xfree

# make massif-04: 2,000 requests and nodes; the request loop holds 4 to 36 KiB per batch
# of 8, and massif's default 100 snapshots alias with it (the README shows it, then the
# fix: 1,000 snapshots, a shorter interval).
MASSIF_ARGS_04_pooling := 2000
MASSIF_OPTS_04_pooling := --max-snapshots=1000

# ---- what the user types ----
.PHONY: misuse-04 allocators-04 tcache-04 freelist-04 buddy-04 locality-04 slab-04 queue-04 allocif-04 aba-04 \
        lru-04 handles-04 xfree-04

misuse-04: $(L04_MISUSE_BINS)
	@$(L04)/misuse/run.sh $(L04_BUILD)/misuse $(ARGS)

tcache-04: $(L04_BUILD)/demo/tcache
	@$<

freelist-04: $(L04_BUILD)/demo/freelist
	@$< $(PART)

buddy-04: $(L04_BUILD)/demo/buddy
	@$< $(ARGS)

locality-04: $(L04_BUILD)/demo/locality
	@$< $(ARGS)

slab-04: $(L04_BUILD)/demo/slab
	@$< $(ARGS)

queue-04: $(L04_BUILD)/demo/queue
	@$< $(ARGS)

allocif-04: $(L04_BUILD)/demo/allocif
	@$< $(ARGS)

aba-04: $(L04_BUILD)/demo/aba
	@$< $(ARGS)

lru-04: $(L04_BUILD)/demo/lru
	@$< $(ARGS)

handles-04: $(L04_BUILD)/demo/handles
	@$< $(ARGS)

xfree-04: $(L04_BUILD)/demo/xfree
	@$< $(ARGS)

# Do you still need a pool? The single-thread benchmarks' ns/op (median and min-max), and
# per allocator how many times faster the pool or the arena was than malloc.
allocators-04: $(BUILD)/04_pooling/bench
	@tools/allocators.sh --names 'WithAlloc WithPool Malloc4KiB Pool4KiB Malloc64B Arena64B' \
	    --column ns/op ns/op %s 1 --ratio Malloc4KiB/Pool4KiB \
	    --ratio Malloc64B/Arena64B $< $(or $(ARGS),-count 5 -benchtime 100ms)

