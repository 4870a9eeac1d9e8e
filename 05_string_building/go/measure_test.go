package strbuild

import (
	"runtime"
	"strconv"
	"strings"
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

// goAtLeast reports whether this Go is version major.minor or later.
func goAtLeast(major, minor int) bool {
	v := strings.TrimPrefix(runtime.Version(), "go")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return true // a development build: the newest
	}
	ma, _ := strconv.Atoi(parts[0])
	mi, _ := strconv.Atoi(strings.TrimRightFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
	return ma > major || ma == major && mi >= minor
}
