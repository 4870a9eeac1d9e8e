package strbuild

import (
	"runtime"
)

// perRun calls f once to warm up, then runs times, and returns the allocations and the
// bytes per call, rounded down. The count is what testing.AllocsPerRun returns; the
// bytes are size-class bytes, as B/op counts them. One P while measuring, as
// AllocsPerRun does.
func perRun(runs int, f func()) (allocs, bytes uint64) {
	var before, after runtime.MemStats

	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	f()
	runtime.ReadMemStats(&before)
	for i := 0; i < runs; i++ {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.Mallocs - before.Mallocs) / uint64(runs),
		(after.TotalAlloc - before.TotalAlloc) / uint64(runs)
}
