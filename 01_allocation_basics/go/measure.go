package main

import (
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"
)

// cost is what one call of a function allocates, as runtime.MemStats counts it.
type cost struct {
	allocs uint64 // heap allocations (Mallocs)
	bytes  uint64 // bytes allocated (TotalAlloc): size-class bytes, not the request
}

// measure runs f once to warm up, then runs times more, and returns the cost per run:
// testing.AllocsPerRun's method (one P, so no other goroutine allocates meanwhile), with
// TotalAlloc beside Mallocs. Both are exact: the runtime counts every allocation, its
// own included, so the collector is off while f runs: a collection wakes the runtime's
// background work, which now and then allocates a few bytes of its own.
func measure(runs int, f func()) cost {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	settle.Do(settleRuntime) // on the one P the measurements use
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	runtime.GC() // earlier garbage; then the warm-up fills what it caches (sync.Pool)
	f()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < runs; i++ {
		f()
	}
	runtime.ReadMemStats(&after)
	return cost{
		allocs: (after.Mallocs - before.Mallocs) / uint64(runs),
		bytes:  (after.TotalAlloc - before.TotalAlloc) / uint64(runs),
	}
}

var settle sync.Once

// settleRuntime lets the runtime do, once and before any measurement, the work of its
// own that allocates: after the first collection that frees a lot, its background
// scavenger returns pages to the kernel and then sleeps on a timer, and that first
// sleep allocates 8 bytes. Left to chance it lands inside whichever measurement is
// running at the time.
func settleRuntime() {
	for i := 0; i < 64; i++ {
		sinkBytes = make([]byte, 1<<20)
	}
	sinkBytes = nil
	runtime.GC()
	time.Sleep(100 * time.Millisecond)
	runtime.GC()
}

// allocsPerRun is testing.AllocsPerRun, the figure go test -benchmem prints as allocs/op.
func allocsPerRun(runs int, f func()) uint64 { return uint64(testing.AllocsPerRun(runs, f)) }

// largeObject is what the heap takes for an object over 32 KiB, the largest size class:
// whole pages of 8 KiB.
func largeObject(bytes uint64) uint64 { return (bytes + 8191) &^ 8191 }
