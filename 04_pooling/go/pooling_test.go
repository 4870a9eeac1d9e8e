package pooling

import (
	"runtime"
	"sync"
	"testing"
	"unsafe"

	"allocaware.local/measure"
)

func TestHeavyAndLightGiveTheSameResults(t *testing.T) {
	for _, n := range []uint64{0, 1, 13, 1000, 2500} {
		if h, l := heavyRequests(n), lightRequests(n); h != l {
			t.Errorf("requests(%d): heavy %#x, light %#x", n, h, l)
		}
		if h, l := heavyNodes(n), lightNodes(n); h != l {
			t.Errorf("nodes(%d): heavy %#x, light %#x", n, h, l)
		}
	}
}

func TestANodeIs64Bytes(t *testing.T) {
	if s := unsafe.Sizeof(node{}); s != 64 {
		t.Fatalf("node is %d bytes, want 64 as in pooling.h", s)
	}
}

// The jobs, 1,000 requests and 1,000 nodes per call: what `make run-04` counts in C.
func TestTheJobsAllocateAsTheCDoes(t *testing.T) {
	for _, c := range []struct {
		name          string
		f             func(uint64) uint64
		allocs, bytes uint64
	}{
		{"heavyRequests", heavyRequests, 1000, 1000 * requestBuf}, // one buffer per request
		{"lightRequests", lightRequests, 0, 0},                    // the pool is warm
		{"heavyNodes", heavyNodes, 1000, 1000 * 64},               // one object per node
		{"lightNodes", lightNodes, 1, 64 << 10},                   // 64,000 B, rounded up to 8 pages
	} {
		allocs, bytes := measure.PerRun(10, func() { c.f(1000) })
		t.Logf("%-14s(1000): %5d allocs %9d bytes", c.name, allocs, bytes)
		if allocs != c.allocs || bytes != c.bytes {
			t.Errorf("%s(1000): want %d allocs of %d bytes in all, got %d allocs, %d bytes",
				c.name, c.allocs, c.bytes, allocs, bytes)
		}
	}
}

// `_ = make([]byte, 1024)` looks like an allocation per op; escape analysis puts it on
// the stack. Only a package-level sink makes the benchmark measure what it says.
func TestWithAllocAllocatesOnlyWithASink(t *testing.T) {
	measure.WantPerOp(t, "WithAlloc", measure.Benchmark(t, "100000x", BenchmarkWithAlloc), 0, 0)
	measure.WantPerOp(t, "WithAllocSink", measure.Benchmark(t, "100000x", BenchmarkWithAllocSink), 1024, 1)
}

// Put(buf) with buf a []byte boxes its 24-byte header; a pointer goes in as it is. The
// benchmarks run 100,000 times: each run starts with a GC, which empties every
// sync.Pool's per-P slots, and refilling them costs about a kilobyte once per run, which
// 100,000 ops divide down to 0 B/op, as a timed -bench run does.
func TestAPoolOfSlicesAllocatesOnEveryPutAndAPoolOfPointersDoesNot(t *testing.T) {
	measure.WantPerOp(t, "WithPoolSlice", measure.Benchmark(t, "100000x", BenchmarkWithPoolSlice), 24, 1)
	measure.WantPerOp(t, "WithPool", measure.Benchmark(t, "100000x", BenchmarkWithPool), 0, 0)
	measure.WantPerOp(t, "WithPoolSlicePtr", measure.Benchmark(t, "100000x", BenchmarkWithPoolSlicePtr), 0, 0)
}

// sync.Pool since Go 1.13: a GC moves the pool's objects to a victim cache, which a Get
// still reaches; the next GC drops them. One P, so that Get looks where Put put.
func TestAnUnusedPoolObjectSurvivesOneGCAndIsDroppedAtTheSecond(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	made := 0
	p := sync.Pool{New: func() any { made++; return new([64]byte) }}

	obj := p.Get().(*[64]byte)
	p.Put(obj)
	runtime.GC()
	again := p.Get().(*[64]byte)
	t.Logf("Put, 1 GC, Get:  the same object: %v, objects made: %d", again == obj, made)
	if again != obj || made != 1 {
		t.Errorf("after one GC, want the object back (1 made), got same=%v, %d made", again == obj, made)
	}
	p.Put(again)
	runtime.GC()
	runtime.GC()
	third := p.Get().(*[64]byte)
	t.Logf("Put, 2 GCs, Get: the same object: %v, objects made: %d", third == obj, made)
	if third == obj || made != 2 {
		t.Errorf("after two GCs, want a new object (2 made), got same=%v, %d made", third == obj, made)
	}
}

// A Get hands back what the last user left: write before you read, or clear it.
func TestPoolObjectsComeBackDirty(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	p := sync.Pool{New: func() any { return new([64]byte) }}

	buf := p.Get().(*[64]byte)
	copy(buf[:], "secret")
	p.Put(buf)
	again := p.Get().(*[64]byte)
	t.Logf("Get after Put: %q", again[:6])
	if string(again[:6]) != "secret" {
		t.Errorf("want the last user's bytes back, got %q", again[:6])
	}
}

// counters.go: each goroutine owns its counter, packed or padded, plain or locked, so no
// add is lost; the padded pair sits 128 bytes apart, the packed pair 8.
func TestCountersCountEveryAddOfBothGoroutines(t *testing.T) {
	for _, padded := range []bool{false, true} {
		for _, locked := range []bool{false, true} {
			if got := countersRun(countersNew(padded), 100000, locked); got != 200000 {
				t.Errorf("padded %v, locked %v: %d adds counted, want 200000", padded, locked, got)
			}
		}
	}
	packed, padded := countersNew(false), countersNew(true)
	if d := uintptr(unsafe.Pointer(packed[1])) - uintptr(unsafe.Pointer(packed[0])); d != 8 {
		t.Errorf("packed counters are %d bytes apart, want 8", d)
	}
	if d := uintptr(unsafe.Pointer(padded[1])) - uintptr(unsafe.Pointer(padded[0])); d != 128 {
		t.Errorf("padded counters are %d bytes apart, want 128 (COUNTERS_PAD)", d)
	}
}
