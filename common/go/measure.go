// Package measure is what the lessons' Go twins measure with: allocations per call, as
// testing.AllocsPerRun counts them, a benchmark's B/op and allocs/op, as
// `go test -bench -benchmem` prints them, and which Go is running (counts that differ by
// release). Each twin's go.mod points here with a replace directive: a module of the
// repository's own, standard library only, nothing downloaded.
package measure

import (
	"flag"
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// PerRun calls f once to warm up, then runs times, and returns the allocations and the
// bytes per call, rounded down. The count is what testing.AllocsPerRun returns; the
// bytes are size-class bytes, as B/op counts them. One P while measuring, as
// AllocsPerRun does, and a GC first, so that none is under way (a GC empties
// sync.Pools). The runtime and the test framework allocate a few bytes of their own
// now and then, never fewer: the least of three measurements is f's own.
func PerRun(runs int, f func()) (allocs, bytes uint64) {
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

// Benchmark runs a benchmark function as `go test -bench -benchmem -benchtime N` does
// (N: 100x, 1x...) and returns its result. B/op and allocs/op are exact.
func Benchmark(t *testing.T, benchtime string, f func(*testing.B)) testing.BenchmarkResult {
	t.Helper()
	old := flag.Lookup("test.benchtime").Value.String()
	if err := flag.Set("test.benchtime", benchtime); err != nil {
		t.Fatal(err)
	}
	defer flag.Set("test.benchtime", old)
	return testing.Benchmark(f)
}

// WantPerOp fails t unless r reads bytes B/op and allocs allocs/op, and logs the line.
func WantPerOp(t *testing.T, name string, r testing.BenchmarkResult, bytes, allocs int64) {
	t.Helper()
	t.Logf("%-18s %6d B/op %5d allocs/op", name, r.AllocedBytesPerOp(), r.AllocsPerOp())
	if r.AllocedBytesPerOp() != bytes || r.AllocsPerOp() != allocs {
		t.Errorf("%s: want %d B/op %d allocs/op on %s, got %d B/op %d allocs/op",
			name, bytes, allocs, runtime.Version(), r.AllocedBytesPerOp(), r.AllocsPerOp())
	}
}

// GoMinor is the minor version of the running Go (19 for go1.19.8), and false for a build
// that is not a release (a devel toolchain), where a test keyed to a version should skip.
func GoMinor() (int, bool) {
	v := strings.TrimPrefix(runtime.Version(), "go1.")
	if i := strings.IndexAny(v, ".-+ "); i >= 0 {
		v = v[:i]
	}
	minor, err := strconv.Atoi(v)
	return minor, err == nil
}
