# 01_allocation_basics/lesson.mk: the lesson's extra targets, included by the top Makefile.
#
#   make allocators-01    GrowByOne, GrowX2, ... under glibc, jemalloc, mimalloc, tcmalloc
#   make massif-stacks-01 massif --stacks=yes on demo/depth: a 1 KiB struct passed down
#                         64 levels (ARGS=D) by value, then by pointer: the stack's peak
#   make massif-01        massif on main --heavy and --light with N = 20,000 (ARGS=N to
#                         change it): under Valgrind every realloc copies, so growing by
#                         one costs O(N^2) bytes copied and 1,000,000 would take hours
#   make onealloc-01      a record and its name in one allocation (a flexible array
#                         member) or two: counts and glibc's chunks (ARGS=N records)
#   make matrix-01        a rows x cols matrix of doubles: a malloc per row, two blocks,
#                         or one (double (*m)[cols]): counts, glibc's chunks, adjacent
#                         rows (ARGS='ROWS COLS')
#   make cleanup-01       one job of four allocations written four ways (nested ifs, a
#                         goto ladder, one exit, cleanup attributes): each one's OOM sweep
#                         (ARGS=NTAGS tags per record; demo/cleanup.c)
#   make cleanup-leak-01  misuse/cleanup_leak.c's bug: what the OOM sweep finds, and
#                         memcheck's report when its 2nd allocation fails
#                         (COUNTALLOC_FAIL_AT=2)
#   make overcommit-01    what malloc grants untouched, and RLIMIT_AS making it return
#                         NULL, each in a child process (demo/overcommit.c)
#   make stack-01         RLIMIT_STACK, what a VLA and alloca cost, an overflow killing a
#                         child process (demo/stack.c)
#   make realloc-01       realloc(p, 0), shrinking, growing in place or not, and what
#                         p = realloc(p, n) loses (demo/realloc.c)
#   make mremap-01        a block of 32 MiB (ARGS=MIB) and one of twice that grown to
#                         twice their size by realloc (glibc: mremap, no byte copied) and
#                         by malloc + memcpy + free: page faults, addresses, time
#                         (demo/mremap.c)
#   make factor-01        grow by 2 or by 1.5: where glibc puts each new block, whether it
#                         reuses the freed ones, the heap's span; realloc alone and fenced
#                         (ARGS='START N' elements; demo/factor.c)
#   make faults-01        page faults on the hot path: a fresh mapping of 64 MiB (ARGS=MIB)
#                         written twice, the same prepared first (MAP_POPULATE,
#                         MADV_POPULATE_WRITE, mlock, ...), and a request loop on malloc
#                         of 1 and 64 MiB blocks, glibc as it is, without mmap, and with
#                         one block kept (demo/faults.c; ARGS='--time [MIB]': the passes
#                         and the preparing steps timed)
#   make calloc-01        calloc against malloc + memset: the overflow check, the pages a
#                         big calloc leaves untouched, zeroing timed both ways, and the
#                         tcache a small calloc skips (demo/calloc.c)
#   make refcount-01      reference counting: a parent and N children (ARGS=N) freed at
#                         the last release with weak back-pointers, kept by the cycle
#                         that strong ones make (demo/refcount.c)
#   make refcycle-01      memcheck's leak report of a cycle leaked for real: which of its
#                         blocks it calls definitely lost and which indirectly
#                         (misuse/refcycle.c)
#   make secret-01        a secret's copies left in the process, counted in /proc/self/mem:
#                         after free, after memset + free (gcc -O2 deletes the memset),
#                         explicit_bzero, realloc, stdio's buffer (ARGS=BYTES; demo/secret.c),
#                         then the calls gcc left in the memset + free of demo/wipefree.c
#   make uninit-01        malloc's bytes are not zero: a struct's padding from offsetof and
#                         sizeof, written out three clean ways (demo/uninit.c), then what
#                         memcheck says of a branch on an unset element and of a struct's
#                         padding written out, with and without --track-origins=yes

L01 := 01_allocation_basics


# make massif-01: N = 20,000 (see above).
MASSIF_ARGS_01_allocation_basics := 20000

# Does the allocator hide the cost of growing by one? ms/op and moves/op (reallocs that
# returned a new block) of each Grow benchmark, median and min-max, and growing by one
# against doubling.
.PHONY: allocators-01
allocators-01: $(BUILD)/$(L01)/bench
	@tools/allocators.sh --names 'GrowByOne GrowX1_5 GrowX2 GrowReserved' --width 14 \
	    --title '100,000 appends of int64_t per op (bench.c GROW_N); moves: reallocs that copied' \
	    --column ms/op ns/op '%.3f ms' 1e6 --column moves/op moves/op '%.1f' 1 \
	    --ratio ByOne/X2=GrowByOne/GrowX2 $< $(or $(ARGS),-count 5 -benchtime 10x)

# demo/depth.c, a big struct passed down by value or by pointer: the tests run it (its
# arguments) and the README's figures read it, so it is built with the test.
$(BUILD)/$(L01)/test: | $(BUILD)/$(L01)/demo/depth

.PHONY: massif-stacks-01
massif-stacks-01: $(BUILD)/$(L01)/demo/depth
	@for side in heavy light; do echo "== $< --$$side (heavy: by value, light: by pointer)"; tools/massif_explain.py --massif --stacks=yes --part peak \
	    --run $< --$$side $(or $(ARGS),64); done

# stackmem.c shows a variable-length array: the one file built without -Wvla's error.
$(BUILD)/$(L01)/stackmem.o: CFLAGS += -Wno-vla
# matrix.c's flat way indexes through a pointer to a variable-length array type,
# double (*)[cols]: no array on the stack, but -Wvla flags the type.
$(BUILD)/$(L01)/matrix.o: CFLAGS += -Wno-vla

# ---- demo/: one program per interview question, with the lesson's code, counted ----
L01_DEMOS := onealloc matrix cleanup overcommit stack realloc calloc refcount factor mremap faults
$(BUILD)/$(L01)/demo/%: $(BUILD)/$(L01)/demo/%.o $$(call lesson_obj,$(L01)) $(COMMON_OBJ)
	$(call quiet,LD)$(LINK)

# demo/zerofill.c twice (see its header): gcc's builtins on, and the Makefile's flags.
L01_ZEROFILL := $(BUILD)/$(L01)/demo/zerofill_o2.o $(BUILD)/$(L01)/demo/zerofill_kept.o
$(BUILD)/$(L01)/demo/zerofill_o2.o: $(L01)/demo/zerofill.c $(L01)/zeroed.h $(L01)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) -I$(L01) $(filter-out -fno-builtin-%,$(CFLAGS)) -DZEROFILL_FN=zerofill_o2 -c $< -o $@
$(BUILD)/$(L01)/demo/zerofill_kept.o: $(L01)/demo/zerofill.c $(L01)/zeroed.h $(L01)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) -I$(L01) $(CFLAGS) -DZEROFILL_FN=zerofill_kept -c $< -o $@
$(BUILD)/$(L01)/demo/calloc $(BUILD)/$(L01)/test: $(L01_ZEROFILL)

# demo/wipefree.c twice (see its header): memset + free as gcc -O2 makes it, which deletes
# the memset, and with the Makefile's flags, whose -fno-builtin-free keeps it.
L01_WIPEFREE := $(BUILD)/$(L01)/demo/wipefree_o2.o $(BUILD)/$(L01)/demo/wipefree_kept.o
$(BUILD)/$(L01)/demo/wipefree_o2.o: $(L01)/demo/wipefree.c $(L01)/secret.h $(L01)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) -I$(L01) $(filter-out -fno-builtin-%,$(CFLAGS)) -DSECRET_WIPEFREE_FN=secret_memset_free_o2 -c $< -o $@
$(BUILD)/$(L01)/demo/wipefree_kept.o: $(L01)/demo/wipefree.c $(L01)/secret.h $(L01)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) -I$(L01) $(CFLAGS) -DSECRET_WIPEFREE_FN=secret_memset_free_kept -c $< -o $@
$(BUILD)/$(L01)/demo/secret $(BUILD)/$(L01)/test: $(L01_WIPEFREE)
# Both bind every symbol at start-up (-z now, as LD_BIND_NOW=1 does): with lazy binding the
# first call of a library function goes through the dynamic linker's trampoline, which
# saves the vector registers on the stack, and a register a copy of the secret passed
# through was found there (the last 16 bytes, in the test process): a copy, but one that
# moves with the order of the first calls, not with the case measured.
$(BUILD)/$(L01)/demo/secret $(BUILD)/$(L01)/test: LDFLAGS += -Wl,-z,now
# exercises/11_fix_secret_left_behind counts the copies with the lesson's instrument:
# secret.o is linked into its three builds, bound at start-up as the tests are.
L01_EX_SECRET := $(addprefix $(BUILD)/$(L01)/exercises/11_fix_secret_left_behind/,starter solution pristine)
$(L01_EX_SECRET): $(BUILD)/$(L01)/secret.o
$(L01_EX_SECRET): LDFLAGS += -Wl,-z,now

# The demo, then what gcc made of demo/wipefree.c each way: the calls left in the object
# code (objdump -dr: each call carries a relocation naming the function it calls).
.PHONY: secret-01
secret-01: $(BUILD)/$(L01)/demo/secret $(L01_WIPEFREE)
	@$< $(ARGS)
	@echo; for o in $(L01_WIPEFREE); do d=$$(objdump -dr --no-show-raw-insn $$o); \
	    printf '%-16s calls to memset: %s   calls to free: %s\n' "$$(basename $$o)" \
	        "$$(grep -c 'R_X86_64_PLT32.memset' <<<"$$d" || true)" "$$(grep -c 'R_X86_64_PLT32.free' <<<"$$d" || true)"; done

.PHONY: $(addsuffix -01,$(L01_DEMOS))
$(addsuffix -01,$(L01_DEMOS)): %-01: $(BUILD)/$(L01)/demo/%
	@$< $(ARGS)
# The tests run demo/factor, demo/onealloc, demo/matrix, demo/refcount, demo/cleanup,
# demo/mremap and demo/faults and read what they print.
$(BUILD)/$(L01)/test: | $(BUILD)/$(L01)/demo/faults $(BUILD)/$(L01)/demo/mremap $(BUILD)/$(L01)/demo/factor $(BUILD)/$(L01)/demo/onealloc $(BUILD)/$(L01)/demo/matrix $(BUILD)/$(L01)/demo/refcount $(BUILD)/$(L01)/demo/cleanup \
    $(BUILD)/$(L01)/demo/uninit $(BUILD)/$(L01)/demo/secret
# make check: bad input and a full stdout for these too.
PROGS_01_allocation_basics := $(addprefix demo/,$(L01_DEMOS) depth uninit secret)

# misuse/refcycle.c leaks a cycle on purpose, so it stays out of make check. It is built
# with refcount.c on glibc's malloc as it is (the counting allocator's header would make
# memcheck call every block "possibly lost"), at -O0 so that no pointer outlives its
# frame; the tests and make refcycle-01 run it under memcheck.
$(BUILD)/$(L01)/misuse/refcycle: $(L01)/misuse/refcycle.c $(L01)/refcount.c $(L01)/refcount.h $(L01)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC)$(CC) $(CPPFLAGS) -I$(L01) $(filter-out -O%,$(PLAIN_CFLAGS)) -O0 $(filter %.c,$^) -o $@
$(BUILD)/$(L01)/test: | $(BUILD)/$(L01)/misuse/refcycle

# memcheck's report from its heap summary on, process ids and code addresses left out.
.PHONY: refcycle-01
refcycle-01: $(BUILD)/$(L01)/misuse/refcycle
	@valgrind --leak-check=full $< 2>&1 >/dev/null | sed -n '/HEAP SUMMARY/,$$p' \
	    | sed -E 's/^==[0-9]+== ?//; s/0x[0-9A-F]+: //' | grep -v '^For lists\|^Rerun with'

# misuse/cleanup_leak.c, cleanup.h's job with a failure path that forgets a block: its
# function is linked into the tests (their sweep finds the leak), and built alone with
# its main for memcheck's report. Never in a demo, nor in make check.
$(BUILD)/$(L01)/test: $(BUILD)/$(L01)/misuse/cleanup_leak.o
$(BUILD)/$(L01)/misuse/cleanup_leak: $(L01)/misuse/cleanup_leak.c $(BUILD)/$(L01)/cleanup.o $(COMMON_OBJ) $(L01)/cleanup.h
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) -I$(L01) $(CFLAGS) -DCLEANUP_LEAK_MAIN $(filter %.c %.o,$^) -o $@ $(LDLIBS)
$(BUILD)/$(L01)/test: | $(BUILD)/$(L01)/misuse/cleanup_leak

# memcheck's report when the name's malloc fails: from its heap summary on, process ids,
# code addresses and line numbers left out (the README quotes it). somalloc=nouserintercepts leaves the program's own malloc
# (the counting allocator, which injects the failure) in place; memcheck still sees every
# block through glibc's, each with the counting allocator's 16-byte header.
.PHONY: cleanup-leak-01
cleanup-leak-01: $(BUILD)/$(L01)/misuse/cleanup_leak
	@$< sweep
	@echo; echo "memcheck, COUNTALLOC_FAIL_AT=2 $< (no sweep):"
	@{ COUNTALLOC_FAIL_AT=2 valgrind --soname-synonyms=somalloc=nouserintercepts --leak-check=full $< 2>&1 >/dev/null || true; } | sed -n '/HEAP SUMMARY/,$$p' \
	    | sed -E 's/^==[0-9]+== ?//; s/0x[0-9A-F]+: //; s/\(([a-z_]+\.[ch]):[0-9]+\)$$/(\1)/' | grep -v '^For lists\|^Rerun with'

# misuse/uninit_use.c and misuse/padding_leak.c read bytes nothing wrote, on purpose, so
# they stay out of make check. Built like refcycle: glibc's malloc as it is, at -O0, so
# that each report lands on the line the source marks; the tests and make uninit-01 run
# them under memcheck.
L01_UNINIT := $(addprefix $(BUILD)/$(L01)/misuse/,uninit_use padding_leak)
$(L01_UNINIT): $(BUILD)/$(L01)/misuse/%: $(L01)/misuse/%.c $(L01)/uninit.h $(L01)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC)$(CC) $(CPPFLAGS) -I$(L01) $(filter-out -O%,$(PLAIN_CFLAGS)) -O0 $< -o $@
$(BUILD)/$(L01)/test: | $(L01_UNINIT)

.PHONY: uninit-01
uninit-01: $(BUILD)/$(L01)/demo/uninit $(L01_UNINIT)
	@$< $(ARGS)
	@echo; $(L01)/misuse/uninit.sh $(BUILD)/$(L01)/misuse
