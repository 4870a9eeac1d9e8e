package main

import (
	"runtime"
	"testing"
)

// cost is what one call of a function allocates, as runtime.MemStats counts it.
type cost struct {
	allocs uint64 // heap allocations (Mallocs)
	bytes  uint64 // bytes allocated (TotalAlloc): size-class bytes, not the request
}

// measure runs f once to warm up, then runs times more, and returns the cost per run:
// testing.AllocsPerRun's method (one P, so no other goroutine allocates meanwhile), with
// TotalAlloc beside Mallocs. Both are exact: the runtime counts every allocation. A GC
// comes first: the first collection of a process starts the runtime's worker goroutines,
// which allocate, and should not land inside a measurement.
func measure(runs int, f func()) cost {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	runtime.GC()
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

// allocsPerRun is testing.AllocsPerRun, the figure go test -benchmem prints as allocs/op.
func allocsPerRun(runs int, f func()) uint64 { return uint64(testing.AllocsPerRun(runs, f)) }

// largeObject is what the heap takes for an object over 32 KiB, the largest size class:
// whole pages of 8 KiB.
func largeObject(bytes uint64) uint64 { return (bytes + 8191) &^ 8191 }
