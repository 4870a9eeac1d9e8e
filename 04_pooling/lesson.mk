# 04_pooling/lesson.mk: the lesson's extra builds, included by the top Makefile.
#
#   make misuse-04        the misuse programs under memcheck and under ASan: what each says
#   make allocators-04    Pool4KiB, Arena64B, ... against glibc, jemalloc, mimalloc, tcmalloc
#   make targets-04       the lesson's speed targets against one benchmark run: met or not
#   make bench-04 ALLOCATOR=jemalloc|mimalloc|tcmalloc|glibc
#                         the benchmarks with that allocator preloaded (bench.c re-runs
#                         itself as next/bench, whose countalloc forwards to the next malloc)
#
# Builds:
#   $(BUILD)/04_pooling/misuse/vg/PROG    annotated for Valgrind (-DMEMDEBUG_VALGRIND)
#   $(BUILD)/04_pooling/misuse/asan/PROG  built with -fsanitize=address
#   $(BUILD)/04_pooling/next/bench        countalloc.c compiled with -DCOUNTALLOC_NEXT
# The misuse programs use the pools alone, without the counting allocator, and are built
# with their tool's flags whatever SANITIZE says.

P04 := 04_pooling
P04_BUILD = $(BUILD)/$(P04)
P04_POOLS := $(addprefix $(P04)/,pool.c tspool.c mpool.c arena.c)
P04_MISUSE := use_after_put use_after_reset dirty_read correct_use
P04_HDRS := $(wildcard $(P04)/*.h) common/memdebug.h $(P04)/lesson.mk

# The project's flags without the sanitizers; -O0 keeps the reported lines exact.
P04_TOOL_CFLAGS = $(filter-out -fsanitize=% -fno-sanitize-recover=% -O%,$(CFLAGS)) -O0
P04_TOOL_CPPFLAGS = $(filter-out -DCOUNTALLOC_ASAN,$(CPPFLAGS)) -I$(P04)

$(P04_BUILD)/misuse/vg/%: $(P04)/misuse/%.c $(P04_POOLS) $(P04_HDRS)
	@mkdir -p $(@D)
	$(CC) $(P04_TOOL_CPPFLAGS) -DMEMDEBUG_VALGRIND $(P04_TOOL_CFLAGS) $< $(P04_POOLS) -o $@ -pthread

$(P04_BUILD)/misuse/asan/%: $(P04)/misuse/%.c $(P04_POOLS) $(P04_HDRS)
	@mkdir -p $(@D)
	$(CC) $(P04_TOOL_CPPFLAGS) $(P04_TOOL_CFLAGS) -fsanitize=address -fno-omit-frame-pointer \
	    $< $(P04_POOLS) -o $@ -pthread

P04_MISUSE_BINS = $(foreach t,vg asan,$(addprefix $(P04_BUILD)/misuse/$(t)/,$(P04_MISUSE)))

# test_misuse.c runs them; order-only, so they stay out of the test's link line.
$(BUILD)/04_pooling/test: | $(P04_MISUSE_BINS)

# ---- the bench's twin for ALLOCATOR=... ----
# Everything of common/ that the bench links, but countalloc in COUNTALLOC_NEXT mode.
P04_COMMON_NEXT = $(patsubst %.c,$(BUILD)/%.o,$(filter-out common/countalloc.c common/test_% \
                    common/bench_% common/sites.c,$(wildcard common/*.c)))
P04_LESSON_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(filter-out $(P04)/main.c $(P04)/bench.c \
                    $(P04)/exercise.c $(P04)/test_%.c,$(wildcard $(P04)/*.c)))

$(P04_BUILD)/next/countalloc.o: common/countalloc.c common/countalloc.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DCOUNTALLOC_NEXT $(CFLAGS) -c $< -o $@
$(P04_BUILD)/next/bench.o: $(P04)/bench.c $(P04_HDRS) common/bench.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DBENCH_NEXT $(CFLAGS) -I$(P04) -c $< -o $@
$(P04_BUILD)/next/bench: $(P04_BUILD)/next/bench.o $(P04_BUILD)/next/countalloc.o \
                         $(P04_LESSON_OBJ) $(P04_COMMON_NEXT)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# bench execs the twin when ALLOCATOR is set, so building one builds both.
$(BUILD)/04_pooling/bench: | $(P04_BUILD)/next/bench

# make check: small enough for memcheck and for failing every allocation in turn.
CHECK_ARGS_04_pooling := 200

# ---- what the user types ----
.PHONY: misuse-04 allocators-04

misuse-04: $(P04_MISUSE_BINS)
	@$(P04)/misuse/run.sh $(P04_BUILD)/misuse

allocators-04: $(BUILD)/04_pooling/bench
	@$(P04)/allocators.sh $(BUILD)/04_pooling/bench $(ARGS)

.PHONY: targets-04
targets-04: $(BUILD)/04_pooling/bench
	@$(P04)/targets.sh $(BUILD)/04_pooling/bench $(ARGS)
