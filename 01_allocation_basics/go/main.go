// The Go twin of lesson 01: `go run .` prints what each of Go's allocation sources costs,
// measured with runtime.ReadMemStats (allocations and bytes, exact); basics_test.go pins
// every figure, and bench_test.go times the pairs (go test -bench . -benchmem).
// `go run . -oom` runs out of memory for real, under an address-space limit; `go run .
// -zeroed` shows what a big zeroed make costs in memory before and after it is written;
// `go run . -refcycle` when the collector frees a cycle, and the one it never frees;
// `go run . -matrix` a 2-D array made three ways; `go run . -uninit` a padded struct, what
// encoding/binary writes of it, and make's bytes, zeroed; `go run . -factor` the arrays a
// growing slice leaves to the collector (-factor-reuse: whether a later one reuses their
// space); `go run . -grow` what one append past a big slice's capacity writes; `go run .
// -faults` the page faults of a request loop with a 64 MiB buffer made, dropped or kept;
// `go run . -secret` the copies of a secret left in the process after each step.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

const (
	growN = 1000000 // appends, as make run-01
	byOne = 1000    // appends grown by one: n^2/2 elements copied, so far fewer
	boxN  = 1000000 // values boxed, as make run-01
	lines = 1000    // lines collected (heavy grows its slice by one per line)
)

// commas writes n with thousands separators, as the C programs print counts.
func commas(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func row(name string, c cost, note string) {
	fmt.Printf("  %-38s %9s %12s  %s\n", name, commas(c.allocs), commas(c.bytes), note)
}

func header(title string) {
	fmt.Printf("\n%s\n  %-38s %9s %12s\n", title, "", "allocs", "bytes")
}

// outOfMemory asks for 2 GiB under a 1 GiB address-space limit. The runtime cannot
// get the memory: it prints "fatal error: out of memory" and exits with status 2. The
// deferred recover never runs; nor would any other deferred function.
func outOfMemory() {
	lim := syscall.Rlimit{Cur: 1 << 30, Max: 1 << 30}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		fmt.Fprintln(os.Stderr, "01_allocation_basics: setrlimit:", err)
		os.Exit(1)
	}
	defer func() { fmt.Println("recovered:", recover()) }()
	sinkBytes = make([]byte, 2<<30)
	fmt.Println("allocated 2 GiB")
}

func main() {
	switch {
	case len(os.Args) == 2 && os.Args[1] == "-oom":
		outOfMemory()
		return
	case len(os.Args) == 2 && os.Args[1] == "-zeroed":
		zeroed()
		return
	case len(os.Args) == 2 && os.Args[1] == "-refcycle":
		refcycle()
		return
	case len(os.Args) == 2 && os.Args[1] == "-cleanup":
		cleanup()
		return
	case len(os.Args) == 2 && os.Args[1] == "-matrix":
		matrix()
		return
	case len(os.Args) == 2 && os.Args[1] == "-uninit":
		uninit()
		return
	case len(os.Args) == 2 && os.Args[1] == "-factor":
		factor()
		return
	case len(os.Args) == 2 && os.Args[1] == "-factor-reuse":
		factorReuse()
		return
	case len(os.Args) == 2 && os.Args[1] == "-grow":
		regrow()
		return
	case len(os.Args) == 2 && os.Args[1] == "-secret":
		secret()
		return
	case len(os.Args) == 3 && os.Args[1] == "-secret-case":
		k, err := strconv.Atoi(os.Args[2])
		if err != nil || k < 0 || k >= len(secretCases) {
			fmt.Fprintf(os.Stderr, "01_allocation_basics: -secret-case: expected 0 to %d, got %q\n", len(secretCases)-1, os.Args[2])
			os.Exit(2)
		}
		secretCaseLines(k)
		return
	case len(os.Args) == 2 && os.Args[1] == "-faults":
		faultsDemo()
		return
	case len(os.Args) == 3 && os.Args[1] == "-faults-way":
		way, err := strconv.Atoi(os.Args[2])
		if err != nil || way < int(faultsDropped) || way > int(faultsKept) {
			fmt.Fprintf(os.Stderr, "01_allocation_basics: -faults-way: expected 0 to %d, got %q\n", faultsKept, os.Args[2])
			os.Exit(2)
		}
		faultsChildLine(faultsWay(way))
		return
	case len(os.Args) > 1:
		fmt.Fprintf(os.Stderr, "01_allocation_basics: %s: expected no argument, -oom, -zeroed, -refcycle, -cleanup, -matrix, -uninit, -factor, -factor-reuse, -grow, -faults or -secret\n", os.Args[1])
		os.Exit(2)
	}
	fmt.Printf("01_allocation_basics, Go twin (%s): allocations per call, runtime.ReadMemStats\n",
		runtime.Version())

	header("growing a slice of int64 (C: vec_push)")
	doubledTo, first, last := appendSteps(appendCaps(growN))
	row("append, "+commas(growN)+" times", measure(1, func() { sinkInts = appendN(growN) }),
		fmt.Sprintf("x2 up to %d elements, then x%.2f falling to x%.2f", doubledTo, first, last))
	row("make([]int64, 0, n), then n appends",
		measure(1, func() { sinkInts = reservedN(growN) }), "reserved: one")
	row("grown by one, "+commas(byOne)+" times", measure(1, func() { sinkInts = byOneN(byOne) }),
		"make(len+1) and copy: C's realloc to len + 1")

	header("boxing: 0..n-1 in a []any (C: box_sum_boxed)")
	row("[]any of "+commas(boxN)+" ints", measure(1, func() { sinkAnys = boxed(boxN) }),
		"the slice, and a box for each value from 256 up")
	row("[]int64 of "+commas(boxN)+" ints", measure(1, func() { sinkInts = values(boxN) }),
		"the values in one array")
	small, large := 42, 300
	row("var i any = 42", measure(100, func() { var i any = 42; sink = i }), "a constant: static data")
	row("any(n), n = 42", measure(100, func() { sink = any(small) }), "0-255: the runtime's static table")
	row("any(n), n = 300", measure(100, func() { sink = any(large) }), "a box of 8 bytes")

	header("escape to the heap (go build -gcflags=-m)")
	row("p := new(T), p stays local", measure(100, func() { sinkInt = newStays(3) }), "stays on the stack")
	row("p := new(T); return p", measure(100, func() { sinkPoint = newEscapes(3) }), "moved to the heap")
	row("_ = make([]byte, 1024)", measure(100, discarded), "stack: nothing keeps it")
	row("make([]byte, 1024) + KeepAlive", measure(100, keptAlive), "stack: KeepAlive does not make it escape")
	row("make([]byte, 1024), stored in a global", measure(100, sunk), "heap: a package variable keeps it")
	var b Big
	row("f(b), b a 1 KiB struct", measure(100, func() { _ = pickValue(b, 3) }), "copies 1 KiB, allocates nothing")
	row("f(&b)", measure(100, func() { _ = pickPointer(&b, 3) }), "passes 8 bytes")

	header("the quiet ones, one call each (C: the hidden allocations)")
	for _, s := range sources() {
		row(s.call, measure(100, s.fn), s.note)
	}

	text := makeInput(lines)
	header("collecting fields: " + commas(lines) + " lines \"user,bytes\" (C: heavy.c, light.c)")
	row("heavy: ReadString, Clone, by one", measure(1, func() { sinkFields, _ = heavyCollect(strings.NewReader(text)) }),
		"3 per line")
	row("light: Scanner, subslice, append", measure(1, func() { sinkFields, _ = lightCollect(strings.NewReader(text)) }),
		"the Scanner, its buffer, append's growth")
}
