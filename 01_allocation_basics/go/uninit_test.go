package main

import (
	"encoding/binary"
	"testing"
	"unsafe"
)

// The same layout as C's struct uninit_rec on x86-64 (test_uninit.c): 24 bytes, the
// fields at 0, 8 and 16; encoding/binary writes the 11 bytes of the fields alone. The
// same on Go 1.19 and 1.24.
func TestTheRecordIsPaddedAsInCButBinaryWritesItsFieldsOnly(t *testing.T) {
	var r record
	fields := unsafe.Sizeof(r.Tag) + unsafe.Sizeof(r.Value) + unsafe.Sizeof(r.Kind)
	if got := unsafe.Sizeof(r); got != 24 || fields != 11 {
		t.Fatalf("unsafe.Sizeof = %d (want 24), the fields %d bytes (want 11)", got, fields)
	}
	if unsafe.Offsetof(r.Tag) != 0 || unsafe.Offsetof(r.Value) != 8 || unsafe.Offsetof(r.Kind) != 16 {
		t.Fatalf("offsets %d, %d, %d: want 0, 8, 16", unsafe.Offsetof(r.Tag), unsafe.Offsetof(r.Value), unsafe.Offsetof(r.Kind))
	}
	if got := binary.Size(r); got != int(fields) {
		t.Fatalf("binary.Size = %d, want %d: the fields, no padding", got, fields)
	}
	b := packed(record{'A', 0x0102030405060708, 0x1122})
	want := []byte{'A', 8, 7, 6, 5, 4, 3, 2, 1, 0x22, 0x11}
	if string(b) != string(want) {
		t.Fatalf("binary.Write wrote % x, want % x", b, want)
	}
}

// Go zeroes every allocation: slices made right after others of the same size were filled
// with 0xFF, dropped and collected read 0 in every byte, wherever the runtime put them
// (how many took a dirty slice's address is logged, not asserted: that follows the
// collector). The same on Go 1.19 and 1.24.
func TestMakeReturnsZeroedBytesEvenWhereADirtySliceWasJustCollected(t *testing.T) {
	for _, n := range uninitSizes {
		reused := 0
		for i := 0; i < uninitRounds; i++ {
			nonzero, same := freshAfterDirty(n)
			if nonzero != 0 {
				t.Fatalf("n = %d, round %d: %d bytes of fresh makes are not 0", n, i, nonzero)
			}
			reused += same
		}
		t.Logf("n = %d: %d of %d fresh slices took a dirty one's address", n, reused, uninitRounds*uninitBatch)
	}
}
