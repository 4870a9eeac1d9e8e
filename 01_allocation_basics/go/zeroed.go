package main

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strconv"
)

// zeroedBytes is what `go run . -zeroed` asks make for: past the runtime's small sizes,
// so the block is a span of pages of its own, as a big calloc is an mmap of its own.
const zeroedBytes = 64 << 20

var vmRSS = regexp.MustCompile(`VmRSS:\s+(\d+) kB`)

// residentBytes is the process's resident set, from /proc/self/status.
func residentBytes() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	m := vmRSS.FindSubmatch(status)
	if m == nil {
		return 0
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10
}

// zeroedGrowth makes a zeroed slice of n bytes and reports how much the resident set
// grew for the make, and then for a byte written in every page of it.
func zeroedGrowth(n int) (made, written int64) {
	before := residentBytes()
	sinkBytes = make([]byte, n)
	made = residentBytes() - before
	for i := 0; i < n; i += os.Getpagesize() {
		sinkBytes[i] = 1
	}
	written = residentBytes() - before - made
	sinkBytes = nil
	return made, written
}

// zeroed prints what `go run . -zeroed` shows: Go's make, like calloc, takes its big
// blocks zeroed from the kernel and writes nothing.
func zeroed() {
	const mib = 1 << 20
	made, written := zeroedGrowth(zeroedBytes)
	fmt.Printf("01_allocation_basics, Go twin (%s): a zeroed block of %d MiB, the resident set (VmRSS)\n",
		runtime.Version(), zeroedBytes/mib)
	fmt.Printf("  make([]byte, %d MiB)                 grew by %3d MiB\n", zeroedBytes/mib, (made+mib/2)/mib)
	fmt.Printf("  then a byte of every page written    grew by %3d MiB more\n", (written+mib/2)/mib)
}
