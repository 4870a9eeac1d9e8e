# 05_string_building/lesson.mk: the lesson's extra flags, included by the top Makefile.
#
# GLib's GString is the comparison the benchmarks and tests make: its flags come from
# pkg-config (package libglib2.0-dev, in make deps).

CFLAGS_05_string_building := $(shell pkg-config --cflags glib-2.0 2>/dev/null)
LDLIBS_05_string_building := $(shell pkg-config --libs glib-2.0 2>/dev/null || echo -lglib-2.0)

# make massif-05: 3,000 parts. heavy copies the whole string per part (O(N^2) bytes
# allocated): 10,000 parts travel 3.4 GB, a few seconds under massif; 3,000 tell the same.
MASSIF_ARGS_05_string_building := 3000
