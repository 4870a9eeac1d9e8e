# 04_pooling/lesson.mk: the lesson's extra builds, included by the top Makefile.
#
#   make misuse-04        the misuse programs under memcheck and under ASan: what each says
#   make allocators-04    Pool4KiB, Arena64B, ... against glibc, jemalloc, mimalloc, tcmalloc
#
# Builds:
#   $(BUILD)/04_pooling/misuse/vg/PROG    annotated for Valgrind (-DMEMDEBUG_VALGRIND)
#   $(BUILD)/04_pooling/misuse/asan/PROG  built with -fsanitize=address
# The misuse programs use the pools alone, without the counting allocator, and are built
# with their tool's flags whatever SANITIZE says.

P04 := 04_pooling
P04_BUILD = $(BUILD)/$(P04)
P04_POOLS := $(addprefix $(P04)/,pool.c tspool.c mpool.c arena.c)
P04_MISUSE := use_after_put use_after_reset dirty_read correct_use use_after_free double_free \
              leak_kinds
P04_HDRS := $(wildcard $(P04)/*.h) common/memdebug.h $(P04)/lesson.mk

# The project's flags without the sanitizers; -O0 keeps the reported lines exact.
P04_TOOL_CFLAGS = $(filter-out -fsanitize=% -fno-sanitize-recover=% -O%,$(CFLAGS)) -O0
P04_TOOL_CPPFLAGS = $(filter-out -DCOUNTALLOC_ASAN,$(CPPFLAGS)) -I$(P04)

$(P04_BUILD)/misuse/vg/%: $(P04)/misuse/%.c $(P04_POOLS) $(P04_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC)$(CC) $(P04_TOOL_CPPFLAGS) -DMEMDEBUG_VALGRIND $(P04_TOOL_CFLAGS) $< $(P04_POOLS) -o $@ -pthread

$(P04_BUILD)/misuse/asan/%: $(P04)/misuse/%.c $(P04_POOLS) $(P04_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC)$(CC) $(P04_TOOL_CPPFLAGS) $(P04_TOOL_CFLAGS) -fsanitize=address -fno-omit-frame-pointer \
	    $< $(P04_POOLS) -o $@ -pthread

P04_MISUSE_BINS = $(foreach t,vg asan,$(addprefix $(P04_BUILD)/misuse/$(t)/,$(P04_MISUSE)))

# test_misuse.c runs them; order-only, so they stay out of the test's link line.
$(BUILD)/04_pooling/test: | $(P04_MISUSE_BINS)

# make check: small enough for memcheck and for failing every allocation in turn.
CHECK_ARGS_04_pooling := 200

# make massif-04: 2,000 requests and nodes; the request loop holds 4 to 36 KiB per batch
# of 8, and massif's default 100 snapshots alias with it (the README shows it, then the
# fix: 1,000 snapshots, a shorter interval).
MASSIF_ARGS_04_pooling := 2000
MASSIF_OPTS_04_pooling := --max-snapshots=1000

# ---- what the user types ----
.PHONY: misuse-04 allocators-04

misuse-04: $(P04_MISUSE_BINS)
	@$(P04)/misuse/run.sh $(P04_BUILD)/misuse

# Do you still need a pool? The single-thread benchmarks' median ns/op, and per
# allocator how many times faster the pool or the arena was than malloc.
allocators-04: $(BUILD)/04_pooling/bench
	@tools/allocators.sh --names 'WithAlloc WithPool Malloc4KiB Pool4KiB Malloc64B Arena64B' \
	    --column 'ns/op (median)' ns/op %11s 1 --ratio Malloc4KiB/Pool4KiB \
	    --ratio Malloc64B/Arena64B $< $(or $(ARGS),-count 3 -benchtime 100ms)

