// Escape analysis, one decision per function: `go build -gcflags=-m` (tools/go.sh
// 01_allocation_basics escape) prints where each value lives, and basics_test.go counts
// the allocations that follow from it.
package main

import "runtime"

type point struct{ x, y int }

// newStays: new(T) whose pointer never leaves the function lives on the stack.
func newStays(x int) int {
	p := new(point)
	p.x, p.y = x, x+1
	return p.x + p.y
}

// newEscapes: the pointer is returned, so the compiler moves the point to the heap.
//
//go:noinline
func newEscapes(x int) *point {
	p := new(point)
	p.x, p.y = x, x+1
	return p
}

// discarded: the body of a benchmark that measures nothing. The slice is never used,
// so it never leaves the stack (the compiler may drop it altogether).
func discarded() {
	_ = make([]byte, 1024)
}

// keptAlive: runtime.KeepAlive keeps a value reachable until that point; it does not
// move it to the heap. The slice stays on the stack.
func keptAlive() {
	b := make([]byte, 1024)
	b[0] = 1
	runtime.KeepAlive(b)
}

// sunk: stored in a package variable, the slice must outlive the call: heap.
func sunk() {
	b := make([]byte, 1024)
	b[0] = 1
	sinkBytes = b
}

// Big is 1 KiB, big.h's struct big.
type Big struct{ A [128]int64 }

// pickValue copies all 1,024 bytes onto its stack on every call; no allocation.
//
//go:noinline
func pickValue(b Big, i int) int64 { return b.A[i%128] }

// pickPointer passes 8 bytes; no allocation either.
//
//go:noinline
func pickPointer(b *Big, i int) int64 { return b.A[i%128] }
