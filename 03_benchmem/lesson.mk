# 03_benchmem/lesson.mk: the lesson's extra builds, included by the top Makefile.
#
#   make traps-03 ARGS=...   the traps of reading a benchmark, as Go-format benchmarks
#                            (build/03_benchmem/traps; ARGS are bench flags)
#   make allocs-03 ARGS=...  the same, only the exact columns: name, B/op, allocs/op
#   make deleted-03          what gcc -O2 made of trap/mallocfree.c, with and without
#                            -fno-builtin-malloc (trap/deleted.sh)
#   make noise-03            one noisy run against the median of ten (trap/noise.sh)
#   make mapgrow-03          size hints: N keys into a hash table grown by doubling, each
#                            growth's slots, bytes and peak, against one made with a hint
#                            of N (demo/mapgrow.c; ARGS=N, default 100,000)
#   make mapshrink-03        deleting keys does not shrink a map: N keys, all deleted but
#                            1 in 100, then maptab_shrink; the bytes held, allocations and
#                            probes per missing key after each (demo/mapshrink.c; ARGS=N,
#                            default 100,000)
#   make chain-03            chaining or open addressing: N keys into a chained table (a
#                            node per key) and into maptab, grown and hinted; allocations,
#                            bytes per key, memory reads per lookup (demo/chain.c; ARGS=N,
#                            default 100,000)
#   make pause-03            the worst insert: N keys into maptab grown by doubling, into
#                            inctab (the same growth, keys moved a few a put after it) and
#                            into maptab with a hint of N; allocations, bytes, peak, keys
#                            moved in all and by the worst put; --time times every put
#                            (demo/pause.c; ARGS=N or ARGS='--time N', default 1,000,000)
#   make sortkey-03          a comparator that allocates: N, 2N and 4N words sorted
#                            case-insensitively with qsort, a lowercased copy per side
#                            per comparison, keys made once, strcasecmp in place; the
#                            comparisons and allocations of each (demo/sortkey.c; ARGS=N,
#                            default 1,000)
#
# Builds:
#   $(BUILD)/03_benchmem/traps             trap/traps.c + two copies of trap/mallocfree.c:
#       mallocfree_o2.o    gcc -O2 WITHOUT the Makefile's -fno-builtin-* flags: gcc may
#                          pair the malloc with the free and delete both
#       mallocfree_kept.o  the same source with the Makefile's flags
#   $(BUILD)/03_benchmem/demo/mapgrow      demo/mapgrow.c with the lesson's code, counted
#   $(BUILD)/03_benchmem/demo/mapshrink    demo/mapshrink.c, the same way
#   $(BUILD)/03_benchmem/demo/chain        demo/chain.c, the same way
#   $(BUILD)/03_benchmem/demo/sortkey      demo/sortkey.c, the same way
#   $(BUILD)/03_benchmem/demo/pause        demo/pause.c, the same way

L03 := 03_benchmem
L03_BUILD = $(BUILD)/$(L03)
L03_LESSON_OBJ = $(call lesson_obj,$(L03))

$(L03_BUILD)/trap/mallocfree_o2.o: $(L03)/trap/mallocfree.c common/bench.h $(L03)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) $(filter-out -fno-builtin-%,$(CFLAGS)) -DTRAP_FN=trap_mallocfree_o2 -c $< -o $@
$(L03_BUILD)/trap/mallocfree_kept.o: $(L03)/trap/mallocfree.c common/bench.h $(L03)/lesson.mk
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -DTRAP_FN=trap_mallocfree_kept -c $< -o $@
$(L03_BUILD)/traps: $(BUILD)/$(L03)/trap/traps.o $(L03_BUILD)/trap/mallocfree_o2.o \
                    $(L03_BUILD)/trap/mallocfree_kept.o $(L03_LESSON_OBJ) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# ---- demo/: one program per interview question, with the lesson's code, counted ----
$(L03_BUILD)/demo/%: $(L03_BUILD)/demo/%.o $(L03_LESSON_OBJ) $(COMMON_OBJ)
	$(call quiet,LD)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)
# make check: bad input and a full stdout for them too.
PROGS_03_benchmem := demo/mapgrow demo/mapshrink demo/chain demo/sortkey demo/pause
# The tests run the demos with bad arguments.
$(L03_BUILD)/test: | $(addprefix $(L03_BUILD)/,$(PROGS_03_benchmem))

.PHONY: traps-03 allocs-03 deleted-03 noise-03 mapgrow-03 mapshrink-03 chain-03 sortkey-03 \
        pause-03
traps-03: $(L03_BUILD)/traps
	@$< $(ARGS)
allocs-03: $(L03_BUILD)/traps
	@$< $(ARGS) | awk '/^Benchmark/ { printf "%-28s %8s %s %8s %s\n", $$1, $$(NF-3), $$(NF-2), $$(NF-1), $$NF }'
deleted-03: $(L03_BUILD)/traps
	@$(L03)/trap/deleted.sh $(L03_BUILD)/trap
noise-03: $(L03_BUILD)/traps
	@$(L03)/trap/noise.sh $< $(ARGS)
mapgrow-03: $(L03_BUILD)/demo/mapgrow
	@$< $(ARGS)
mapshrink-03: $(L03_BUILD)/demo/mapshrink
	@$< $(ARGS)
chain-03: $(L03_BUILD)/demo/chain
	@$< $(ARGS)
sortkey-03: $(L03_BUILD)/demo/sortkey
	@$< $(ARGS)
pause-03: $(L03_BUILD)/demo/pause
	@$< $(ARGS)
