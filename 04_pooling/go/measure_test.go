package pooling

import (
	"flag"
	"math"
	"runtime"
	"testing"
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

// benchmark runs a benchmark function as `go test -bench -benchmem` does, with a fixed
// -benchtime 100000x so that a test stays quick. B/op and allocs/op are exact. (Each run
// starts with a GC, which empties every sync.Pool's per-P slots; refilling them costs
// about a kilobyte once per run, which 100,000 ops divide down to 0 B/op, as a timed
// -bench run does.)
func benchmark(t *testing.T, f func(*testing.B)) testing.BenchmarkResult {
	t.Helper()
	old := flag.Lookup("test.benchtime").Value.String()
	if err := flag.Set("test.benchtime", "100000x"); err != nil {
		t.Fatal(err)
	}
	defer flag.Set("test.benchtime", old)
	return testing.Benchmark(f)
}

// wantPerOp fails t unless r reads bytes B/op and allocs allocs/op, and logs the line.
func wantPerOp(t *testing.T, name string, r testing.BenchmarkResult, bytes, allocs int64) {
	t.Helper()
	t.Logf("%-18s %6d B/op %5d allocs/op", name, r.AllocedBytesPerOp(), r.AllocsPerOp())
	if r.AllocedBytesPerOp() != bytes || r.AllocsPerOp() != allocs {
		t.Errorf("%s: want %d B/op %d allocs/op on %s, got %d B/op %d allocs/op",
			name, bytes, allocs, runtime.Version(), r.AllocedBytesPerOp(), r.AllocsPerOp())
	}
}
