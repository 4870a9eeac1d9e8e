package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"runtime"
	"unsafe"
)

// record is lesson 01's struct uninit_rec (uninit.h): a byte, an int64 and an int16, laid
// out by the compiler with the same alignment as C's.
type record struct {
	Tag   byte
	Value int64
	Kind  int16
}

// uninitSizes are the lengths `go run . -uninit` makes dirty and then fresh: a small size
// class, one past a page, and a large object (past 32 KiB: a span of its own).
var uninitSizes = []int{24, 4097, 1 << 16}

// uninitRounds is how many times each size is made dirty, dropped, and made again.
const uninitRounds = 10

// uninitBatch is how many slices each round makes dirty, and then fresh: enough to fill
// whole spans, so that the fresh ones can land where the dirty ones were.
const uninitBatch = 64

// freshAfterDirty fills uninitBatch slices of n bytes with 0xFF, drops them, collects them
// (runtime.GC, so that their memory can be handed out again), then makes uninitBatch new
// slices of n bytes: the count of bytes in them that are not 0, and how many took an
// address a dirty slice had.
func freshAfterDirty(n int) (nonzero, reused int) {
	dirty := make([][]byte, uninitBatch)
	was := make(map[uintptr]bool, uninitBatch)
	for i := range dirty {
		dirty[i] = make([]byte, n)
		for j := range dirty[i] {
			dirty[i][j] = 0xFF
		}
		was[uintptr(unsafe.Pointer(&dirty[i][0]))] = true
	}
	dirty = nil
	runtime.GC()
	fresh := make([][]byte, uninitBatch)
	for i := range fresh {
		fresh[i] = make([]byte, n)
		for _, b := range fresh[i] {
			if b != 0 {
				nonzero++
			}
		}
		if was[uintptr(unsafe.Pointer(&fresh[i][0]))] {
			reused++
		}
	}
	return nonzero, reused
}

// packed is what encoding/binary writes for r: the fields one after another, no padding.
func packed(r record) []byte {
	var buf bytes.Buffer
	if err := binary.Write(&buf, binary.LittleEndian, r); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// uninit prints what `go run . -uninit` shows: Go pads the struct as C does, writes only
// its fields through encoding/binary, and hands out every allocation zeroed.
func uninit() {
	var r record
	fmt.Printf("01_allocation_basics, Go twin (%s): struct { Tag byte; Value int64; Kind int16 }\n", runtime.Version())
	fmt.Printf("  unsafe.Offsetof  Tag %d, Value %d, Kind %d\n",
		unsafe.Offsetof(r.Tag), unsafe.Offsetof(r.Value), unsafe.Offsetof(r.Kind))
	fmt.Printf("  unsafe.Sizeof    %2d   in memory, padding included\n", unsafe.Sizeof(r))
	fmt.Printf("  binary.Size      %2d   what binary.Write writes: %d bytes, the fields only\n",
		binary.Size(r), len(packed(record{'A', 42, 7})))
	fmt.Printf("\nmake([]byte, n) right after %d slices of n bytes were filled with 0xFF, dropped and collected,\n"+
		"%d slices each time, %d times for each n\n", uninitBatch, uninitBatch, uninitRounds)
	for _, n := range uninitSizes {
		nonzero := 0
		for i := 0; i < uninitRounds; i++ {
			z, _ := freshAfterDirty(n)
			nonzero += z
		}
		fmt.Printf("  n = %9s   bytes not 0: %d of %s\n", commas(uint64(n)), nonzero,
			commas(uint64(n*uninitBatch*uninitRounds)))
	}
}
