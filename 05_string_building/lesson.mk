# 05_string_building/lesson.mk: the lesson's extra flags and targets, included by the
# top Makefile.
#
#   make bench-05       the benchmarks, then the lesson's speed targets checked against
#                       that same run (met or MISSED); replaces the generic bench-NN rule
#   make targets-05     only the benchmarks the targets need, and the targets
#
# GLib's GString is the comparison the benchmarks and tests make: its flags come from
# pkg-config (package libglib2.0-dev, in make deps).

P05 := 05_string_building
CFLAGS_05_string_building := $(shell pkg-config --cflags glib-2.0 2>/dev/null)
LDLIBS_05_string_building := $(shell pkg-config --libs glib-2.0 2>/dev/null || echo -lglib-2.0)

# make check: small enough for memcheck and for failing every allocation in turn.
CHECK_ARGS_05_string_building := 40

.PHONY: targets-05 bench-05
targets-05: $(BUILD)/$(P05)/bench
	@$(P05)/targets.sh $(BUILD)/$(P05)/bench $(ARGS)

# An explicit rule wins over the top Makefile's bench-% pattern.
bench-05: $(BUILD)/$(P05)/bench
	$< $(BENCHFLAGS) $(ARGS) | tee $(BUILD)/$(P05)/bench.out
	@$(P05)/targets.sh --from $(BUILD)/$(P05)/bench.out
