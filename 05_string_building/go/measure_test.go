package strbuild

import (
	"math"
	"runtime"
)

// perRun calls f once to warm up, then runs times, and returns the allocations and the
// bytes per call, rounded down. The count is what testing.AllocsPerRun returns; the
// bytes are size-class bytes, as B/op counts them. One P while measuring, as
// AllocsPerRun does, and a GC first, so that none is under way (a GC empties
// sync.Pools). The runtime and the test framework allocate a few bytes of their own
// now and then, never fewer: the least of three measurements is f's own.
func perRun(runs int, f func()) (allocs, bytes uint64) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	allocs, bytes = math.MaxUint64, math.MaxUint64
	for try := 0; try < 3; try++ {
		var before, after runtime.MemStats
		runtime.GC()
		f()
		runtime.ReadMemStats(&before)
		for i := 0; i < runs; i++ {
			f()
		}
		runtime.ReadMemStats(&after)
		if a := (after.Mallocs - before.Mallocs) / uint64(runs); a < allocs {
			allocs = a
		}
		if b := (after.TotalAlloc - before.TotalAlloc) / uint64(runs); b < bytes {
			bytes = b
		}
	}
	return allocs, bytes
}
