// The Go twin's tests: every Go figure lesson 01's README states, pinned. Allocation
// counts and bytes come from runtime.MemStats, which counts every allocation, so they are
// exact; where a Go version changes a figure, the test says what each version does.
package main

import (
	"errors"
	"fmt"
	"go/build"
	"math/bits"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// goMinor is the minor version of the running Go: 19 for go1.19.8.
func goMinor(t *testing.T) int {
	v := strings.TrimPrefix(runtime.Version(), "go1.")
	if i := strings.IndexAny(v, ".-+ "); i >= 0 {
		v = v[:i]
	}
	m, err := strconv.Atoi(v)
	if err != nil {
		t.Skipf("not a release version: %s", runtime.Version())
	}
	return m
}

func wantCost(t *testing.T, what string, got cost, allocs, bytes uint64) {
	t.Helper()
	if got.allocs != allocs || got.bytes != bytes {
		t.Errorf("%s: expected %d allocations of %d bytes in all, saw %d of %d",
			what, allocs, bytes, got.allocs, got.bytes)
	}
}

func wantAllocs(t *testing.T, what string, got, want uint64) {
	t.Helper()
	if got != want {
		t.Errorf("%s: expected %d allocations, saw %d", what, want, got)
	}
}

// ---- the job: heavy and light ----

func TestHeavyAndLightCollectTheSameFields(t *testing.T) {
	text := makeInput(1000)
	h, err := heavyCollect(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	l, err := lightCollect(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if h.Users != l.Users || len(h.Bytes) != 1000 || len(l.Bytes) != 1000 {
		t.Fatalf("heavy: %d values, digest %x; light: %d values, digest %x",
			len(h.Bytes), h.Users, len(l.Bytes), l.Users)
	}
	for i := range h.Bytes {
		if h.Bytes[i] != bytesOf(i) || l.Bytes[i] != bytesOf(i) {
			t.Fatalf("line %d: heavy %d, light %d, expected %d", i, h.Bytes[i], l.Bytes[i], bytesOf(i))
		}
	}
}

// Per line, heavy makes ReadString's string, Clone's copy and a new array: 3, like
// heavy.c's getline, strndup and realloc. What a run costs beyond its lines (the reader
// and its buffer) is the cost of an empty input.
func TestHeavyMakesThreeAllocationsPerLine(t *testing.T) {
	for _, n := range []int{1, 10, 1000} {
		text := makeInput(n)
		per := measure(1, func() { sinkFields, _ = heavyCollect(strings.NewReader(text)) })
		none := measure(1, func() { sinkFields, _ = heavyCollect(strings.NewReader("")) })
		wantAllocs(t, strconv.Itoa(n)+" lines beyond an empty input", per.allocs-none.allocs, 3*uint64(n))
	}
}

// light reuses the Scanner's buffer and reads each field in place: beyond an empty
// input, only append's growth allocates, once per capacity it picks.
func TestLightAllocatesOnlyWhenAppendGrows(t *testing.T) {
	for _, n := range []int{1, 10, 1000, 10000} {
		text := makeInput(n)
		per := measure(1, func() { sinkFields, _ = lightCollect(strings.NewReader(text)) })
		none := measure(1, func() { sinkFields, _ = lightCollect(strings.NewReader("")) })
		wantAllocs(t, strconv.Itoa(n)+" lines beyond an empty input", per.allocs-none.allocs,
			uint64(len(appendCaps(n))))
	}
}

// ---- growing a slice ----

// append doubles the capacity while the slice is short (below 256 elements, Go 1.18's
// threshold, and once more at 256, to 512), then grows by a factor that starts near 1.66
// and falls toward 1.25; capacities are rounded up
// to the allocator's size classes. 1,000,000 appends: 38 allocations (Go 1.19 and 1.24
// alike), where C's doubling takes 1 + ceil(log2(n)) = 21.
func TestAppendDoublesUpTo512ElementsThenByAFactorFallingTo125(t *testing.T) {
	caps := appendCaps(1000000)
	if len(caps) != 38 {
		t.Errorf("1,000,000 appends: expected 38 capacities (allocations), saw %d: %v", len(caps), caps)
	}
	if c2 := 1 + bits.Len(uint(1000000-1)); c2 != 21 || len(caps) <= c2 {
		t.Errorf("doubling would take %d; append should take more than doubling", c2)
	}
	doubledTo, first, last := appendSteps(caps)
	if doubledTo != 512 {
		t.Errorf("append should double up to 512 elements (its last doubling is from 256), it doubled up to %d: %v", doubledTo, caps)
	}
	if first < 1.5 || first > 1.75 {
		t.Errorf("the first step past doubling should grow by about x1.66, it was x%.3f", first)
	}
	if last < 1.2 || last > 1.3 {
		t.Errorf("large slices should grow by about x1.25, the last step was x%.3f", last)
	}
	for i := 1; i < len(caps); i++ {
		if f := float64(caps[i]) / float64(caps[i-1]); caps[i-1] >= doubledTo && (f < 1.2 || f > first) {
			t.Errorf("past doubling each step should lie between x1.2 and the first step's x%.3f: %d after %d is x%.3f",
				first, caps[i], caps[i-1], f)
		}
	}
	got := allocsPerRun(1, func() { sinkInts = appendN(1000000) })
	wantAllocs(t, "1,000,000 appends", got, uint64(len(caps)))
}

// TotalAlloc counts each backing array at its size class: the capacities append chose,
// in bytes, except the first, a 1-element array of 8 bytes that comes out of the tiny
// allocator's 16-byte block.
func TestAppendsBytesAreTheSumOfItsCapacities(t *testing.T) {
	caps := appendCaps(1000000)
	var sum uint64
	for _, c := range caps {
		sum += 8 * uint64(c)
	}
	got := measure(1, func() { sinkInts = appendN(1000000) })
	wantCost(t, "1,000,000 appends", got, uint64(len(caps)), sum-8+16)
}

func TestReservingFirstMakesExactlyOneAllocation(t *testing.T) {
	for _, n := range []int{1, 1000, 1000000} {
		wantAllocs(t, "make([]int64, 0, n) then n appends", allocsPerRun(1, func() { sinkInts = reservedN(n) }), 1)
		if s := reservedN(n); cap(s) != n {
			t.Errorf("cap(make([]int64, 0, %d)) = %d: make gives exactly the capacity asked for", n, cap(s))
		}
	}
}

func TestGrowingByOneMakesOneAllocationPerAppend(t *testing.T) {
	wantAllocs(t, "1,000 appends by one", allocsPerRun(1, func() { sinkInts = byOneN(1000) }), 1000)
}

// cap(make([]byte, n)) is n, always; the size class shows in TotalAlloc (and B/op), and
// in the capacity append picks when it must allocate.
func TestMakeGivesTheCapacityAskedForAndTotalAllocTheSizeClass(t *testing.T) {
	for _, c := range []struct{ n, class int }{{1000, 1024}, {1025, 1152}, {33000, 40960}} {
		if got := cap(make([]byte, c.n)); got != c.n {
			t.Errorf("cap(make([]byte, %d)) = %d", c.n, got)
		}
		wantCost(t, "make([]byte, "+strconv.Itoa(c.n)+")", measure(10, func() { sinkBytes = make([]byte, c.n) }),
			1, uint64(c.class))
		if got := cap(append([]byte(nil), make([]byte, c.n)...)); got != c.class {
			t.Errorf("append of %d bytes to a nil slice: cap %d, expected the size class %d", c.n, got, c.class)
		}
	}
}

// ---- out of memory ----

// A failed allocation in Go is not a panic: the runtime prints "fatal error: out of
// memory" and exits with status 2, and no deferred function or recover runs. The child
// is this test binary under an address-space limit of 1 GiB, asked for 2 GiB.
func TestRealOutOfMemoryIsFatalAndRecoverNeverRuns(t *testing.T) {
	if os.Getenv("BASICS_OOM_CHILD") == "1" {
		lim := syscall.Rlimit{Cur: 1 << 30, Max: 1 << 30}
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
			t.Skip("setrlimit:", err)
		}
		defer func() { println("recovered:", recover() != nil) }()
		sinkBytes = make([]byte, 2<<30)
		println("allocated")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRealOutOfMemoryIsFatalAndRecoverNeverRuns$")
	cmd.Env = append(os.Environ(), "BASICS_OOM_CHILD=1")
	out, err := cmd.CombinedOutput()
	code := -1
	if e, ok := err.(*exec.ExitError); ok {
		code = e.ExitCode()
	}
	if code != 2 || !strings.Contains(string(out), "fatal error: out of memory") ||
		strings.Contains(string(out), "recovered") || strings.Contains(string(out), "allocated") {
		t.Errorf("expected 'fatal error: out of memory', exit status 2, no recover; saw status %d:\n%.400s",
			code, out)
	}
}

// An impossible length is caught before any allocation is tried: that one is a panic,
// and recover sees it.
func TestOnlyAnImpossibleLengthPanics(t *testing.T) {
	for _, n := range []int{-1, 1 << 62} {
		func() {
			defer func() {
				r := recover()
				if err, ok := r.(runtime.Error); !ok || !strings.Contains(err.Error(), "len out of range") {
					t.Errorf("make([]byte, %d): expected a runtime error 'len out of range', recovered %v", n, r)
				}
			}()
			sinkBytes = make([]byte, n)
		}()
	}
}

// ---- interface boxing ----

// A constant and the values 0-255 go into an interface without an allocation (the
// runtime points at static data); any other int needs a box of 8 bytes.
func TestBoxingAnIntAllocatesOnlyFrom256Up(t *testing.T) {
	wantCost(t, "var i any = 42", measure(100, func() { var i any = 42; sink = i }), 0, 0)
	for n := 0; n < 256; n++ {
		wantCost(t, "any("+strconv.Itoa(n)+")", measure(10, func() { sink = any(n) }), 0, 0)
	}
	for _, n := range []int{-1, 256, 300, 1 << 40} {
		wantCost(t, "any("+strconv.Itoa(n)+")", measure(10, func() { sink = any(n) }), 1, 8)
	}
}

// The boxing job: 0..n-1 in a []any is the slice (16 bytes per element) and a box of 8
// bytes for every value from 256 up; the same values in a []int64 are one allocation.
// Both slices are large objects: whole 8 KiB pages.
func TestBoxedValuesCostOneAllocationEachFrom256Up(t *testing.T) {
	n := 100000
	wantCost(t, "[]any of 0..n-1", measure(1, func() { sinkAnys = boxed(n) }),
		1+uint64(n-256), largeObject(16*uint64(n))+8*uint64(n-256))
	wantCost(t, "[]int64 of 0..n-1", measure(1, func() { sinkInts = values(n) }), 1, largeObject(8*uint64(n)))
}

// ---- escape to the heap ----

func TestNewStaysOnTheStackUnlessThePointerEscapes(t *testing.T) {
	wantCost(t, "new(T) kept local", measure(100, func() { sinkInt = newStays(3) }), 0, 0)
	wantCost(t, "new(T) returned", measure(100, func() { sinkPoint = newEscapes(3) }), 1, 16)
}

// runtime.KeepAlive is not a sink: the slice stays on the stack. A package variable is.
func TestKeepAliveDoesNotMakeAValueEscapeAPackageVariableDoes(t *testing.T) {
	wantCost(t, "_ = make([]byte, 1024)", measure(100, discarded), 0, 0)
	wantCost(t, "make([]byte, 1024) + runtime.KeepAlive", measure(100, keptAlive), 0, 0)
	wantCost(t, "make([]byte, 1024) stored in a package variable", measure(100, sunk), 1, 1024)
}

func TestPassingALargeStructAllocatesNothingEitherWay(t *testing.T) {
	var b Big
	wantCost(t, "f(b)", measure(100, func() { sinkInt = int(pickValue(b, 3)) }), 0, 0)
	wantCost(t, "f(&b)", measure(100, func() { sinkInt = int(pickPointer(&b, 3)) }), 0, 0)
}

// ---- strings and the quiet ones ----

func TestStringsCopyOnlyWhenAskedTo(t *testing.T) {
	s := "user000042,7919"
	wantCost(t, "strings.Clone(s) of 15 bytes", measure(100, func() { sinkString = strings.Clone(s) }), 1, 16)
	wantCost(t, "s[:10]", measure(100, func() { sinkString = s[:10] }), 0, 0)
	buf := make([]byte, 0, 32)
	wantCost(t, "strconv.AppendInt into a reused buffer",
		measure(100, func() { buf = strconv.AppendInt(buf[:0], 4200, 10) }), 0, 0)
}

// fmt.Sprintf makes the string; its int argument costs a box of its own from 256 up.
func TestSprintfAllocatesTheStringAndBoxesLargeArguments(t *testing.T) {
	for _, c := range []struct {
		id            int
		allocs, bytes uint64
	}{{42, 1, 16}, {4200, 2, 24}} {
		wantCost(t, "fmt.Sprintf(\"user%06d\", "+strconv.Itoa(c.id)+")",
			measure(100, func() { sinkString = fmt.Sprintf("user%06d", c.id) }), c.allocs, c.bytes)
	}
}

// The rows of main's "quiet ones" table, with the figures each Go version gives.
// sort.Ints converts the slice to sort.Interface (1 allocation, 24 bytes) up to Go 1.21;
// from Go 1.22 it calls slices.Sort and allocates nothing (measured: 1.19 and 1.24).
func TestTheQuietOnes(t *testing.T) {
	sortInts := cost{1, 24}
	if goMinor(t) >= 22 {
		sortInts = cost{0, 0}
	}
	want := map[string]cost{
		"bufio.NewReader(r)":  {3, 4224}, // the strings.Reader, the bufio.Reader, 4 KiB
		"bufio.NewWriter(w)":  {2, 4160}, // the bufio.Writer, 4 KiB
		"sort.Ints(100 ints)": sortInts,
	}
	for _, s := range sources() {
		if w, ok := want[s.call]; ok {
			wantCost(t, s.call, measure(100, s.fn), w.allocs, w.bytes)
		}
	}
}

// The slices package (slices.Sort) arrived in Go 1.21: Go 1.19 has none.
func TestSlicesPackageExistsFromGo121(t *testing.T) {
	_, err := build.Default.Import("slices", "", build.FindOnly)
	if has, want := err == nil, goMinor(t) >= 21; has != want {
		t.Errorf("%s: package slices present = %v, expected %v", runtime.Version(), has, want)
	}
}

// deep recurses n times with a 1 KiB frame and returns n + 1: the frames are real.
func deep(n int) int {
	var frame [1024]byte
	frame[n%len(frame)] = 1
	if n == 0 {
		return int(frame[0])
	}
	return deep(n-1) + int(frame[n%len(frame)])
}

// A goroutine starts with a small stack that the runtime grows (by moving it) as calls
// nest. 100,000 frames of 1 KiB need about 100 MiB, far past the 8 MiB a C thread gets
// by default (make stack-01), and run. The limit is runtime/debug.SetMaxStack's (1 GB on
// 64-bit); past it the program ends with "fatal error: stack overflow", which a child
// process with a 1 MiB limit shows.
func TestAGoroutinesStackGrowsFarPastACThreadsDefault(t *testing.T) {
	const n = 100000
	if os.Getenv("STACK_CHILD") == "1" {
		debug.SetMaxStack(1 << 20)
		fmt.Println(deep(n))
		return
	}
	done := make(chan int)
	go func() { done <- deep(n) }()
	if got := <-done; got != n+1 {
		t.Errorf("deep(%d) = %d, expected %d", n, got, n+1)
	}
	if limit := debug.SetMaxStack(1e9); limit != 1e9 {
		t.Errorf("the default stack limit is %d bytes, expected 1,000,000,000", limit)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAGoroutinesStackGrowsFarPastACThreadsDefault$")
	cmd.Env = append(os.Environ(), "STACK_CHILD=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "fatal error: stack overflow") {
		t.Errorf("past its limit a goroutine's stack should end the program with exit status 2 and "+
			"\"fatal error: stack overflow\"; saw %v:\n%.300s", err, out)
	}
}

// ---- a record and its name (C: onealloc.h) ----

// The name is made at run time, so string(b) and make([]byte, len(b)) cannot be static
// data; each record goes to a package variable, so it escapes to the heap.
func TestAStructWithAStringOrSliceFieldIsTwoAllocations(t *testing.T) {
	for _, name := range []string{"alice", strings.Repeat("x", 24), strings.Repeat("x", 100)} {
		b := []byte(name)
		wantAllocs(t, "&recString{name: string(b)}, a name of "+strconv.Itoa(len(b))+" bytes",
			allocsPerRun(100, func() { sinkRecString = newRecString(1, b) }), 2)
		wantAllocs(t, "&recBytes{name: a copy of b}, a name of "+strconv.Itoa(len(b))+" bytes",
			allocsPerRun(100, func() { sinkRecBytes = newRecBytes(1, b) }), 2)
		if sinkRecString.name != name || string(sinkRecBytes.name) != name {
			t.Errorf("the records hold %q and %q, want %q", sinkRecString.name, sinkRecBytes.name, name)
		}
	}
}

func TestAStructWithAnInlineArrayIsOneAllocation(t *testing.T) {
	for _, name := range []string{"alice", strings.Repeat("x", 24)} {
		b := []byte(name)
		wantAllocs(t, "&recInline{} with the name copied in, a name of "+strconv.Itoa(len(b))+" bytes",
			allocsPerRun(100, func() { sinkRecInline = newRecInline(1, b) }), 1)
		if got := string(sinkRecInline.name[:sinkRecInline.n]); got != name {
			t.Errorf("the record holds %q, want %q", got, name)
		}
	}
}

// As calloc does in C (01's calloc against malloc + memset): a big make is zeroed pages
// from the kernel, which cost no memory until they are written. The child is this test
// binary, started afresh: in a process whose heap already holds freed pages, make reuses
// and clears them instead.
func TestABigMakeTakesNoMemoryUntilItIsWritten(t *testing.T) {
	if os.Getenv("BASICS_ZEROED_CHILD") == "1" {
		made, written := zeroedGrowth(zeroedBytes)
		fmt.Printf("made=%d written=%d\n", made, written)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestABigMakeTakesNoMemoryUntilItIsWritten$")
	cmd.Env = append(os.Environ(), "BASICS_ZEROED_CHILD=1")
	out, err := cmd.CombinedOutput()
	var made, written int64
	if _, serr := fmt.Sscanf(string(out), "made=%d written=%d", &made, &written); err != nil || serr != nil {
		t.Fatalf("the child failed (%v, %v):\n%.400s", err, serr, out)
	}
	if made >= 16<<20 {
		t.Errorf("make([]byte, 64 MiB) grew the resident set by %d bytes, expected under 16 MiB: nothing written", made)
	}
	if written < 60<<20 {
		t.Errorf("writing a byte of every page grew it by only %d bytes, expected at least 60 MiB", written)
	}
}

// ---- reference cycles (C: refcount.h) ----

// Go counts no references: dropping the last pointer frees nothing, and the next
// collection frees what it cannot reach, a cycle included. n + 2 objects: the nodes and
// the parent's array of n pointers.
func TestTheCollectorFreesATreeAndACycleAlikeAtTheNextGCNotAtTheDrop(t *testing.T) {
	for _, n := range []int{1, 8, 100} {
		for _, back := range []bool{false, true} {
			// nothing allocated between the runs: the garbage would be freed inside the next
			s := rcCollect(n, back, false)
			want := int64(n + 2)
			if s.built != want || s.dropped != want {
				t.Errorf("%d children, pointing back: %v: expected %d objects built and still there "+
					"after the drop, saw %d and %d", n, back, want, s.built, s.dropped)
			}
			if s.gc1 != 0 || s.gc2 != 0 {
				t.Errorf("%d children, pointing back: %v: expected runtime.GC() to free every object, "+
					"%d and %d left", n, back, s.gc1, s.gc2)
			}
		}
	}
}

// A finalizer keeps its object, and what it points at, for one more collection: the
// first queues the finalizer, which may store the object anywhere, the second frees it.
func TestAFinalizerOnATreesRootRunsAndItsObjectsGoAtTheSecondGC(t *testing.T) {
	s := rcCollect(8, false, true)
	if s.gc1 != 10 || s.gc2 != 0 || s.finalized != 1 {
		t.Errorf("expected 10 objects kept by the first GC, 0 after the second, 1 finalizer run; "+
			"saw %d, %d and %d", s.gc1, s.gc2, s.finalized)
	}
}

// runtime.SetFinalizer's documentation: "If a cyclic structure includes a block with a
// finalizer, that cycle is not guaranteed to be garbage collected and the finalizer is not
// guaranteed to run". Measured on Go 1.19 and 1.24: it is never collected, and the
// finalizer never runs; the same cycle without it is collected (the test above).
func TestACycleWithAFinalizerIsNeverCollectedAndItsFinalizerNeverRuns(t *testing.T) {
	for _, n := range []int{1, 8} {
		s := rcCollect(n, true, true)
		want := int64(n + 2)
		if s.gc1 != want || s.gc2 != want || s.finalized != 0 {
			t.Errorf("%d children: expected all %d objects kept through two GCs and no finalizer run; "+
				"saw %d and %d objects, %d finalizers", n, want, s.gc1, s.gc2, s.finalized)
		}
	}
}

// cleanup.go: deferred calls run last first, as a goto ladder's labels do.
func TestDeferredCallsRunLastFirst(t *testing.T) {
	got := deferOrder()
	want := []string{"release 3 (deferred last)", "release 2", "release 1 (deferred first)"}
	if len(got) != len(want) {
		t.Fatalf("ran %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("call %d: %q, want %q", i+1, got[i], want[i])
		}
	}
}

// A defer costs no allocation: one in the body, or 8 from a loop.
func TestADeferAllocatesNothing(t *testing.T) {
	wantAllocs(t, "withDefer (one defer in the body)", allocsPerRun(100, withDefer), 0)
	wantAllocs(t, "deferInLoop(8)", allocsPerRun(100, func() { deferInLoop(8) }), 0)
	if cleanupCount != 0 {
		t.Errorf("the deferred calls ran %d times too few", cleanupCount)
	}
}
