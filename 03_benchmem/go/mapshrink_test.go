package benchmem

import (
	"fmt"
	"runtime"
	"testing"
)

// Deleting keys does not shrink a map: the twin of maptab_del, maptab_shrink and
// demo/mapshrink.c. A map of 100,000 keys, all deleted but 1,000: the heap it holds after a
// GC, against a copy of the survivors into a new map. HeapAlloc is the whole process's, so
// each figure is read after runtime.GC() on one P, less the heap before the map, and the
// least of several runs is kept; the tests compare ratios, never bytes.

// shrinkSink keeps the map under measurement reachable, as a map that outlives its
// function is (a map that does not escape may live on the stack).
var shrinkSink map[int]int

const shrinkKeys, shrinkEvery = 100000, 100 // 1,000 keys kept

// heapNow is HeapAlloc after a full collection: the bytes of the objects still reachable.
func heapNow() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// shrinkHeap is what one run measured: the heap the map holds full, after the deletes, and
// after its survivors were copied into a new map and the old one dropped.
type shrinkHeap struct{ full, deleted, copied uint64 }

func shrinkRun() shrinkHeap {
	var h shrinkHeap
	shrinkSink = nil
	base := heapNow()
	m := make(map[int]int)
	for i := 1; i <= shrinkKeys; i++ {
		m[i] = i
	}
	shrinkSink = m
	h.full = heapNow() - base
	for i := 1; i <= shrinkKeys; i++ {
		if i%shrinkEvery != 0 {
			delete(m, i)
		}
	}
	h.deleted = heapNow() - base
	c := make(map[int]int, len(m))
	for k, v := range m {
		c[k] = v
	}
	shrinkSink = c // the old map is garbage now
	h.copied = heapNow() - base
	shrinkSink = nil
	return h
}

// leastShrinkRuns is the least of each figure over runs runs, on one P, after one run not
// kept: the first run's heap before the map can hold objects of the test's start that are
// freed while it runs, and its figures then fall short of the map's.
func leastShrinkRuns(runs int) shrinkHeap {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	shrinkRun()
	least := shrinkHeap{^uint64(0), ^uint64(0), ^uint64(0)}
	for i := 0; i < runs; i++ {
		h := shrinkRun()
		least.full = min64(least.full, h.full)
		least.deleted = min64(least.deleted, h.deleted)
		least.copied = min64(least.copied, h.copied)
	}
	return least
}

func kib(b uint64) string { return fmt.Sprintf("%.1f KiB", float64(b)/1024) }

func TestMapDeleteKeepsTheHeapAndACopyGivesItBack(t *testing.T) {
	h := leastShrinkRuns(5)
	pct := func(b uint64) string { return fmt.Sprintf("%5.1f%%", 100*float64(b)/float64(h.full)) }
	t.Logf("%s, make(map[int]int): HeapAlloc after runtime.GC(), less the heap before the map,", runtime.Version())
	t.Logf("the least of 5 runs, and as a share of the full map's:")
	t.Logf("  %-44s %11s %7s", "100,000 keys put", kib(h.full), pct(h.full))
	t.Logf("  %-44s %11s %7s", "all deleted but 1,000 (1 in 100)", kib(h.deleted), pct(h.deleted))
	t.Logf("  %-44s %11s %7s", "the 1,000 copied into make(map[int]int, 1000)", kib(h.copied), pct(h.copied))
	// Deleting empties slots and frees nothing: the buckets (Go 1.19) or the tables and
	// groups (Go 1.24) stay, so the heap stays at least 90% of the full map's. Copying the
	// survivors into a map made for them, and dropping the old one, leaves a map of 1,000
	// keys: under 10% of the full one (about 1% of the keys, sized by the hint).
	if h.deleted*10 < h.full*9 {
		t.Errorf("%s: after the deletes the map holds %s, under 90%% of the full map's %s: did delete shrink it?",
			runtime.Version(), kib(h.deleted), kib(h.full))
	}
	if h.copied*10 >= h.full {
		t.Errorf("%s: the copy of 1,000 keys holds %s, not under 10%% of the full map's %s: is the old map still reachable?",
			runtime.Version(), kib(h.copied), kib(h.full))
	}
}
