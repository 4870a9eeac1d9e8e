# 01_allocation_basics/lesson.mk: the lesson's extra targets, included by the top Makefile.

# make check: small enough for memcheck and for failing every allocation in turn.
CHECK_ARGS_01_allocation_basics := 50
