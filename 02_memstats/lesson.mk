# 02_memstats/lesson.mk: the lesson's extra builds and targets, included by the Makefile.
#
#   make chunks-02        glibc's own view of small blocks: usable sizes, chunk sizes,
#                         malloc_stats and malloc_info (plain/usable.c)
#   make inside-02        glibc's malloc from inside: the smallest block, brk or mmap and
#                         the moving threshold, tcache and bins, arenas, malloc_trim
#                         (plain/inside.c; ARGS=SECTION for one of them)
#   make frag-02          fragmentation: a load whose scratch lies between the entries it
#                         keeps (mixed) against the scratch in an arena (demo/frag.c;
#                         ARGS=N records)
#   make dhat-02          Valgrind DHAT on heavy and light: totals, then heavy's top sites
#   make heaptrack-02     heaptrack on heavy: top sites by calls, temporary allocations, peak
#   make toolcost-02      what counting, the site tracer, massif, memcheck, DHAT and
#                         heaptrack cost: each one's slowdown over the plain build
#   make pprof-02         the Go twin's heap profile: go test -memprofile, then
#                         go tool pprof -top (ARGS=inuse_space for what is live)
#
# Builds:
#   $(BUILD)/02_memstats/plain/main     main without the counting allocator (see below)
#   $(BUILD)/02_memstats/plain/usable   plain/usable.c, glibc's malloc alone
#   $(BUILD)/02_memstats/plain/inside   plain/inside.c with inside.c, glibc's malloc alone
#   $(BUILD)/02_memstats/demo/frag      demo/frag.c with the lesson's code, counted
P02 := 02_memstats
P02_BUILD = $(BUILD)/$(P02)
# frag.c keeps its scratch in lesson 04's arena (frag.h includes ../04_pooling/arena.h).
EXTRA_OBJ_02_memstats := $(BUILD)/common/sites.o $(BUILD)/04_pooling/arena.o
LDLIBS_02_memstats := $(shell pkg-config --libs libdw 2>/dev/null || echo -ldw -lelf)
EXTRA_OBJ_test_sites := $(BUILD)/common/sites.o
LDLIBS_test_sites := $(LDLIBS_02_memstats)
CHECK_ARGS_02_memstats := 300
# make check: bad input and a full stdout for these too.
PROGS_02_memstats := plain/inside demo/frag

# ---- the plain build: main without the counting allocator ----
# malloc is glibc's own, so the plain run is the baseline of the tool-cost table and
# heaptrack's preloaded malloc is the one called (a program that defines malloc itself,
# as countalloc does, wins over any LD_PRELOAD). Its program view reads 0.
P02_TOOL_CFLAGS = $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(CFLAGS))
P02_TOOL_CPPFLAGS = $(filter-out -DCOUNTALLOC_ASAN,$(CPPFLAGS)) -I$(P02)
P02_SRC = $(P02)/main.c $(call lesson_src,$(P02)) common/sites.c common/report.c common/cli.c \
          common/measure.c common/driver.c \
          $(P02)/plain/nocount.c 04_pooling/arena.c
P02_DEPS = $(wildcard $(P02)/*.h common/*.h) $(P02)/lesson.mk
$(P02_BUILD)/plain/main: $(P02_SRC) $(P02_DEPS)
	@mkdir -p $(@D)
	$(call quiet,LD)$(CC) $(P02_TOOL_CPPFLAGS) $(P02_TOOL_CFLAGS) $(P02_SRC) -o $@ $(LDLIBS_02_memstats) -lm -pthread
$(P02_BUILD)/plain/usable: $(P02)/plain/usable.c $(P02)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC)$(CC) $(P02_TOOL_CPPFLAGS) $(P02_TOOL_CFLAGS) $< -o $@

P02_INSIDE_SRC = $(P02)/plain/inside.c $(P02)/inside.c common/cli.c $(P02)/plain/nocount.c
$(P02_BUILD)/plain/inside: $(P02_INSIDE_SRC) $(P02_DEPS)
	@mkdir -p $(@D)
	$(call quiet,LD)$(CC) $(P02_TOOL_CPPFLAGS) $(P02_TOOL_CFLAGS) $(P02_INSIDE_SRC) -o $@ -pthread

# ---- demo/frag: the fragmentation workload, with the counting allocator ----
$(P02_BUILD)/demo/frag: $(P02_BUILD)/demo/frag.o $(call lesson_obj,$(P02)) $(EXTRA_OBJ_02_memstats) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_02_memstats) $(LDLIBS)

# ---- what the user types ----
.PHONY: inside-02 frag-02 chunks-02 dhat-02 heaptrack-02 toolcost-02 pprof-02

chunks-02: $(P02_BUILD)/plain/usable
	@$< 2>&1

inside-02: $(P02_BUILD)/plain/inside
	@$< $(ARGS)

frag-02: $(P02_BUILD)/demo/frag
	@$< $(ARGS)

dhat-02: $(P02_BUILD)/plain/main
	@$(P02)/dhat.sh $(P02_BUILD) $(ARGS)

heaptrack-02: $(P02_BUILD)/plain/main
	@$(P02)/heaptrack_top.sh $(P02_BUILD) $(ARGS)

toolcost-02: $(P02_BUILD)/plain/main $(P02_BUILD)/main
	@$(P02)/toolcost.sh $(P02_BUILD) $(ARGS)

pprof-02:
	@$(P02)/pprof.sh $(ARGS)
