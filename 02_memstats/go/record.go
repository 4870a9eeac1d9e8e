// What one record costs on Go's heap: the same six fields as the C lesson's record.h, in
// the same two orders. Go does not reorder a struct's fields either, so the order written
// is the layout; and new(T) hands out a block of T's size class, not of T's size.
package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"unsafe"
)

// recLoose is the careless order: padding after each small field before a large one.
type recLoose struct {
	flag  byte
	id    int64
	kind  byte
	count int32
	tag   byte
	score float64
}

// recTight holds the same fields, largest first.
type recTight struct {
	id    int64
	score float64
	count int32
	flag  byte
	kind  byte
	tag   byte
}

// The records stay alive in package variables, so that each new(T) is a heap block.
var (
	keptLoose []*recLoose
	keptTight []*recTight
)

// heapCost is what n allocations added to runtime.MemStats, per allocation.
type heapCost struct {
	bytes, allocs float64 // TotalAlloc and Mallocs per allocation
}

// perObject calls alloc(i) for i < n, with the collector off and one P, and returns
// TotalAlloc's and Mallocs' growth divided by n. alloc keeps what it allocates in a
// slice made beforehand, so that only the objects are counted. MemStats counts the whole
// process: another goroutine can allocate while the loop runs (seen once under load: one
// 8-byte block among 10,000 records; the scavenger, waking after a collection freed a big
// block, allocates a few bytes as it sleeps), and only ever adds, so the loop runs
// leastOf times and the run that counted least is the loop's own.
const leastOf = 5

func perObject(n int, alloc func(i int)) heapCost {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var best heapCost
	for run := 0; run < leastOf; run++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for i := 0; i < n; i++ {
			alloc(i)
		}
		runtime.ReadMemStats(&after)
		c := heapCost{
			bytes:  float64(after.TotalAlloc-before.TotalAlloc) / float64(n),
			allocs: float64(after.Mallocs-before.Mallocs) / float64(n),
		}
		if run == 0 || c.allocs < best.allocs || (c.allocs == best.allocs && c.bytes < best.bytes) {
			best = c
		}
	}
	return best
}

// looseCost and tightCost: n records of each order, one new(T) each, kept alive.
func looseCost(n int) heapCost {
	keptLoose = make([]*recLoose, n)
	defer func() { keptLoose = nil }()
	return perObject(n, func(i int) { keptLoose[i] = new(recLoose) })
}

func tightCost(n int) heapCost {
	keptTight = make([]*recTight, n)
	defer func() { keptTight = nil }()
	return perObject(n, func(i int) { keptTight[i] = new(recTight) })
}

// recordTable prints both orders: unsafe.Sizeof, then the heap's bytes and allocations
// per new(T).
func recordTable(n int) {
	fmt.Printf("02_memstats, Go twin (%s): what one record costs, %s new(T) kept alive\n",
		runtime.Version(), commas(uint64(n)))
	fmt.Printf("  %-9s %14s %18s %22s\n", "type", "unsafe.Sizeof", "TotalAlloc/new(T)", "Mallocs/new(T)")
	for _, r := range []struct {
		name string
		size uintptr
		cost heapCost
	}{
		{"recLoose", unsafe.Sizeof(recLoose{}), looseCost(n)},
		{"recTight", unsafe.Sizeof(recTight{}), tightCost(n)},
	} {
		fmt.Printf("  %-9s %12d B %16.1f B %22.1f\n", r.name, r.size, r.cost.bytes, r.cost.allocs)
	}
}
