# 01_allocation_basics/lesson.mk: the lesson's extra targets, included by the top Makefile.
#
#   make allocators-01    GrowByOne, GrowX2, ... under glibc, jemalloc, mimalloc, tcmalloc
#   make massif-01        massif on main --heavy and --light with N = 20,000 (ARGS=N to
#                         change it): under Valgrind every realloc copies, so growing by
#                         one costs O(N^2) bytes copied and 1,000,000 would take hours
#   make overcommit-01    what malloc grants untouched, and RLIMIT_AS making it return
#                         NULL, each in a child process (demo/overcommit.c)
#   make stack-01         RLIMIT_STACK, what a VLA and alloca cost, an overflow killing a
#                         child process (demo/stack.c)
#   make realloc-01       realloc(p, 0), shrinking, growing in place or not, and what
#                         p = realloc(p, n) loses (demo/realloc.c)

L01 := 01_allocation_basics

# make check: small enough for memcheck and for failing every allocation in turn.
CHECK_ARGS_01_allocation_basics := 50

# make massif-01: N = 20,000 (see above).
MASSIF_ARGS_01_allocation_basics := 20000

.PHONY: allocators-01
allocators-01: $(BUILD)/$(L01)/bench
	@$(L01)/allocators.sh $(BUILD)/$(L01)/bench $(ARGS)

# stackmem.c shows a variable-length array: the one file built without -Wvla's error.
$(BUILD)/$(L01)/stackmem.o: CFLAGS += -Wno-vla

# ---- demo/: one program per interview question, with the lesson's code, counted ----
L01_DEMOS := overcommit stack realloc
$(BUILD)/$(L01)/demo/%: $(BUILD)/$(L01)/demo/%.o $$(call lesson_obj,$(L01)) $(COMMON_OBJ)
	$(call quiet,LD)$(LINK)

.PHONY: $(addsuffix -01,$(L01_DEMOS))
$(addsuffix -01,$(L01_DEMOS)): %-01: $(BUILD)/$(L01)/demo/%
	@$< $(ARGS)
PROGS_01_allocation_basics := $(addprefix demo/,$(L01_DEMOS))
