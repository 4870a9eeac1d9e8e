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
#   make record-02        what one record costs: padding in two field orders, and n records
#                         as one array or one malloc each, asked for and in glibc's chunks
#                         (demo/record.c; ARGS=N records)
#   make aligned-02       how to get an aligned block and what it costs: malloc's alignment,
#                         glibc's chunks for aligned_alloc at 16 to 4096 B, what a row of
#                         them leaves between them, the calls' errors, an aligned block by
#                         hand (demo/aligned.c; ARGS=N blocks in a row)
#   make cow-02           what fork costs: a child reads, then writes, its parent's buffer
#                         shared copy-on-write; its Private_Dirty, faults and the parent's
#                         Pss after each step (demo/cow.c; ARGS=MIB, the buffer)
#   make mapfile-02       reading a whole file: into one malloc'd block, through mmap, or a
#                         buffer at a time; heap, RssAnon, RssFile and faults each way, what
#                         each leaves, what MADV_PAGEOUT takes back (demo/mapfile.c; ARGS=KIB)
#   make threads-02       what a thread costs: N threads parked, glibc's default stack and
#                         64 KiB; VmSize, VmRSS and the DTV calloc'd a thread, what glibc's
#                         cache of stacks keeps after the join (demo/threads.c; ARGS=N)
#   make sigsafe-02       malloc in a signal handler, and after fork: a SIGALRM handler that
#                         mallocs, with and without a second thread alive, against one that
#                         sets a flag (children finished or hung in futex); a pool's lock
#                         taken again in a handler (EDEADLK); a lock held across fork, with
#                         and without pthread_atfork (demo/sigsafe.c; ARGS=RUNS)
#   make guard-02         a guard-page allocator: an overflow caught at its byte, or not
#                         within the 16-byte slack; N blocks of 16 B against glibc's malloc:
#                         map entries, VmSize, VmRSS, faults, time (demo/guard.c; ARGS=N,
#                         ARGS=--limit: blocks until vm.max_map_count refuses one)
#   make dhat-02          Valgrind DHAT on heavy and light: totals, then heavy's top sites
#   make heaptrack-02     heaptrack on heavy: top sites by calls, temporary allocations, peak
#   make toolcost-02      what counting, the site tracer, massif, memcheck, DHAT and
#                         heaptrack cost: each one's slowdown over the plain build
#   make pprof-02         the Go twin's heap profile: go test -memprofile, then
#                         go tool pprof -top (ARGS=inuse_space for what is live)
#   make gcpace-02        why a Go heap grows to about twice what it holds, in C: a live set
#                         and garbage freed at once or in a collector's batches, the peak
#                         counted and VmHWM (demo/gcpace.c; ARGS=LIVE [GARBAGE] blocks)
#   make hugepage-02      transparent huge pages: the kernel's mode, a region of huge-page
#                         spans with MADV_NOHUGEPAGE, no advice and MADV_HUGEPAGE, a byte a
#                         span then a byte a page: faults, Rss, AnonHugePages; a malloc'd
#                         block with and without GLIBC_TUNABLES=glibc.malloc.hugetlb=1
#                         (demo/hugepage.c; ARGS=SPANS; ARGS='--time [SPANS]': random
#                         reads timed with MADV_NOHUGEPAGE and MADV_HUGEPAGE, in rounds)
#   make spawn-02         starting a process from a big one: the parent's minor faults
#                         writing its buffer after fork + execve (before the exec, and after
#                         the reap), vfork + execve, posix_spawn, system() and popen(), and
#                         its buffer's Private_Dirty; each way's exit status and exec error
#                         (demo/spawn.c; ARGS=MIB, ARGS='--tables [MIB]': VmPTE as the
#                         buffer is written, and a forked child's; ARGS='--time [MIB]': the
#                         starts timed in rounds at three sizes, and with huge pages)
#   make clones-02        the system call each way of starting /bin/true makes, seen with
#                         strace: C (demo/spawn --once WAY), the Go twin, the Python twin
#                         (clones.sh; ARGS=c, go or python, default c)
#   make madv-02          giving pages back: a region written, then MADV_DONTNEED and
#                         MADV_FREE, a read and a write after each: Rss, LazyFree, faults,
#                         what the reads find; glibc's free and malloc_trim with the
#                         process's LazyFree (demo/madv.c; ARGS=MIB; ARGS='--pageout [MIB]':
#                         MADV_PAGEOUT after MADV_FREE and on dirty pages, with Swap;
#                         ARGS='--time [MIB]': each madvise and the write pass after it
#                         timed, in rounds)
#
# Builds:
#   $(BUILD)/02_memstats/plain/main     main without the counting allocator (see below)
#   $(BUILD)/02_memstats/plain/usable   plain/usable.c, glibc's malloc alone
#   $(BUILD)/02_memstats/plain/inside   plain/inside.c with inside.c, glibc's malloc alone
#   $(BUILD)/02_memstats/demo/frag      demo/frag.c with the lesson's code, counted
#   $(BUILD)/02_memstats/demo/record    demo/record.c with the lesson's code, counted
#   $(BUILD)/02_memstats/demo/cow       demo/cow.c with the lesson's code, counted
#   $(BUILD)/02_memstats/demo/aligned   demo/aligned.c with the lesson's code, counted
#   $(BUILD)/02_memstats/demo/gcpace    demo/gcpace.c with the lesson's code, counted
#   $(BUILD)/02_memstats/demo/mapfile   demo/mapfile.c with the lesson's code, counted
#   $(BUILD)/02_memstats/demo/threads   demo/threads.c with the lesson's code, counted
#   $(BUILD)/02_memstats/demo/guard     demo/guard.c with the lesson's code, counted
#   $(BUILD)/02_memstats/demo/hugepage  demo/hugepage.c with the lesson's code, counted
#   $(BUILD)/02_memstats/demo/sigsafe   demo/sigsafe.c with the lesson's code, counted
#   $(BUILD)/02_memstats/demo/spawn     demo/spawn.c with the lesson's code, counted
#   $(BUILD)/02_memstats/demo/madv      demo/madv.c with the lesson's code, counted
L02 := 02_memstats
L02_BUILD = $(BUILD)/$(L02)
# main --sites is the toolbox's site report (common/sites.c, with libdw); frag.c keeps its
# scratch in lesson 04's arena (frag.h includes ../04_pooling/arena.h).
EXTRA_OBJ_02_memstats := $(SITES_OBJ) $(BUILD)/04_pooling/arena.o
LDLIBS_02_memstats := $(SITES_LIBS)
# make check: bad input and a full stdout for these too.
PROGS_02_memstats := plain/inside demo/frag demo/record demo/cow demo/aligned demo/mapfile demo/threads \
                     demo/guard

# ---- the plain build: main without the counting allocator ----
# malloc is glibc's own, so the plain run is the baseline of the tool-cost table and
# heaptrack's preloaded malloc is the one called (a program that defines malloc itself,
# as countalloc does, wins over any LD_PRELOAD): the toolbox with the counting allocator's
# back-end that counts nothing (TOOLBOX_NONE_SRC). Its program view reads 0.
L02_PLAIN_FLAGS = $(CPPFLAGS) -I$(L02) $(PLAIN_CFLAGS)
L02_SRC = $(L02)/main.c $(call lesson_src,$(L02)) common/sites.c $(TOOLBOX_NONE_SRC) 04_pooling/arena.c
L02_DEPS = $(wildcard $(L02)/*.h common/*.h) $(L02)/lesson.mk common/common.mk
$(L02_BUILD)/plain/main: $(L02_SRC) $(L02_DEPS)
	@mkdir -p $(@D)
	$(call quiet,LD)$(CC) $(L02_PLAIN_FLAGS) $(L02_SRC) -o $@ $(SITES_LIBS) -lm -pthread
$(L02_BUILD)/plain/usable: $(L02)/plain/usable.c $(L02)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC)$(CC) $(L02_PLAIN_FLAGS) $< -o $@

L02_INSIDE_SRC = $(L02)/plain/inside.c $(L02)/inside.c $(TOOLBOX_NONE_SRC)
$(L02_BUILD)/plain/inside: $(L02_INSIDE_SRC) $(L02_DEPS)
	@mkdir -p $(@D)
	$(call quiet,LD)$(CC) $(L02_PLAIN_FLAGS) $(L02_INSIDE_SRC) -o $@ -pthread

# ---- demo/: the fragmentation workload, what one record costs, what fork costs, aligned
# blocks, a whole file, threads, guard pages; counted ----
$(L02_BUILD)/demo/frag $(L02_BUILD)/demo/record $(L02_BUILD)/demo/cow $(L02_BUILD)/demo/aligned $(L02_BUILD)/demo/mapfile \
        $(L02_BUILD)/demo/threads $(L02_BUILD)/demo/guard: $(L02_BUILD)/demo/%: $(L02_BUILD)/demo/%.o \
        $(call lesson_obj,$(L02)) $(EXTRA_OBJ_02_memstats) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_02_memstats) $(LDLIBS)

# The tests run demo/cow, demo/aligned, demo/mapfile, demo/threads and demo/guard with bad
# arguments.
$(L02_BUILD)/test: | $(L02_BUILD)/demo/cow $(L02_BUILD)/demo/aligned
$(L02_BUILD)/test: | $(L02_BUILD)/demo/mapfile $(L02_BUILD)/demo/threads $(L02_BUILD)/demo/guard

# ---- what the user types ----
.PHONY: inside-02 frag-02 record-02 cow-02 aligned-02 mapfile-02 threads-02 guard-02 chunks-02 dhat-02 heaptrack-02 toolcost-02 pprof-02

chunks-02: $(L02_BUILD)/plain/usable
	@$< 2>&1

inside-02: $(L02_BUILD)/plain/inside
	@$< $(ARGS)

frag-02: $(L02_BUILD)/demo/frag
	@$< $(ARGS)

record-02: $(L02_BUILD)/demo/record
	@$< $(ARGS)

cow-02: $(L02_BUILD)/demo/cow
	@$< $(ARGS)

aligned-02: $(L02_BUILD)/demo/aligned
	@$< $(ARGS)

mapfile-02: $(L02_BUILD)/demo/mapfile
	@$< $(ARGS)

threads-02: $(L02_BUILD)/demo/threads
	@$< $(ARGS)

guard-02: $(L02_BUILD)/demo/guard
	@$< $(ARGS)

dhat-02: $(L02_BUILD)/plain/main
	@$(L02)/dhat.sh $(L02_BUILD) $(ARGS)

heaptrack-02: $(L02_BUILD)/plain/main
	@$(L02)/heaptrack_top.sh $(L02_BUILD) $(ARGS)

toolcost-02: $(L02_BUILD)/plain/main $(L02_BUILD)/main
	@$(L02)/toolcost.sh $(L02_BUILD) $(ARGS)

pprof-02:
	@$(L02)/pprof.sh $(ARGS)

# ---- demo/gcpace: a live set and garbage, freed at once or in a collector's batches ----
PROGS_02_memstats += demo/gcpace
$(L02_BUILD)/demo/gcpace: $(L02_BUILD)/demo/%: $(L02_BUILD)/demo/%.o \
        $(call lesson_obj,$(L02)) $(EXTRA_OBJ_02_memstats) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_02_memstats) $(LDLIBS)
# The tests run demo/gcpace with bad arguments.
$(L02_BUILD)/test: | $(L02_BUILD)/demo/gcpace
.PHONY: gcpace-02
gcpace-02: $(L02_BUILD)/demo/gcpace
	@$< $(ARGS)



# ---- demo/hugepage: transparent huge pages, by advice; a malloc'd block, by GLIBC_TUNABLES ----
PROGS_02_memstats += demo/hugepage
$(L02_BUILD)/demo/hugepage: $(L02_BUILD)/demo/%: $(L02_BUILD)/demo/%.o \
        $(call lesson_obj,$(L02)) $(EXTRA_OBJ_02_memstats) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_02_memstats) $(LDLIBS)
# The tests run demo/hugepage with bad arguments, and its --malloc with GLIBC_TUNABLES.
$(L02_BUILD)/test: | $(L02_BUILD)/demo/hugepage
.PHONY: hugepage-02
hugepage-02: $(L02_BUILD)/demo/hugepage
	@$< $(ARGS)

# ---- demo/sigsafe: malloc in a signal handler, and a lock held across fork ----
PROGS_02_memstats += demo/sigsafe
$(L02_BUILD)/demo/sigsafe: $(L02_BUILD)/demo/%: $(L02_BUILD)/demo/%.o \
        $(call lesson_obj,$(L02)) $(EXTRA_OBJ_02_memstats) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_02_memstats) $(LDLIBS)
# The tests run demo/sigsafe with bad arguments.
$(L02_BUILD)/test: | $(L02_BUILD)/demo/sigsafe
.PHONY: sigsafe-02
sigsafe-02: $(L02_BUILD)/demo/sigsafe
	@$< $(ARGS)

# ---- demo/spawn: starting a process from a big one ----
PROGS_02_memstats += demo/spawn
$(L02_BUILD)/demo/spawn: $(L02_BUILD)/demo/%: $(L02_BUILD)/demo/%.o \
        $(call lesson_obj,$(L02)) $(EXTRA_OBJ_02_memstats) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_02_memstats) $(LDLIBS)
# The tests run demo/spawn with bad arguments.
$(L02_BUILD)/test: | $(L02_BUILD)/demo/spawn
.PHONY: spawn-02
spawn-02: $(L02_BUILD)/demo/spawn
	@$< $(ARGS)
.PHONY: clones-02
clones-02: $(L02_BUILD)/demo/spawn
	@$(L02)/clones.sh $(L02_BUILD) $(or $(ARGS),c)

# ---- demo/madv: giving pages back, MADV_DONTNEED against MADV_FREE ----
PROGS_02_memstats += demo/madv
$(L02_BUILD)/demo/madv: $(L02_BUILD)/demo/%: $(L02_BUILD)/demo/%.o \
        $(call lesson_obj,$(L02)) $(EXTRA_OBJ_02_memstats) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_02_memstats) $(LDLIBS)
# The tests run demo/madv with bad arguments.
$(L02_BUILD)/test: | $(L02_BUILD)/demo/madv
.PHONY: madv-02
madv-02: $(L02_BUILD)/demo/madv
	@$< $(ARGS)
