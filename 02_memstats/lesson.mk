# 02_memstats/lesson.mk: the lesson's extra builds and targets, included by the Makefile.
P02 := 02_memstats
EXTRA_OBJ_02_memstats := $(BUILD)/common/sites.o
LDLIBS_02_memstats := $(shell pkg-config --libs libdw 2>/dev/null || echo -ldw -lelf)
EXTRA_OBJ_test_sites := $(BUILD)/common/sites.o
LDLIBS_test_sites := $(LDLIBS_02_memstats)
CHECK_ARGS_02_memstats := 300

# The exercise's tests print the site report's top line: link the tracer into them too.
$(BUILD)/02_memstats/exercise_starter $(BUILD)/02_memstats/exercise_pristine \
$(BUILD)/02_memstats/exercise_solution: $(BUILD)/common/sites.o
