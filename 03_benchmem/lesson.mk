# 03_benchmem/lesson.mk: the lesson's extra builds, included by the top Makefile.
#
#   make traps-03 ARGS=...   the traps of reading a benchmark, as Go-format benchmarks
#                            (build/03_benchmem/traps; ARGS are bench flags)
#   make allocs-03 ARGS=...  the same, only the exact columns: name, B/op, allocs/op
#   make deleted-03          what gcc -O2 made of trap/mallocfree.c, with and without
#                            -fno-builtin-malloc (trap/deleted.sh)
#   make noise-03            one noisy run against the median of ten (trap/noise.sh)
#   make honest-03           the harness against Google Benchmark on the same loop, and
#                            its own overhead: same-run ratios, met or MISSED
#
# Builds:
#   $(BUILD)/03_benchmem/traps             trap/traps.c + two copies of trap/mallocfree.c:
#       mallocfree_o2.o    gcc -O2 WITHOUT the Makefile's -fno-builtin-* flags: gcc may
#                          pair the malloc with the free and delete both
#       mallocfree_kept.o  the same source with the Makefile's flags
#   $(BUILD)/03_benchmem/gbench/gbench     gbench/gbench.cc with Google Benchmark (C++),
#                          linked with the same counting allocator as bench, so both
#                          harnesses time the same malloc

B03 := 03_benchmem
B03_BUILD = $(BUILD)/$(B03)
B03_LESSON_OBJ = $(call lesson_obj,$(B03))

$(B03_BUILD)/trap/mallocfree_o2.o: $(B03)/trap/mallocfree.c common/bench.h $(B03)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC)$(CC) $(CPPFLAGS) $(filter-out -fno-builtin-%,$(CFLAGS)) -DTRAP_FN=trap_mallocfree_o2 -c $< -o $@
$(B03_BUILD)/trap/mallocfree_kept.o: $(B03)/trap/mallocfree.c common/bench.h $(B03)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC)$(CC) $(CPPFLAGS) $(CFLAGS) -DTRAP_FN=trap_mallocfree_kept -c $< -o $@
$(B03_BUILD)/traps: $(BUILD)/$(B03)/trap/traps.o $(B03_BUILD)/trap/mallocfree_o2.o \
                    $(B03_BUILD)/trap/mallocfree_kept.o $(B03_LESSON_OBJ) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# Google Benchmark is C++; the counting allocator comes from the same object as bench's.
CXX ?= g++
$(B03_BUILD)/gbench/gbench: $(B03)/gbench/gbench.cc $(BUILD)/common/countalloc.o $(B03)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CXX)$(CXX) -std=c++17 $(OPT) -g -Wall -Wextra -Werror -fno-builtin-malloc -fno-builtin-free \
	    $< $(BUILD)/common/countalloc.o -o $@ -lbenchmark -lpthread

# make check: small enough for memcheck and for failing every allocation in turn.
CHECK_ARGS_03_benchmem := 50

.PHONY: traps-03 allocs-03 deleted-03 noise-03 honest-03
traps-03: $(B03_BUILD)/traps
	@$< $(ARGS)
allocs-03: $(B03_BUILD)/traps
	@$< $(ARGS) | awk '/^Benchmark/ { printf "%-28s %8s %s %8s %s\n", $$1, $$(NF-3), $$(NF-2), $$(NF-1), $$NF }'
deleted-03: $(B03_BUILD)/traps
	@$(B03)/trap/deleted.sh $(B03_BUILD)/trap
noise-03: $(B03_BUILD)/traps
	@$(B03)/trap/noise.sh $< $(ARGS)
ifeq ($(SANITIZE),1)
honest-03:
	@echo "honest-03: timings need the normal build; run it without SANITIZE=1" >&2; exit 2
else
honest-03: $(B03_BUILD)/bench $(B03_BUILD)/gbench/gbench
	@$(B03)/gbench/honest.sh $(B03_BUILD)/bench $(B03_BUILD)/gbench/gbench $(ARGS)
endif
