package benchmem

import (
	"bytes"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"allocaware.local/measure"
)

// The first line is the one `make run-03` prints as its example: the Go twin formats the
// same records into the same bytes as heavy.c and light.c.
func TestAllThreeFormattersWriteTheSameLinesAsTheC(t *testing.T) {
	var heavy, fprintf, light bytes.Buffer
	if err := heavyFormat(&heavy, recs); err != nil {
		t.Fatal(err)
	}
	if err := fprintfFormat(&fprintf, recs); err != nil {
		t.Fatal(err)
	}
	if err := lightFormat(&light, recs); err != nil {
		t.Fatal(err)
	}
	if heavy.String() != light.String() || fprintf.String() != light.String() {
		t.Fatalf("the formatters disagree: %d, %d and %d bytes", heavy.Len(), fprintf.Len(), light.Len())
	}
	first, _, _ := strings.Cut(light.String(), "\n")
	if want := "order=100000 user=ken qty=6 price=346.51"; first != want {
		t.Errorf("first line %q, want %q (03_benchmem/main's example)", first, want)
	}
}

// Whole jobs, 1,000 records per call.
func TestSprintfAllocatesPerRecordAndAppendOncePerCall(t *testing.T) {
	d := newDigest()
	for _, c := range []struct {
		name   string
		f      func() error
		allocs uint64
	}{
		// a string per record, id and user boxed always, the dollars when 256 or more
		{"heavyFormat (Sprintf)", func() error { return heavyFormat(d, recs) }, 3750},
		// the same boxing; the buffer itself and its first 64 bytes once per call
		{"fprintfFormat (Fprintf)", func() error { return fprintfFormat(d, recs) }, 2752},
		// the 128-byte buffer, once per call
		{"lightFormat (Append)", func() error { return lightFormat(d, recs) }, 1},
	} {
		allocs, bytes := measure.PerRun(10, func() { c.f() })
		t.Logf("%-24s %5d allocs %6d bytes per 1,000 records", c.name, allocs, bytes)
		if allocs != c.allocs {
			t.Errorf("%s: want %d allocations per 1,000 records, got %d", c.name, c.allocs, allocs)
		}
	}
}

// line keeps Sprintf's result, so that the call is not optimised away.
var line string

// One record whose three numbers box (id, and a price of 346 dollars): a reused
// bytes.Buffer still costs Fprintf 3 allocations; strconv.Append* costs none.
func TestFprintfIntoAReusedBufferStillAllocatesAndAppendDoesNot(t *testing.T) {
	r := &recs[0]
	var buf bytes.Buffer
	out := make([]byte, 0, 128)
	fmt.Fprintf(&buf, format, r.id, r.user, r.qty, r.cents/100, r.cents%100)

	sprintf := testing.AllocsPerRun(100, func() {
		line = fmt.Sprintf(format, r.id, r.user, r.qty, r.cents/100, r.cents%100)
	})
	fprintf := testing.AllocsPerRun(100, func() {
		buf.Reset()
		fmt.Fprintf(&buf, format, r.id, r.user, r.qty, r.cents/100, r.cents%100)
	})
	appended := testing.AllocsPerRun(100, func() { out = appendRecord(out[:0], r) })
	t.Logf("Sprintf, a new string:         %v allocs", sprintf)
	t.Logf("Fprintf into a reused Buffer:  %v allocs", fprintf)
	t.Logf("strconv.Append* into a []byte: %v allocs", appended)
	if sprintf != 4 || fprintf != 3 || appended != 0 {
		t.Errorf("want 4, 3 and 0 allocations, got %v, %v and %v", sprintf, fprintf, appended)
	}
}

// `_ = make([]byte, 1024)` and runtime.KeepAlive leave the slice on the stack; only a
// package-level sink makes the benchmark allocate what it claims to measure.
func TestOnlyASinkMakesTheBenchmarkAllocate(t *testing.T) {
	measure.WantPerOp(t, "MakeNoSink", measure.Benchmark(t, "100000x", BenchmarkMakeNoSink), 0, 0)
	measure.WantPerOp(t, "MakeKeepAlive", measure.Benchmark(t, "100000x", BenchmarkMakeKeepAlive), 0, 0)
	measure.WantPerOp(t, "MakeSink", measure.Benchmark(t, "100000x", BenchmarkMakeSink), 1024, 1)
}

// The same 160 B/op, in ten allocations or one.
func TestBOpCannotTellTenAllocationsFromOne(t *testing.T) {
	measure.WantPerOp(t, "Alloc10x16B", measure.Benchmark(t, "10000x", BenchmarkAlloc10x16B), 160, 10)
	measure.WantPerOp(t, "Alloc1x160B", measure.Benchmark(t, "10000x", BenchmarkAlloc1x160B), 160, 1)
}

// -benchtime 1x runs the body once, with b.N = 1, and reports that run: the first call
// of the process, warm-up cost and all. The next run of the same benchmark pays nothing.
func TestBenchtime1xReportsTheFirstCall(t *testing.T) {
	// One P and no GC while measuring: a single op has no others to average the
	// runtime's own stray allocations away.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	out = nil // as in a fresh process
	measure.WantPerOp(t, "FirstWrite (1st)", measure.Benchmark(t, "1x", BenchmarkFirstWrite), 4160, 2)
	// Every later call is the same; the runtime only ever adds, so the least of three
	// is the code's own.
	second := measure.Benchmark(t, "1x", BenchmarkFirstWrite)
	for try := 0; try < 2; try++ {
		if r := measure.Benchmark(t, "1x", BenchmarkFirstWrite); r.MemAllocs < second.MemAllocs {
			second = r
		}
	}
	measure.WantPerOp(t, "FirstWrite (2nd)", second, 0, 0)
}

// Setup inside the timer shows in the per-op figures, and they change with b.N.
func TestSetupInTheTimerChangesThePerOpFiguresWithN(t *testing.T) {
	in100 := measure.Benchmark(t, "100x", BenchmarkSetupInTimer)
	in10k := measure.Benchmark(t, "10000x", BenchmarkSetupInTimer)
	out100 := measure.Benchmark(t, "100x", BenchmarkSetupOutsideTimer)
	out10k := measure.Benchmark(t, "10000x", BenchmarkSetupOutsideTimer)
	for _, c := range []struct {
		name string
		r    testing.BenchmarkResult
	}{{"SetupInTimer 100x", in100}, {"SetupInTimer 10000x", in10k},
		{"SetupOutsideTimer 100x", out100}, {"SetupOutsideTimer 10000x", out10k}} {
		t.Logf("%-24s %4d allocs/op", c.name, c.r.AllocsPerOp())
	}
	// 1,001 setup allocations over 100 ops add 10 per op; over 10,000 ops, 0
	if in100.AllocsPerOp() != out100.AllocsPerOp()+10 || in10k.AllocsPerOp() != out10k.AllocsPerOp() {
		t.Errorf("want the setup to add 10 allocs/op at 100x and 0 at 10000x")
	}
}

// boxed is an interface that outlives every call, as fmt's arguments do: what goes into
// it must live on the heap unless the runtime has a copy already.
var boxed any

// Variables, not constants, so that the compiler cannot box them at build time.
var (
	smallInt, largeInt = 255, 256
	zeroFloat, half    = 0.0, 1.5
	emptyStr, userStr  = "", "ken"
	nilSlice           []byte
	zeroTriple         struct{ a, b, c int }
)

// Which values go into an interface without an allocation (Go 1.19): a pointer and a
// constant, and the runtime's shortcuts for small integers and for the zero values of
// 8-byte numbers, strings and slices. A zero struct gets no shortcut.
func TestWhatBoxesIntoAnInterface(t *testing.T) {
	r := &recs[0]
	for _, c := range []struct {
		name   string
		f      func()
		allocs float64
	}{
		{"a pointer", func() { boxed = r }, 0},
		{"a constant, 1000", func() { boxed = 1000 }, 0},
		{"an int, 255", func() { boxed = smallInt }, 0},
		{"an int, 256", func() { boxed = largeInt }, 1},
		{"a float64, 0", func() { boxed = zeroFloat }, 0},
		{"a float64, 1.5", func() { boxed = half }, 1},
		{`a string, ""`, func() { boxed = emptyStr }, 0},
		{`a string, "ken"`, func() { boxed = userStr }, 1},
		{"a nil []byte", func() { boxed = nilSlice }, 0},
		{"a zero struct{ a, b, c int }", func() { boxed = zeroTriple }, 1},
	} {
		got := testing.AllocsPerRun(100, c.f)
		t.Logf("%-30s %v allocs", c.name, got)
		if got != c.allocs {
			t.Errorf("%s: want %v allocations, got %v", c.name, c.allocs, got)
		}
	}
}

// testing.AllocsPerRun calls f once to warm up, then divides the allocations of `runs`
// calls as integers: the average is rounded down, so one allocation every other call
// reads 0, and only a whole allocation per call reads 1. countalloc_allocs_per_run
// does the same (common/test_countalloc.c, rounds_the_average_down_as_go_does).
func TestAllocsPerRunRoundsTheAverageDown(t *testing.T) {
	calls := 0
	everyOther := func() {
		if calls%2 == 0 {
			sink = make([]byte, 8)
		}
		calls++
	}
	// the warm-up is call 0 (allocates); the 4 runs allocate on calls 2 and 4: 2/4
	if got := testing.AllocsPerRun(4, everyOther); got != 0 {
		t.Errorf("one allocation every other call over 4 runs: AllocsPerRun = %v, want 0", got)
	}
	calls = 1
	// the warm-up is call 1 (none); the 5 runs allocate on calls 2, 4 and 6: 3/5
	if got := testing.AllocsPerRun(5, everyOther); got != 0 {
		t.Errorf("three allocations over 5 runs: AllocsPerRun = %v, want 0", got)
	}
	calls = 1
	// the warm-up is call 1 (none); the one run, call 2, allocates: 1/1
	if got := testing.AllocsPerRun(1, everyOther); got != 1 {
		t.Errorf("one allocation in one run: AllocsPerRun = %v, want 1", got)
	}
	every := func() { sink = make([]byte, 8) }
	if got := testing.AllocsPerRun(100, every); got != 1 {
		t.Errorf("one allocation per call: AllocsPerRun = %v, want 1", got)
	}
}
