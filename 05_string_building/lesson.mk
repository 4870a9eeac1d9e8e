# 05_string_building/lesson.mk: the lesson's extra flags and builds, included by the top
# Makefile.
#
#   make schlemiel-05     strcat into a buffer big enough against the length kept, and the
#                         strlen inside asprintf's %s: instructions at N and 2N parts,
#                         counted by callgrind (demo/schlemiel.c; ARGS=N, default 2,000)
#   make sbsmall-05       short strings without an allocation: struct sb against a builder
#                         with a 32-byte inline buffer (sbsmall.h), counts per length and
#                         100,000 short strings timed (demo/sbsmall.c)
#   make intern-05        N records naming K distinct cities: a strdup per record against
#                         an intern table (intern.h), allocations, bytes, glibc's chunks
#                         and peak as K grows to N; the compare interning makes a pointer
#                         compare, counted (demo/intern.c; ARGS=N, default 100,000)
#   make pipeline-05      materialize or stream: N log lines filtered and upper-cased, each
#                         stage an array of copies against one pass over views into one
#                         reused builder (pipeline.h): allocations, bytes and peak at N and
#                         2N (demo/pipeline.c; ARGS=N, default 10,000)
#   make gather-05        a response of H + 3 pieces written whole: built into one block,
#                         a write per piece, one writev (gather.h): allocations, bytes
#                         copied, calls counted and the kernel's syscw, short writes through
#                         a one-page pipe, times (demo/gather.c; ARGS="H R", default 16 1000)
#   make retain-05        a short view pins a big buffer: M messages of S bytes, 4 fields of
#                         16 B kept from each as views into the buffer or as one packed copy
#                         per message: live blocks, bytes in use, peak, bytes kept per byte
#                         wanted (retain.h, demo/retain.c; ARGS="M S", default 1000 16384)
#   make gap-05           editing in the middle: a text of N bytes, K keystrokes typed at
#                         its middle, as a plain array and as a gap buffer (gapbuf.h): bytes
#                         moved to the cursor and per keystroke, a jump back, backspaces,
#                         growths and allocations; --time: ns per keystroke at N and 10N
#                         (demo/gap.c; ARGS="N K", default 1000000 1000, or ARGS="--time N")
#   make logline-05       a debug line switched off: formatted first, checked first, or a
#                         macro that skips the arguments (logline.h), at an int-and-string
#                         site and one whose argument allocates, off and on: allocations per
#                         line, describe's calls, the sink's FILE and buffer, the time of a
#                         line that is off (demo/logline.c; ARGS="L R", default 1000 100000)
#
# Builds:
#   $(BUILD)/05_string_building/demo/schlemiel   demo/schlemiel.c with the lesson's code,
#                                                counted
#   $(BUILD)/05_string_building/demo/sbsmall     demo/sbsmall.c, the same way
#   $(BUILD)/05_string_building/demo/intern      demo/intern.c, the same way
#   $(BUILD)/05_string_building/demo/pipeline    demo/pipeline.c, the same way
#   $(BUILD)/05_string_building/demo/gather      demo/gather.c, the same way
#   $(BUILD)/05_string_building/demo/retain      demo/retain.c, the same way
#   $(BUILD)/05_string_building/demo/logline     demo/logline.c, the same way
#   $(BUILD)/05_string_building/demo/gap         demo/gap.c, the same way
#
# GLib's GString is the comparison the benchmarks and tests make: its flags come from
# pkg-config (package libglib2.0-dev, in make deps).

L05 := 05_string_building
L05_BUILD = $(BUILD)/$(L05)

CFLAGS_05_string_building := $(shell pkg-config --cflags glib-2.0 2>/dev/null)
LDLIBS_05_string_building := $(shell pkg-config --libs glib-2.0 2>/dev/null || echo -lglib-2.0)

# make massif-05: 3,000 parts. heavy copies the whole string per part (O(N^2) bytes
# allocated): 10,000 parts travel 3.4 GB, a few seconds under massif; 3,000 tell the same.
MASSIF_ARGS_05_string_building := 3000

# ---- demo/: one program per interview question, with the lesson's code, counted ----
$(L05_BUILD)/demo/schlemiel: $(L05_BUILD)/demo/schlemiel.o $(call lesson_obj,$(L05)) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_05_string_building) $(LDLIBS)
$(L05_BUILD)/demo/sbsmall: $(L05_BUILD)/demo/sbsmall.o $(call lesson_obj,$(L05)) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_05_string_building) $(LDLIBS)
$(L05_BUILD)/demo/intern: $(L05_BUILD)/demo/intern.o $(call lesson_obj,$(L05)) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_05_string_building) $(LDLIBS)
$(L05_BUILD)/demo/pipeline: $(L05_BUILD)/demo/pipeline.o $(call lesson_obj,$(L05)) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_05_string_building) $(LDLIBS)
$(L05_BUILD)/demo/gather: $(L05_BUILD)/demo/gather.o $(call lesson_obj,$(L05)) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_05_string_building) $(LDLIBS)
$(L05_BUILD)/demo/retain: $(L05_BUILD)/demo/retain.o $(call lesson_obj,$(L05)) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_05_string_building) $(LDLIBS)
$(L05_BUILD)/demo/logline: $(L05_BUILD)/demo/logline.o $(call lesson_obj,$(L05)) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_05_string_building) $(LDLIBS)
$(L05_BUILD)/demo/gap: $(L05_BUILD)/demo/gap.o $(call lesson_obj,$(L05)) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_05_string_building) $(LDLIBS)
# make check: bad input and a full stdout for them too.
PROGS_05_string_building := demo/schlemiel demo/sbsmall demo/intern demo/pipeline demo/gather demo/retain \
                            demo/logline demo/gap
# The tests run demo/intern, demo/pipeline, demo/gather, demo/retain, demo/logline and
# demo/gap with bad arguments.
$(L05_BUILD)/test: | $(L05_BUILD)/demo/intern $(L05_BUILD)/demo/pipeline $(L05_BUILD)/demo/gather \
                     $(L05_BUILD)/demo/retain $(L05_BUILD)/demo/logline $(L05_BUILD)/demo/gap

.PHONY: schlemiel-05 sbsmall-05 intern-05 pipeline-05 gather-05 retain-05 logline-05 gap-05
schlemiel-05: $(L05_BUILD)/demo/schlemiel
	@$< $(ARGS)
sbsmall-05: $(L05_BUILD)/demo/sbsmall
	@$< $(ARGS)
intern-05: $(L05_BUILD)/demo/intern
	@$< $(ARGS)
pipeline-05: $(L05_BUILD)/demo/pipeline
	@$< $(ARGS)
gather-05: $(L05_BUILD)/demo/gather
	@$< $(ARGS)
retain-05: $(L05_BUILD)/demo/retain
	@$< $(ARGS)
logline-05: $(L05_BUILD)/demo/logline
	@$< $(ARGS)
gap-05: $(L05_BUILD)/demo/gap
	@$< $(ARGS)
