// The Go twin of test_record.c: what one record costs on Go's heap. Sizes come from
// unsafe.Sizeof, unsafe.Offsetof and unsafe.Alignof, and size classes from sizeClass
// (the capacity append picks), never typed: the same on Go 1.19 and 1.24.
package main

import (
	"testing"
	"unsafe"
)

var (
	sinkLoose *recLoose
	sinkTight *recTight
)

func roundUp(n, a uintptr) uintptr { return (n + a - 1) / a * a }

// Go lays the fields out in the order written: each at the previous one's end rounded up
// to its own alignment, and the struct's size rounded up to its largest alignment.
func TestGoKeepsTheFieldOrderAndPadsEachFieldToItsAlignment(t *testing.T) {
	var l recLoose
	fields := []struct {
		name             string
		off, size, align uintptr
	}{
		{"flag", unsafe.Offsetof(l.flag), unsafe.Sizeof(l.flag), unsafe.Alignof(l.flag)},
		{"id", unsafe.Offsetof(l.id), unsafe.Sizeof(l.id), unsafe.Alignof(l.id)},
		{"kind", unsafe.Offsetof(l.kind), unsafe.Sizeof(l.kind), unsafe.Alignof(l.kind)},
		{"count", unsafe.Offsetof(l.count), unsafe.Sizeof(l.count), unsafe.Alignof(l.count)},
		{"tag", unsafe.Offsetof(l.tag), unsafe.Sizeof(l.tag), unsafe.Alignof(l.tag)},
		{"score", unsafe.Offsetof(l.score), unsafe.Sizeof(l.score), unsafe.Alignof(l.score)},
	}
	end, padding := uintptr(0), uintptr(0)
	for _, f := range fields {
		if want := roundUp(end, f.align); f.off != want {
			t.Errorf("recLoose.%s at offset %d, expected %d (the previous field's end, %d, rounded up to %d)",
				f.name, f.off, want, end, f.align)
		}
		padding += f.off - end
		end = f.off + f.size
	}
	size := unsafe.Sizeof(l)
	if size != roundUp(end, unsafe.Alignof(l)) {
		t.Errorf("recLoose is %d bytes, expected its last field's end, %d, rounded up to %d", size, end, unsafe.Alignof(l))
	}
	if padding+size-end == 0 {
		t.Errorf("recLoose has no padding: the lesson's careless order should have some")
	}
}

// Largest first, the fields' sum rounded up to the largest alignment is the whole size;
// and the smaller struct falls in a smaller size class: recLoose's 40 bytes are a 48-byte
// block, recTight's 24 a 24-byte one.
func TestReorderingFieldsShrinksTheStructAndItsSizeClass(t *testing.T) {
	var r recTight
	sum := unsafe.Sizeof(r.id) + unsafe.Sizeof(r.score) + unsafe.Sizeof(r.count) +
		unsafe.Sizeof(r.flag) + unsafe.Sizeof(r.kind) + unsafe.Sizeof(r.tag)
	loose, tight := unsafe.Sizeof(recLoose{}), unsafe.Sizeof(r)
	if tight != roundUp(sum, unsafe.Alignof(r)) {
		t.Errorf("recTight is %d bytes, expected its fields' %d rounded up to %d", tight, sum, unsafe.Alignof(r))
	}
	if tight >= loose {
		t.Fatalf("recTight (%d B) should be smaller than recLoose (%d B)", tight, loose)
	}
	const n = 10000
	for _, c := range []struct {
		name string
		size uintptr
		got  heapCost
	}{{"recLoose", loose, looseCost(n)}, {"recTight", tight, tightCost(n)}} {
		class := float64(sizeClass(int(c.size)))
		if c.got.bytes != class || c.got.allocs != 1 {
			t.Errorf("new(%s) of %d B: expected 1 allocation of its %g-byte size class, saw %g of %g B",
				c.name, c.size, class, c.got.allocs, c.got.bytes)
		}
	}
	if sizeClass(int(tight)) >= sizeClass(int(loose)) {
		t.Errorf("recTight's size class (%d B) should be smaller than recLoose's (%d B)",
			sizeClass(int(tight)), sizeClass(int(loose)))
	}
}

// testing.AllocsPerRun: one new(T) kept in a package variable is one allocation.
func TestEachNewRecordIsOneAllocation(t *testing.T) {
	defer func() { sinkLoose, sinkTight = nil, nil }()
	if a := testing.AllocsPerRun(100, func() { sinkLoose = new(recLoose) }); a != 1 {
		t.Errorf("new(recLoose): expected 1 allocation per run, saw %g", a)
	}
	if a := testing.AllocsPerRun(100, func() { sinkTight = new(recTight) }); a != 1 {
		t.Errorf("new(recTight): expected 1 allocation per run, saw %g", a)
	}
}
