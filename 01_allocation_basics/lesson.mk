# 01_allocation_basics/lesson.mk: the lesson's extra targets, included by the top Makefile.
#
#   make allocators-01    GrowByOne, GrowX2, ... under glibc, jemalloc, mimalloc, tcmalloc
#   make massif-01        massif on main --heavy and --light with N = 20,000 (ARGS=N to
#                         change it): under Valgrind every realloc copies, so growing by
#                         one costs O(N^2) bytes copied and 1,000,000 would take hours

L01 := 01_allocation_basics

# make check: small enough for memcheck and for failing every allocation in turn.
CHECK_ARGS_01_allocation_basics := 50

# make massif-01: N = 20,000 (see above).
MASSIF_ARGS_01_allocation_basics := 20000

.PHONY: allocators-01
allocators-01: $(BUILD)/$(L01)/bench
	@$(L01)/allocators.sh $(BUILD)/$(L01)/bench $(ARGS)
