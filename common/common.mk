# common/common.mk: the toolbox's build, included by the top Makefile.
#
#   make test-common    the toolbox's Criterion tests, then the shim against memcheck
#                       (tools/crosscheck.sh)
#   make bench-common   what counting costs: glibc against counted malloc+free, in process
#                       and through the shim, with the targets met, MISSED or within the noise
#   make honest         common/bench against Google Benchmark on the same two loops, and
#                       the harness's own cost per iteration (common/gbench/)
#   make shim           build/libcountalloc.so: LD_PRELOAD it to count any program
#
# Linked into every lesson program, test and benchmark: the files TOOLBOX_SRC names (a new
# common/*.c is linked once it is named here, whatever its name) and one back-end of the
# counting allocator (common/README.md), chosen by what is linked, never by a -D:
#   countalloc_libc.o   glibc's malloc behind the header: the default
#   countalloc_asan.o   AddressSanitizer's, through its hooks: SANITIZE=1
#   countalloc_next.o   the next malloc in lookup order: each bench's twin (ALLOCATOR=)
#   countalloc_none.o   nothing counted: TOOLBOX_NONE_SRC, for builds that must run on
#                       glibc's malloc as it is
TOOLBOX_SRC := $(addprefix common/,bench.c child.c cli.c countalloc.c driver.c platform.c \
                procfs.c profrun.c report.c shim.c sweep.c)
COUNTALLOC_BACKEND := $(BUILD)/common/countalloc_$(if $(filter 1,$(SANITIZE)),asan,libc).o
COMMON_OBJ := $(TOOLBOX_SRC:%.c=$(BUILD)/%.o) $(COUNTALLOC_BACKEND)
NEXT_COMMON_OBJ := $(filter-out $(COUNTALLOC_BACKEND),$(COMMON_OBJ)) $(BUILD)/common/countalloc_next.o
# Sources, for builds compiled in one step with their own flags (02_memstats's plain build).
TOOLBOX_NONE_SRC := $(addprefix common/,child.c cli.c countalloc.c countalloc_none.c driver.c platform.c \
                    procfs.c report.c)

# The toolbox's flags are set here: a change to this file rebuilds it.
$(COMMON_OBJ) $(BUILD)/common/countalloc_next.o $(BUILD)/common/countalloc_none.o: common/common.mk

# glibc's malloc and free are called through the GOT, not the PLT: one jump fewer per call
# on the path make bench-common times (the figures are at the top of countalloc.c).
$(BUILD)/common/countalloc_libc.o: CFLAGS += -fno-plt

# The site report (sites.c) needs libdw: linked where a lesson.mk asks for SITES_OBJ,
# with SITES_LIBS.
SITES_OBJ := $(BUILD)/common/sites.o
SITES_LIBS := $(shell pkg-config --libs libdw 2>/dev/null || echo -ldw -lelf)

# The project's flags without the sanitizers: programs that run under another tool
# (memcheck, their own ASan build) whatever SANITIZE says.
PLAIN_CFLAGS = $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(CFLAGS))

# Linked into every Criterion test binary (lessons', exercises', the toolbox's), never into a
# program: the report hook that skips NATIVE_ONLY tests without starting them, and libgit2
# started only when Criterion prints a diff (criterion_diff.c: a third of a test process's
# start under memcheck).
TEST_HOOK_OBJ := $(BUILD)/common/native_only.o $(BUILD)/common/criterion_diff.o
$(TEST_HOOK_OBJ): | need-criterion

# Criterion's library names libgit2 (libgit2.so.1.5 on Debian 12, libgit2.so.1.9 on 13),
# which needs 15 more libraries (16 on Debian 13): a test binary names a stand-in under
# that soname first (libgit2_stub.c), found through its run path, so that its processes
# load up to 15 objects fewer (ldd on Debian 12: 7 instead of 22 for a toolbox test, 12
# instead of 26 for 02's, which links libdw); criterion_diff.c loads libgit2 by its path
# when a diff is printed. The soname is read off Criterion's library, the path off
# the compiler's library path; where either is missing (Criterion not installed yet), the
# tests link libgit2 as it is.
LIBGIT2_SONAME := $(shell readelf -d "$$($(CC) -print-file-name=libcriterion.so)" 2>/dev/null | \
                    sed -n 's/.*(NEEDED).*\[\(libgit2\.so[^]]*\)\].*/\1/p')
LIBGIT2_PATH := $(if $(LIBGIT2_SONAME),$(abspath $(filter /%,$(shell $(CC) -print-file-name=$(LIBGIT2_SONAME)))))
ifneq ($(LIBGIT2_PATH),)
LIBGIT2_STUB := $(BUILD)/lib/$(LIBGIT2_SONAME)
# The run path is relative to the binary ($ORIGIN), so a checkout moved with its build/
# keeps finding the stand-in: "../" for each directory between $(BUILD) and the binary.
up_to_build = $(subst $(eval) ,,$(foreach d,$(subst /, ,$(patsubst $(BUILD)/%,%,$(1))),../))
CRITERION_PLAIN_LIBS := $(CRITERION_LIBS)
CRITERION_LIBS = -L$(BUILD)/lib -Wl,-rpath,'$$ORIGIN/$(call up_to_build,$(@D))lib' \
                 -Wl,--no-as-needed -l:$(LIBGIT2_SONAME) -Wl,--as-needed $(CRITERION_PLAIN_LIBS)
$(BUILD)/common/criterion_diff.o $(BUILD)/common/test_criterion_diff.o: \
    CPPFLAGS += -DLIBGIT2_PATH='"$(LIBGIT2_PATH)"'
$(LIBGIT2_STUB): common/libgit2_stub.c common/common.mk
	@mkdir -p $(@D)
	$(call quiet,LD)$(CC) $(PLAIN_CFLAGS) -fPIC -shared -Wl,-soname,$(LIBGIT2_SONAME) $< -o $@
$(TEST_HOOK_OBJ): | $(LIBGIT2_STUB)
endif

# ---- the toolbox's own binaries ----
COMMON_TESTS := $(patsubst %.c,$(BUILD)/%,$(wildcard common/test_*.c))
$(BUILD)/common/test_sites: $(SITES_OBJ)
$(BUILD)/common/test_sites: LDLIBS += $(SITES_LIBS)
$(COMMON_TESTS): $(BUILD)/common/test_%: $(BUILD)/common/test_%.o $(COMMON_OBJ) $(TEST_HOOK_OBJ) \
                 | need-criterion
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $(filter %.o,$^) -o $@ $(LDLIBS) $(CRITERION_LIBS)

# A Criterion program that fails a string comparison: test_criterion_diff reads its diff.
$(BUILD)/common/test_criterion_diff: | $(BUILD)/common/criterion_diff_child
$(BUILD)/common/criterion_diff_child: $(BUILD)/common/criterion_diff_child.o $(TEST_HOOK_OBJ) \
                                      | need-criterion
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS) $(CRITERION_LIBS)

$(BUILD)/common/bench_countalloc: $(BUILD)/common/bench_countalloc.o $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# The LD_PRELOAD shim: the core, the glibc back-end and the at-exit report, as a shared
# object. -DCOUNTALLOC_SHIM: no thread-local variable (a TLS module of its own would grow
# glibc's per-thread vector); -fno-plt calls glibc's malloc through the GOT, one jump fewer
# per call; only the malloc family is exported (CA_PUBLIC), the rest stays inside.
SHIM := $(BUILD)/libcountalloc.so
SHIM_SRC := $(addprefix common/,countalloc.c countalloc_libc.c shim.c report.c)
$(SHIM): $(SHIM_SRC) $(wildcard common/*.h)
	@mkdir -p $(@D)
	$(call quiet,LD)$(CC) $(CPPFLAGS) -DCOUNTALLOC_SHIM $(PLAIN_CFLAGS) -fPIC -fno-plt \
	    -fvisibility=hidden -shared $(SHIM_SRC) -o $@

# The loop of bench-common's shim rows, built without countalloc so the preloaded shim
# is the malloc it calls.
$(BUILD)/tools/pairs: tools/pairs.c | $(BUILD)
	@mkdir -p $(@D)
	$(call quiet,CC)$(CC) $(CPPFLAGS) $(PLAIN_CFLAGS) $< -o $@ -pthread

# The harness's check: harness.c in common/bench's format, gbench.cc with Google Benchmark
# (C++), both linked with the same counting allocator, so both time the same malloc.
CXX ?= g++
$(BUILD)/common/gbench/harness: $(BUILD)/common/gbench/harness.o $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
$(BUILD)/common/gbench/gbench: common/gbench/gbench.cc $(BUILD)/common/countalloc.o $(COUNTALLOC_BACKEND)
	@mkdir -p $(@D)
	$(call quiet,CXX)$(CXX) -std=c++17 $(OPT) -g -Wall -Wextra -Werror -fno-builtin-malloc -fno-builtin-free \
	    $^ -o $@ -lbenchmark -lpthread

# ---- what the user types ----
.PHONY: test-common bench-common honest shim

shim: $(SHIM)

test-common: $(COMMON_TESTS) $(SHIM)
	@mkdir -p $(BUILD)/results
	@set -e; for t in $(COMMON_TESTS); do echo "== $$t"; $$t $(CRITERION_FLAGS) 2>&1; done \
	    | tee $(BUILD)/results/common.txt
	$(if $(SANITIZE),,tools/crosscheck.sh $(BUILD))

bench-common: $(BUILD)/common/bench_countalloc $(SHIM) $(BUILD)/tools/pairs
	$< $(ARGS)

ifeq ($(SANITIZE),1)
honest:
	@echo "honest: timings need the normal build; run it without SANITIZE=1" >&2; exit 2
else
honest: $(BUILD)/common/gbench/harness $(BUILD)/common/gbench/gbench
	@common/gbench/honest.sh $^ $(ARGS)
endif
