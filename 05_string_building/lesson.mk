# 05_string_building/lesson.mk: the lesson's extra flags and targets, included by the
# top Makefile.
#
#   make targets-05     the lesson's speed targets against one run of bench: met or MISSED
#
# GLib's GString is the comparison the benchmarks and tests make: its flags come from
# pkg-config (package libglib2.0-dev, in make deps).

P05 := 05_string_building
CFLAGS_05_string_building := $(shell pkg-config --cflags glib-2.0 2>/dev/null)
LDLIBS_05_string_building := $(shell pkg-config --libs glib-2.0 2>/dev/null || echo -lglib-2.0)

# make check: small enough for memcheck and for failing every allocation in turn.
CHECK_ARGS_05_string_building := 40

.PHONY: targets-05
targets-05: $(BUILD)/$(P05)/bench
	@$(P05)/targets.sh $(BUILD)/$(P05)/bench $(ARGS)
