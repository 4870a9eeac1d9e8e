// The Go twin's tests: every Go statement of lesson 02's README, pinned. Allocation
// counts and bytes come from runtime.MemStats, which counts every allocation: exact.
// Where a collection is part of the statement, the test turns the GC off and runs it
// itself (runtime.GC()), so that nothing else decides when memory is freed.
package main

import (
	toolbox "allocaware.local/measure"
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// Every allocation is sampled by the heap profile (the default is one per 512 KiB), so
// that the profile's counts are exact too. It must be set before the program allocates.
func init() { runtime.MemProfileRate = 1 }

var (
	sinkHeavy  []*Record
	sinkLight  []Record
	sinkRecord *Record
	sinkBytes  []byte
)

// cost is what one call allocates: Mallocs and TotalAlloc.
type cost struct{ allocs, bytes uint64 }

// measure is what one call of f allocates, by testing.AllocsPerRun's method (one P, a
// warm-up call, then runs calls) with TotalAlloc beside Mallocs: the toolbox's PerRun,
// which keeps the least of three measurements. The runtime allocates a few bytes of its
// own now and then, never fewer: one measurement on a loaded machine once read a byte
// a call more than f's own.
func measure(runs int, f func()) cost {
	allocs, bytes := toolbox.PerRun(runs, f)
	return cost{allocs, bytes}
}

// exactly runs an exact measurement up to three times and fails t only when every run is
// off, with the last run's errors. The runtime and the test framework allocate a few
// bytes of their own now and then, never fewer; on a loaded machine one such block
// landed inside a measurement about once in a dozen runs of the package.
func exactly(t *testing.T, run func(errorf func(format string, args ...any))) {
	t.Helper()
	var errs []string
	for try := 0; try < 3; try++ {
		errs = errs[:0]
		run(func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) })
		if len(errs) == 0 {
			return
		}
	}
	for _, e := range errs {
		t.Error(e)
	}
}

func wantCost(t *testing.T, what string, got cost, allocs, bytes uint64) {
	t.Helper()
	if got.allocs != allocs || got.bytes != bytes {
		t.Errorf("%s: expected %d allocations of %d bytes in all, saw %d of %d",
			what, allocs, bytes, got.allocs, got.bytes)
	}
}

// gcByHand turns the collector off, with one P, and returns the function that restores
// both. A pause, then two collections: the runtime's background scavenger allocates on
// its first sleep, and sync.Pool lets go of its objects at the second GC; what was
// garbage before the test is swept when it starts.
func gcByHand() func() {
	sinkHeavy, sinkLight, sinkRecord, sinkBytes = nil, nil, nil, nil // earlier tests' results
	procs := runtime.GOMAXPROCS(1)
	percent := debug.SetGCPercent(-1)
	time.Sleep(50 * time.Millisecond)
	runtime.GC()
	runtime.GC()
	return func() {
		debug.SetGCPercent(percent)
		runtime.GOMAXPROCS(procs)
	}
}

// ---- the job ----

func TestHeavyAndLightKeepTheSameRecords(t *testing.T) {
	h := heavyDrop(heavyBuild(1000))
	l := lightDrop(lightBuild(1000))
	if len(h) != kept(1000) || len(l) != kept(1000) {
		t.Fatalf("kept %d and %d records, expected %d", len(h), len(l), kept(1000))
	}
	for i := range h {
		if *h[i] != l[i] || h[i].ID != uint32(i*keepEvery) {
			t.Fatalf("record %d: heavy %d %q, light %d %q", i, h[i].ID, h[i].Text[:12], l[i].ID, l[i].Text[:12])
		}
	}
	if !strings.HasPrefix(string(l[1].Text[:]), "record 64\x00") {
		t.Errorf("record 64's text is %q", l[1].Text[:12])
	}
}

// heavy: the pointer slice (8,000 bytes: its size class is 8,192) and one 112-byte block
// per 100-byte record.
func TestHeavyBuildMakesOneAllocationPerRecordPlusTheSlice(t *testing.T) {
	n := 1000
	wantCost(t, "heavyBuild(1000)", measure(5, func() { sinkHeavy = heavyBuild(n) }),
		uint64(n)+1, uint64(n)*sizeClass(recordSize)+sizeClass(8*n))
}

func TestLightBuildMakesOneAllocation(t *testing.T) {
	n := 1000
	wantCost(t, "lightBuild(1000)", measure(5, func() { sinkLight = lightBuild(n) }),
		1, sizeClass(recordSize*n))
}

func TestHeavyDropAllocatesNothingLightDropOneBlock(t *testing.T) {
	h := heavyBuild(1000)
	wantCost(t, "heavyDrop", measure(5, func() { sinkHeavy = heavyDrop(h) }), 0, 0)
	l := lightBuild(1000)
	wantCost(t, "lightDrop", measure(5, func() { sinkLight = lightDrop(l) }),
		1, sizeClass(recordSize*kept(1000)))
}

// ---- what MemStats counts ----

// A Record is 100 bytes and new(Record) is one allocation; TotalAlloc counts the block
// the heap hands out, its size class: 112 bytes.
func TestTotalAllocCountsTheSizeClassNotTheRequest(t *testing.T) {
	if unsafe.Sizeof(Record{}) != recordSize {
		t.Fatalf("Record is %d bytes, expected %d", unsafe.Sizeof(Record{}), recordSize)
	}
	wantCost(t, "new(Record)", measure(100, func() { sinkRecord = new(Record) }), 1, 112)
	wantCost(t, "make([]byte, 1025)", measure(100, func() { sinkBytes = make([]byte, 1025) }), 1, 1152)
}

// cap(make([]byte, n)) is n: Go has no malloc_usable_size. The size class shows only in
// TotalAlloc (B/op) and in the capacity append picks.
func TestCapOfMakeIsTheRequestTheSizeClassShowsAfterAppend(t *testing.T) {
	for _, c := range []struct{ n, class int }{{100, 112}, {1000, 1024}, {33000, 40960}} {
		if got := cap(make([]byte, c.n)); got != c.n {
			t.Errorf("cap(make([]byte, %d)) = %d, expected %d", c.n, got, c.n)
		}
		if got := sizeClass(c.n); got != uint64(c.class) {
			t.Errorf("append of %d bytes to nil: cap %d, expected the size class %d", c.n, got, c.class)
		}
	}
}

// HeapAlloc is not "live now": it counts every block not yet swept, garbage included.
// With the GC off, 100 MiB of garbage reads as 100 MiB until runtime.GC(); Frees stays
// where it was until a sweep, then catches up with the Mallocs; NumGC counts the GC.
func TestHeapAllocCountsGarbageUntilAGCSweepsIt(t *testing.T) {
	exactly(t, func(errorf func(string, ...any)) {
		defer gcByHand()()
		var start, garbage, swept runtime.MemStats
		runtime.ReadMemStats(&start)
		for i := 0; i < 100; i++ {
			sinkBytes = make([]byte, 1<<20) // the one before becomes garbage
		}
		sinkBytes = nil
		runtime.ReadMemStats(&garbage)
		runtime.GC()
		runtime.ReadMemStats(&swept)

		block := sizeClass(1 << 20) // 1 MiB: whole pages
		if d := garbage.HeapAlloc - start.HeapAlloc; d != 100*block {
			errorf("before the GC: HeapAlloc grew by %d, expected all 100 blocks, %d", d, 100*block)
		}
		if d := garbage.Frees - start.Frees; d != 0 {
			errorf("before the GC: %d frees, expected 0: nothing is freed until a sweep", d)
		}
		if swept.HeapAlloc != start.HeapAlloc {
			errorf("after runtime.GC(): HeapAlloc %d, expected the start's %d", swept.HeapAlloc, start.HeapAlloc)
		}
		if d := swept.Frees - start.Frees; d != 100 {
			errorf("after runtime.GC(): %d frees, expected 100", d)
		}
		if d := swept.NumGC - start.NumGC; d != 1 {
			errorf("NumGC grew by %d, expected 1", d)
		}
	})
}

// The job under the same rules: after heavy's drop HeapAlloc still counts every record;
// after runtime.GC() only the survivors and the pointer slice.
func TestHeavysDropShowsInHeapAllocOnlyAfterAGC(t *testing.T) {
	n := 20000
	exactly(t, func(errorf func(string, ...any)) {
		defer gcByHand()()
		var start, built, dropped, swept runtime.MemStats
		runtime.ReadMemStats(&start)
		sinkHeavy = heavyBuild(n)
		runtime.ReadMemStats(&built)
		sinkHeavy = heavyDrop(sinkHeavy)
		runtime.ReadMemStats(&dropped)
		runtime.GC()
		runtime.ReadMemStats(&swept)

		all := uint64(n)*sizeClass(recordSize) + sizeClass(8*n)
		if d := built.HeapAlloc - start.HeapAlloc; d != all || built.Mallocs-start.Mallocs != uint64(n)+1 {
			errorf("built: HeapAlloc +%d, Mallocs +%d; expected +%d, +%d", d, built.Mallocs-start.Mallocs, all, n+1)
		}
		if dropped.HeapAlloc != built.HeapAlloc || dropped.Frees != built.Frees {
			errorf("dropped: HeapAlloc and Frees should not move before a GC: %d -> %d, %d -> %d",
				built.HeapAlloc, dropped.HeapAlloc, built.Frees, dropped.Frees)
		}
		live := uint64(kept(n))*sizeClass(recordSize) + sizeClass(8*n)
		if d := swept.HeapAlloc - start.HeapAlloc; d != live {
			errorf("after runtime.GC(): HeapAlloc +%d, expected the survivors and the slice, +%d", d, live)
		}
		if d := swept.Frees - start.Frees; d != uint64(n-kept(n)) {
			errorf("after runtime.GC(): %d frees, expected the %d dropped records", d, n-kept(n))
		}
	})
}

// runtime.MemStats has no high-water mark: a peak has to be sampled (or read from the
// kernel: VmHWM). tracemalloc and countalloc keep one; Go does not.
func TestMemStatsHasNoPeakField(t *testing.T) {
	typ := reflect.TypeOf(runtime.MemStats{})
	for i := 0; i < typ.NumField(); i++ {
		name := strings.ToLower(typ.Field(i).Name)
		for _, w := range []string{"peak", "max", "high"} {
			if strings.Contains(name, w) {
				t.Errorf("runtime.MemStats has a field %s", typ.Field(i).Name)
			}
		}
	}
}

// inUseFrom is what the heap profile shows live from function fn: objects and bytes.
func inUseFrom(fn string) (objects, bytes int64) {
	n, _ := runtime.MemProfile(nil, true)
	recs := make([]runtime.MemProfileRecord, n+100)
	n, _ = runtime.MemProfile(recs, true)
	for _, r := range recs[:n] {
		frames := runtime.CallersFrames(r.Stack())
		for {
			f, more := frames.Next()
			if strings.HasSuffix(f.Function, "."+fn) {
				objects += r.InUseObjects()
				bytes += r.InUseBytes()
				break
			}
			if !more {
				break
			}
		}
	}
	return objects, bytes
}

// A heap profile (pprof.WriteHeapProfile, go test -memprofile) is the heap as of the
// last completed GC: records allocated since are not in it yet, whatever MemStats says.
func TestAHeapProfileShowsTheHeapAsOfTheLastGC(t *testing.T) {
	n := 1000
	defer gcByHand()()
	before, _ := inUseFrom("heavyBuild")
	sinkHeavy = heavyBuild(n)
	notYet, _ := inUseFrom("heavyBuild")
	runtime.GC()
	after, bytes := inUseFrom("heavyBuild")
	if notYet != before {
		t.Errorf("before a GC the profile should not show the new records: %d objects, then %d", before, notYet)
	}
	if after-before != int64(n)+1 {
		t.Errorf("after runtime.GC(): %d more objects from heavyBuild, expected %d", after-before, n+1)
	}
	if want := int64(uint64(n)*sizeClass(recordSize) + sizeClass(8*n)); after == int64(n)+1 && bytes != want {
		t.Errorf("after runtime.GC(): %d bytes from heavyBuild, expected %d", bytes, want)
	}
	sinkHeavy = nil
}
