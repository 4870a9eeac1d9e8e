// Aligned blocks on Go's heap: the Go side of make aligned-02. Go's allocator takes no
// alignment: new(T) and make give a block of T's size class, and a class's objects sit
// back to back in spans that start on a page, so each address is a multiple of the
// class's lowest set bit (16 for 48 bytes, 64 for 64). More, by hand: a larger []byte,
// sliced at the first aligned offset.
package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"unsafe"
)

// sizeClass is the block the heap gives a request of n bytes, read from the capacity
// append picks (append rounds up to the size class; make does not).
func sizeClass(n int) uint64 { return uint64(cap(append([]byte(nil), make([]byte, n)...))) }

// lowBit is the largest power of two that divides x.
func lowBit(x uint64) uint64 { return x & -x }

// keptAligned holds the objects alignSeen makes, so each new(T) is a heap block.
var keptAligned []unsafe.Pointer

// alignSeen makes n objects with new(T), kept alive, and returns the largest power of two
// that divides every address: the alignment they all have.
func alignSeen[T any](n int) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	keptAligned = make([]unsafe.Pointer, n)
	defer func() { keptAligned = nil }()
	var bits uint64
	for i := range keptAligned {
		p := new(T)
		keptAligned[i] = unsafe.Pointer(p)
		bits |= uint64(uintptr(unsafe.Pointer(p)))
	}
	return lowBit(bits)
}

// alignedBytes returns n bytes at a multiple of align (a power of two): one
// make([]byte, n+align-1), sliced at the first aligned offset. The slice points inside
// the block, which keeps the whole block alive; its capacity ends at n, so an append
// cannot write past it.
func alignedBytes(n, align int) []byte {
	buf := make([]byte, n+align-1)
	off := int(-uintptr(unsafe.Pointer(&buf[0])) & uintptr(align-1))
	return buf[off : off+n : off+n]
}

// alignedRow is one line of the table: a type's size, its class, the alignment seen.
type alignedRow struct {
	name  string
	size  uintptr
	align uint64
}

func alignedRows(n int) []alignedRow {
	return []alignedRow{
		{"[8]byte", unsafe.Sizeof([8]byte{}), alignSeen[[8]byte](n)},
		{"[24]byte", unsafe.Sizeof([24]byte{}), alignSeen[[24]byte](n)},
		{"[48]byte", unsafe.Sizeof([48]byte{}), alignSeen[[48]byte](n)},
		{"[64]byte", unsafe.Sizeof([64]byte{}), alignSeen[[64]byte](n)},
		{"[96]byte", unsafe.Sizeof([96]byte{}), alignSeen[[96]byte](n)},
		{"[4096]byte", unsafe.Sizeof([4096]byte{}), alignSeen[[4096]byte](n)},
	}
}

var sinkAligned []byte

// alignedTable prints the alignment of each type's objects, then alignedBytes' cost.
func alignedTable(n int) {
	fmt.Printf("02_memstats, Go twin (%s): the alignment of new(T), %s objects of each kept alive\n",
		runtime.Version(), commas(uint64(n)))
	fmt.Printf("  %-11s %6s %11s %18s\n", "T", "size", "size class", "every address at")
	for _, r := range alignedRows(n) {
		fmt.Printf("  %-11s %4d B %9d B  a multiple of %4d\n", r.name, r.size, sizeClass(int(r.size)), r.align)
	}
	fmt.Println("by hand: make([]byte, n+align-1), sliced at the first aligned offset")
	for _, c := range []struct{ n, align int }{{64, 64}, {64, 4096}, {1024, 64}} {
		cost := perObject(100, func(int) { sinkAligned = alignedBytes(c.n, c.align) })
		b := alignedBytes(c.n, c.align)
		fmt.Printf("  alignedBytes(%d, %d): aligned: %v, %.0f allocation of %.0f B (the class of %d B)\n",
			c.n, c.align, uint64(uintptr(unsafe.Pointer(&b[0])))%uint64(c.align) == 0, cost.allocs,
			cost.bytes, c.n+c.align-1)
	}
	sinkAligned = nil
}
