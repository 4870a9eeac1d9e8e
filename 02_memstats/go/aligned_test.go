// The Go twin of test_aligned.c: new(T)'s alignment is its size class's lowest set bit,
// and alignedBytes is one allocation, aligned as asked. The classes come from sizeClass,
// never typed: the same on Go 1.19 and 1.24.
package main

import (
	"testing"
	"unsafe"
)

func TestEveryObjectIsAlignedToItsSizeClassLowestSetBit(t *testing.T) {
	defer gcByHand()() // the collector only where called, as the other tests run
	for _, r := range alignedRows(1000) {
		if want := lowBit(sizeClass(int(r.size))); r.align != want {
			t.Errorf("new(%s): every address at a multiple of %d, expected %d (the lowest set bit of its class, %d B)",
				r.name, r.align, want, sizeClass(int(r.size)))
		}
	}
}

func TestSmallObjectsAreAlignedLessThanMallocs16(t *testing.T) {
	defer gcByHand()() // the collector only where called, as the other tests run
	if a := alignSeen[[24]byte](1000); a >= 16 {
		t.Errorf("new([24]byte): expected some address that is not a multiple of 16, all were multiples of %d", a)
	}
}

func TestAlignedBytesIsOneAllocationAlignedAsAsked(t *testing.T) {
	defer gcByHand()() // the collector only where called, as the other tests run
	for align := 8; align <= 4096; align *= 2 {
		for _, n := range []int{1, 64, 1000} {
			b := alignedBytes(n, align)
			if p := uintptr(unsafe.Pointer(&b[0])); p%uintptr(align) != 0 || len(b) != n || cap(b) != n {
				t.Errorf("alignedBytes(%d, %d): address %#x, len %d, cap %d", n, align, p, len(b), cap(b))
			}
			if allocs := testing.AllocsPerRun(10, func() { sinkAligned = alignedBytes(n, align) }); allocs != 1 {
				t.Errorf("alignedBytes(%d, %d): %.1f allocations, expected 1", n, align, allocs)
			}
		}
	}
	sinkAligned = nil
}
