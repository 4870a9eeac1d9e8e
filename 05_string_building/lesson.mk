# 05_string_building/lesson.mk: the lesson's extra flags, included by the top Makefile.
#
# GLib's GString is the comparison the benchmarks and tests make: its flags come from
# pkg-config (package libglib2.0-dev, in make deps).

CFLAGS_05_string_building := $(shell pkg-config --cflags glib-2.0 2>/dev/null)
LDLIBS_05_string_building := $(shell pkg-config --libs glib-2.0 2>/dev/null || echo -lglib-2.0)

# make check: small enough for memcheck and for failing every allocation in turn.
CHECK_ARGS_05_string_building := 40
