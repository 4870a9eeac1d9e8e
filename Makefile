# Allocation-aware C, lesson by lesson. `make help` lists every target.
#
# Everything builds out of tree into $(BUILD). A lesson is a directory NN_name/; its
# sources are found by name, so adding a lesson needs no change here:
#   main.c                      -> $(BUILD)/NN_name/main        (make run-NN)
#   bench.c                     -> $(BUILD)/NN_name/bench       (make bench-NN)
#   test_*.c                    -> $(BUILD)/NN_name/test        (make test-NN)
#   any other *.c: the lesson's code, linked into all of the above
#   exercises/K_KIND_SLUG/      -> $(BUILD)/NN_name/exercises/K_KIND_SLUG/{starter,solution,
#                                  pristine}: one exercise each (see "exercises" below)
# A lesson may add flags in NN_name/lesson.mk (LDLIBS_NN_name, CFLAGS_NN_name, ...).

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

BUILD ?= build

# A build prints one short line per file ("  CC  common/bench.c"); `make V=1` shows the
# whole commands, `make -s` nothing but warnings and errors. A source built twice, with
# other flags, names what each build makes instead: $(call quiet,CC,$@).
ifeq ($(V),1)
quiet =
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
quiet = @
else
quiet = @printf '  %-4s %s\n' '$(1)' '$(or $(2),$(if $(filter CC CXX,$(1)),$<,$@))';
endif
CC ?= gcc
OPT ?= -O2
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2
# The counted allocations must happen: stop gcc from pairing and deleting malloc/free.
KEEP_ALLOCS := $(addprefix -fno-builtin-,malloc calloc realloc free aligned_alloc \
                 posix_memalign memalign valloc pvalloc strdup strndup)
CPPFLAGS += -D_GNU_SOURCE -Icommon
CFLAGS += -std=c11 $(OPT) -g $(WARN) $(KEEP_ALLOCS) -pthread
LDLIBS += -lm -pthread
CRITERION_LIBS := -lcriterion

# `make SANITIZE=1 ...`: AddressSanitizer + UBSan; countalloc counts through ASan's hooks
# (common/common.mk links that back-end).
ifeq ($(SANITIZE),1)
BUILD := build/asan
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
# Overflowing requests return NULL, as glibc's do, instead of stopping the program.
export ASAN_OPTIONS := allocator_may_return_null=1:detect_leaks=1
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1
endif

LESSONS := $(sort $(patsubst %/,%,$(dir $(wildcard [0-9][0-9]_*/README.md))))
NUMS := $(foreach l,$(LESSONS),$(firstword $(subst _, ,$(l))))
lesson = $(firstword $(wildcard $(1)_*/README.md $(1)_*/main.c))
dir_of = $(patsubst %/,%,$(dir $(call lesson,$(1))))

# ---- the toolbox: common/common.mk builds it, its tests and the shim ----
$(BUILD)/%.o: %.c $(wildcard common/*.h) | $(BUILD)
	@mkdir -p $(@D)
	$(call quiet,CC)$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_$(firstword $(subst /, ,$*))) -I$(firstword $(subst /, ,$*)) -MMD -MP -c $< -o $@

$(BUILD):
	@mkdir -p $@

include common/common.mk

# Test sources include Criterion: on a fresh machine it is installed before they compile.
$(patsubst %.c,$(BUILD)/%.o,$(wildcard common/test_*.c [0-9][0-9]_*/test_*.c)): | need-criterion

-include $(shell find $(BUILD) \( -path '$(BUILD)/distro' -o -path '$(BUILD)/loop-test' \) -prune -o -name '*.d' -print 2>/dev/null)

# ---- lesson binaries, by pattern ----
.SECONDEXPANSION:
.SECONDARY:
lesson_src = $(filter-out $(1)/main.c $(1)/bench.c $(1)/test_%.c,$(wildcard $(1)/*.c))
lesson_obj = $(patsubst %.c,$(BUILD)/%.o,$(call lesson_src,$(1)))
objs = $(patsubst %.c,$(BUILD)/%.o,$(1))
LINK = $(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_$(firstword $(subst /, ,$*))) $(LDLIBS)

# Lesson additions may use everything defined above.
-include $(wildcard [0-9][0-9]_*/lesson.mk)

# A lesson.mk may list more programs in PROGS_NN_name (paths under $(BUILD)/NN_name/):
# make check gives each bad input and a full stdout, as it does main.
CHECK_PROGS = $(foreach l,$(LESSONS),$(addprefix $(l)/,$(PROGS_$(l))))

# A lesson.mk may add objects from outside its directory: EXTRA_OBJ_NN_name := ...
$(BUILD)/%/main: $$(call objs,$$*/main.c) $$(call lesson_obj,$$*) $$(EXTRA_OBJ_$$*) $(COMMON_OBJ)
	$(call quiet,LD)$(LINK)
$(BUILD)/%/bench: $$(call objs,$$*/bench.c) $$(call lesson_obj,$$*) $$(EXTRA_OBJ_$$*) $(COMMON_OBJ) \
                  | $(BUILD)/%/next/bench
	$(call quiet,LD)$(LINK)
# The bench's twin for `ALLOCATOR=jemalloc make bench-NN`: the same objects, but the
# counting allocator's back-end forwards to the next malloc in lookup order, so a
# preloaded allocator serves the calls.
$(BUILD)/%/next/bench: $$(call objs,$$*/bench.c) $$(call lesson_obj,$$*) $$(EXTRA_OBJ_$$*) $(NEXT_COMMON_OBJ)
	@mkdir -p $(@D)
	$(call quiet,LD)$(LINK)
$(BUILD)/%/test: $$(call objs,$$(wildcard $$*/test_*.c)) \
                 $$(call lesson_obj,$$*) $$(EXTRA_OBJ_$$*) $(COMMON_OBJ) $(TEST_HOOK_OBJ) | need-criterion
	$(call quiet,LD)$(LINK) $(CRITERION_LIBS)
# ---- exercises, by pattern: one folder each, NN_name/exercises/K_KIND_SLUG/ ----
# A folder's test binary is test_exercise.c + one exercise.c + the folder's other *.c, the
# toolbox and the lesson's EXTRA_OBJ and LDLIBS, in three builds under $(BUILD)/<folder>/:
#   starter    the learner's exercise.c as it is now          (make exercise, make watch)
#   solution   solution/exercise.c                            (make test)
#   pristine   exercise.c as committed (git show HEAD:...)    (make test: must fail)
# The learner's code is compiled with warnings shown, not fatal; the rest with $(WARN).
# In lesson order, and in each lesson by number (9_ before 10_), as tools/exercise.sh lists them.
EX_DIRS := $(patsubst %/test_exercise.c,%,$(shell printf '%s\n' $(wildcard [0-9][0-9]_*/exercises/*/test_exercise.c) | sort -t/ -k1,1 -k3,3n))
ex_lesson = $(firstword $(subst /, ,$(1)))
ex_of = $(filter $(1)/exercises/%,$(EX_DIRS))
ex_own_obj = $(patsubst %.c,$(BUILD)/%.o,$(filter-out $(1)/exercise.c,$(wildcard $(1)/*.c)))
EX_CFLAGS = $(filter-out -Werror,$(CFLAGS))
# ex_cc FOLDER, FLAGS: compile $< into $@ for that exercise folder.
ex_cc = $(call quiet,CC)$(CC) $(CPPFLAGS) $(2) $(CFLAGS_$(call ex_lesson,$(1))) -I$(1) \
        -I$(call ex_lesson,$(1)) -MMD -MP -c $< -o $@

$(EX_DIRS:%=$(BUILD)/%/exercise.o): $(BUILD)/%/exercise.o: %/exercise.c | need-criterion
	@mkdir -p $(@D)
	$(call ex_cc,$*,$(EX_CFLAGS))
$(EX_DIRS:%=$(BUILD)/%/solution.o): $(BUILD)/%/solution.o: %/solution/exercise.c | need-criterion
	@mkdir -p $(@D)
	$(call ex_cc,$*,$(CFLAGS))
# The committed starter, whatever the learner did to theirs; rewritten only when it changed.
$(EX_DIRS:%=$(BUILD)/%/pristine.c): $(BUILD)/%/pristine.c: %/exercise.c
	@mkdir -p $(@D)
	@git show HEAD:$*/exercise.c > $@.new 2>/dev/null || cp $< $@.new; \
	 if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi
$(EX_DIRS:%=$(BUILD)/%/pristine.o): $(BUILD)/%/pristine.o: $(BUILD)/%/pristine.c | need-criterion
	$(call ex_cc,$*,$(EX_CFLAGS))
EX_OWN_OBJ := $(foreach d,$(EX_DIRS),$(call ex_own_obj,$(d)))
$(EX_OWN_OBJ): $(BUILD)/%.o: %.c | need-criterion
	@mkdir -p $(@D)
	$(call ex_cc,$(patsubst %/,%,$(dir $*)),$(CFLAGS))

EX_LINK = $(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_$(call ex_lesson,$*)) $(LDLIBS) \
          $(CRITERION_LIBS)
ex_deps = $(call ex_own_obj,$(1)) $(EXTRA_OBJ_$(call ex_lesson,$(1))) $(COMMON_OBJ) $(TEST_HOOK_OBJ)
$(EX_DIRS:%=$(BUILD)/%/starter): $(BUILD)/%/starter: $(BUILD)/%/exercise.o $$(call ex_deps,$$*)
	$(EX_LINK)
$(EX_DIRS:%=$(BUILD)/%/solution): $(BUILD)/%/solution: $(BUILD)/%/solution.o $$(call ex_deps,$$*)
	$(EX_LINK)
$(EX_DIRS:%=$(BUILD)/%/pristine): $(BUILD)/%/pristine: $(BUILD)/%/pristine.o $$(call ex_deps,$$*)
	$(EX_LINK)

# ---- what the user types ----
# run-NN, test-NN ... are pattern rules; GNU make skips pattern rules for phony targets,
# so they stay off this list (no file of those names is ever made).
.PHONY: help all run bench test check check-progs clean deps need-criterion \
        docs test-tools massif-explain watch exercise exercises hint \
        reset test-loop quiz

help:
	@echo "Allocation-aware C: lessons $(NUMS)"
	@echo
	@echo "  make run-NN        heavy vs light on the same work: allocs, frees, bytes, peak, time"
	@echo "  make test-NN       the lesson's Criterion tests (exact allocation counts), its exercises"
	@echo "                     checked both ways, and the README's figures checked against the code"
	@echo "  make bench-NN      Go-format benchmark lines (ns/op B/op allocs/op), then a summary"
	@echo "                     (ALLOCATOR=jemalloc|mimalloc|tcmalloc: under that allocator)"
	@echo "  make targets-NN    the lesson's speed targets (04, 05: NN/targets.txt): met, MISSED or noise"
	@echo "  make massif-NN     Valgrind massif on heavy and light: peaks, useful vs extra heap, graphs"
	@echo "                     (MASSIF_OPTS=\"--stacks=yes ...\": more massif options)"
	@echo "  make massif-explain-NN   ms_print's output read part by part, notes from this run"
	@echo "                     (SIDE=light; make massif-explain CMD=\"./prog args\": any program)"
	@echo "  make go-NN         the lesson's Go twin (NN/go/): tests, escape decisions, benchmarks"
	@echo "  make py-NN         the lesson's Python twin (NN/py/): its programs (ARGS=NAME.py: one)"
	@echo "  make watch         the first exercise not solved yet, its tests rerun on every save;"
	@echo "                     on to the next when it passes (Ctrl-C leaves)"
	@echo "  make exercises     solved / total per lesson and in all, and the next one to do"
	@echo "  make exercise EX=NN/K_KIND_SLUG   check one exercise; a hint when it fails"
	@echo "  make exercise-NN   the lesson's first exercise not solved yet, checked"
	@echo "  make hint          the current exercise's next hint (N=k: hint k again; EX=...)"
	@echo "  make reset EX=NN/K_KIND_SLUG      your exercise.c back to the starter, from git"
	@echo "  make quiz          INTERVIEW.md's questions one at a time, in a random order: answer"
	@echo "                     aloud, Enter shows the answer and its proof, y/n marks it"
	@echo "                     (TOPIC=word: one section; N=10: ten; SEED=s; AGAIN=1: the missed)"
	@echo "  make run | bench   every lesson"
	@echo "  make test          every test: toolbox, lessons, exercises, the exercise loop in a"
	@echo "                     terminal (make test-loop), README figures, and every link,"
	@echo "                     heading and test named in the READMEs and INTERVIEW.md"
	@echo "  make check         memcheck, ASan+UBSan, OOM sweeps, bad input: everything"
	@echo "  make docs          rerun the programs and rewrite the figures and contents of every README"
	@echo "  make deps          install the Debian packages the project needs (root or sudo)"
	@echo "  make clean         remove build/ (every build, SANITIZE=1's included)"
	@echo
	@echo "  NN is a lesson number: $(NUMS). The toolbox's targets (common/common.mk) and"
	@echo "  each lesson's own (its lesson.mk):"
	@awk '!/^#/ { body[FILENAME] = 1 } body[FILENAME] { next } \
	      /^#   make / { more = 1; print " " substr($$0, 2); next } \
	      more && /^#        / { print " " substr($$0, 2); next } { more = 0 }' common/common.mk $(wildcard [0-9][0-9]_*/lesson.mk)

# Names that stay the same from Debian 12 to 13: the allocators' -dev packages pull in
# whichever runtime library (and soname) the release ships; common/bench.c finds it.
# Installed without the packages they merely recommend (on Debian 13, 222 packages instead
# of 339: ImageMagick, Ghostscript and fonts among those left out), so every tool the
# project runs is named here: procps for pgrep and ps (tools/test_loop.sh); locales for
# the alias file setlocale(LC_ALL, "") reads, whose allocations 01's README counts;
# libgit2-dev (Criterion's own dependency) for common/criterion_diff.c, which includes it.
DEPS := build-essential pkg-config libcriterion-dev libgit2-dev valgrind gnuplot-nox \
        libbenchmark-dev libjemalloc-dev libmimalloc-dev libgoogle-perftools-dev libglib2.0-dev \
        libdw-dev heaptrack golang-go python3 inotify-tools tmux git procps locales strace
deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO=sudo; \
	 else echo "make deps: run 'sudo make deps' (installs: $(DEPS))" >&2; exit 2; fi; \
	 echo "make deps: installing $(words $(DEPS)) Debian packages and what they need"; \
	 $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	     -o Dpkg::Use-Pty=0 --no-install-recommends $(DEPS) >/dev/null

# Criterion missing on a fresh machine: install it where we can, else say how.
need-criterion:
	@test -f /usr/include/criterion/criterion.h && exit 0; \
	 if [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; then \
	   echo "Criterion is missing: running 'make deps'"; $(MAKE) --no-print-directory deps; \
	 else echo "Criterion is missing: run 'sudo make deps' first" >&2; exit 2; fi

run: $(addprefix run-,$(NUMS))
bench: bench-common $(addprefix bench-,$(NUMS))

run-%: $(BUILD)/$$(call dir_of,$$*)/main
	$< $(ARGS)

# Go's defaults are -benchtime 1s -count 1; five shorter runs give the summary its medians.
BENCHFLAGS ?= -count 5 -benchtime 200ms
# ALLOCATOR=jemalloc|mimalloc|tcmalloc|glibc runs them under that allocator (common/bench.h).
# A lesson's targets.txt (tools/targets.sh) is checked against the same run.
bench-%: $(BUILD)/$$(call dir_of,$$*)/bench
	$(if $(ALLOCATOR),ALLOCATOR=$(ALLOCATOR) )$< $(BENCHFLAGS) $(ARGS) | tee $(<D)/bench.out
	$(if $(wildcard $(call dir_of,$*)/targets.txt),@tools/targets.sh --from $(<D)/bench.out $(call dir_of,$*)/targets.txt)

# Only the benchmarks a lesson's targets name, then the targets.
targets-%: $(BUILD)/$$(call dir_of,$$*)/bench
	@tools/targets.sh --run $< $(call dir_of,$*)/targets.txt $(ARGS)

# The lesson's tests, its exercises both ways, and the README's exact figures and twins
# (neither of the last two in a SANITIZE=1 build, which rebuilds only the C).
test-%: $(BUILD)/$$(call dir_of,$$*)/test $(BUILD)/$$(call dir_of,$$*)/main \
        $$(foreach d,$$(call ex_of,$$(call dir_of,$$*)),$(BUILD)/$$(d)/pristine $(BUILD)/$$(d)/solution)
	@mkdir -p $(BUILD)/results
	$(BUILD)/$(call dir_of,$*)/test $(CRITERION_FLAGS) 2>&1 | tee $(BUILD)/results/$(call dir_of,$*).txt
	@BUILD=$(BUILD) tools/exercise.sh prove $(call ex_of,$(call dir_of,$*)) \
	    | tee $(BUILD)/results/$(call dir_of,$*).exercises.txt
	$(if $(SANITIZE),,tools/docs.sh --check $(call dir_of,$*)/README.md)
	$(if $(SANITIZE),,$(if $(wildcard $(call dir_of,$*)/go/go.mod $(call dir_of,$*)/py/test_*.py),@tools/twins.sh $(call dir_of,$*) $(BUILD)/results))

# An unknown lesson number stops with one line naming the lessons there are.
need_lesson = $(if $(call dir_of,$(1)),,$(error no lesson '$(1)': the lessons are $(NUMS)))

# Each lesson's Go twin (NN_name/go/, a module of its own) and Python twin (NN_name/py/).
go-%:
	$(call need_lesson,$*)@tools/go.sh $(call dir_of,$*) all $(ARGS)
py-%:
	$(call need_lesson,$*)@tools/py.sh $(call dir_of,$*) $(ARGS)

# ---- the exercise loop (tools/exercise.sh) ----
# Bad input (an unknown exercise, a hint that does not exist) stops here in one line,
# before anything runs or is touched.
EXERCISE = BUILD=$(BUILD) MAKE='$(MAKE)' tools/exercise.sh
ex_args = $(eval ex_err := $(shell $(EXERCISE) args $(1)))$(if $(ex_err),$(error $(ex_err)))

watch:
	@$(EXERCISE) watch
exercise:
	$(call ex_args,exercise '$(EX)')@$(EXERCISE) check '$(EX)'
exercise-%:
	$(call need_lesson,$*)@$(EXERCISE) lesson $(call dir_of,$*)
exercises:
	@$(EXERCISE) list
hint:
	$(call ex_args,hint '$(N)' '$(EX)')@$(EXERCISE) hint '$(N)' '$(EX)'
reset:
	$(call ex_args,reset '$(EX)')@$(EXERCISE) reset '$(EX)'

# INTERVIEW.md as an interviewer would ask it (tools/quiz.py); bad input stops here in one
# line. What was missed is kept in $(BUILD)/quiz/missed for AGAIN=1.
sq = '$(subst ','\'',$(1))'
quiz_opts = --state $(BUILD)/quiz $(if $(TOPIC),--topic $(call sq,$(TOPIC))) $(if $(N),--n $(call sq,$(N))) \
            $(if $(SEED),--seed $(call sq,$(SEED))) $(if $(AGAIN),--again)
quiz:
	$(eval quiz_err := $(shell tools/quiz.py --check $(quiz_opts)))$(if $(quiz_err),$(error $(quiz_err)))@tools/quiz.py $(quiz_opts)

# The loop as a person uses it: make watch in a terminal (tmux), on a scratch copy.
test-loop:
	@mkdir -p $(BUILD)/results
	@BUILD=$(BUILD) tools/test_loop.sh $(BUILD)/loop-test $(BUILD)/results/loop.count

# A lesson.mk may set MASSIF_ARGS_NN_name: main's arguments under massif (ARGS overrides),
# and MASSIF_OPTS_NN_name: massif's options (MASSIF_OPTS="--stacks=yes ..." overrides).
massif_opts = $(or $(MASSIF_OPTS),$(MASSIF_OPTS_$(call dir_of,$(1))))
massif-%: $(BUILD)/$$(call dir_of,$$*)/main
	MASSIF_OPTS="$(call massif_opts,$*)" tools/massif.sh $(call dir_of,$*) $(BUILD)/$(call dir_of,$*) $(or $(ARGS),$(MASSIF_ARGS_$(call dir_of,$*)))

# ms_print's whole output with a numbered note beside each part (tools/massif_explain.py):
# the lesson's heavy side (SIDE=light for the other), or any program: CMD="./prog args".
SIDE ?= heavy
massif-explain-%: $(BUILD)/$$(call dir_of,$$*)/main
	@tools/massif_explain.py $(foreach o,$(call massif_opts,$*),--massif $(o)) \
	    --run $< --$(SIDE) $(or $(ARGS),$(MASSIF_ARGS_$(call dir_of,$*)))
massif-explain:
	$(if $(strip $(CMD)),,$(error CMD is empty: give the program to profile, make massif-explain CMD="./prog args"))
	@tools/massif_explain.py $(foreach o,$(MASSIF_OPTS),--massif $(o)) --run $(CMD)

# The massif tools against real massif.out files and broken ones, and the plot's settings,
# tools/check_links.py against a good page and broken ones, tools/docs.sh's check and
# write against blocks of its own, and make quiz on a pipe and in a terminal (tmux);
# their count joins the total of make test (every $(BUILD)/results/*.count: "PASSED FAILED 0").
$(BUILD)/tools/massif_demo: $(BUILD)/tools/massif_demo.o $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
test-tools: $(BUILD)/tools/massif_demo
	@mkdir -p $(BUILD)/results
	@tools/test_massif.sh $< $(BUILD)/tools | tee $(BUILD)/results/tools.txt
	@sed -nE 's/^massif tools: ([0-9]+) passed, ([0-9]+) failed$$/\1 \2 0/p' $(BUILD)/results/tools.txt \
	    > $(BUILD)/results/tools.count
	@tools/test_check_links.sh $(BUILD)/tools | tee $(BUILD)/results/links.txt
	@sed -nE 's/^check_links: ([0-9]+) passed, ([0-9]+) failed$$/\1 \2 0/p' $(BUILD)/results/links.txt \
	    > $(BUILD)/results/links.count
	@tools/test_docs.sh $(BUILD)/tools | tee $(BUILD)/results/docs.txt
	@sed -nE 's/^docs: ([0-9]+) passed, ([0-9]+) failed$$/\1 \2 0/p' $(BUILD)/results/docs.txt \
	    > $(BUILD)/results/docs.count
	@tools/test_quiz.sh $(BUILD)/tools/quiz | tee $(BUILD)/results/quiz.txt
	@sed -nE 's/^quiz: ([0-9]+) passed, ([0-9]+) failed$$/\1 \2 0/p' $(BUILD)/results/quiz.txt \
	    > $(BUILD)/results/quiz.count

test: test-common test-tools $(addprefix test-,$(NUMS)) test-loop
	$(if $(SANITIZE),,tools/docs.sh --check README.md INTERVIEW.md)
	tools/check_links.py README.md INTERVIEW.md CONTRIBUTING.md common/README.md $(addsuffix /README.md,$(LESSONS))
	@{ cat $(BUILD)/results/common.txt $(foreach l,$(LESSONS),$(BUILD)/results/$(l).txt) \
	    | sed -nE 's/.*Tested: ([0-9]+) \| Passing: ([0-9]+) \| Failing: ([0-9]+) \| Crashing: ([0-9]+).*/\2 \3 \4/p'; \
	    cat $(wildcard $(BUILD)/results/*.count) /dev/null; } \
	    | awk '{ p += $$1; f += $$2 + $$3 } END { printf "tests: %d passed, %d failed\n", p, f; exit f > 0 }'

docs: $(SHIM) $(BUILD)/common/bench_countalloc $(BUILD)/tools/pairs $(foreach l,$(LESSONS),$(BUILD)/$(l)/main $(BUILD)/$(l)/bench)
	tools/docs.sh --write README.md INTERVIEW.md $(addsuffix /README.md,$(LESSONS))
	tools/contents.py INTERVIEW.md $(addsuffix /README.md,$(LESSONS))

check: $(SHIM)
	CHECK_PROGS="$(CHECK_PROGS)" tools/check.sh

check-progs:
	@echo '$(CHECK_PROGS)'


clean:
	rm -rf build
