package pooling

import (
	"runtime"
	"testing"

	"allocaware.local/measure"
)

// The Go side of make handles-04. Go has no dangling pointer: a pointer keeps what it
// points at alive. Its two traps are a pointer into a slice that append grew (the write
// goes to the old array, which the pointer keeps alive) and a pointer into a slot that
// was reused (it reads the new object). A slot map's handle catches both.

var hSink []hSlot
var hObjSink *hObj

// p := &s[0], then an append past cap(s): the append copies s to a new array and p still
// points into the old one. A write through p is lost to s[0]; no crash, no error.
func TestHandlesAPointerIntoASliceIsLeftOnTheOldArrayByAGrowingAppend(t *testing.T) {
	s := make([]hObj, 8) // len 8, cap 8: the next append must grow
	for i := range s {
		s[i] = hObj{id: uint64(i + 1), value: uint64(i+1) * 100}
	}
	p := &s[0]
	s = append(s, hObj{id: 9, value: 900})
	p.value = 42
	t.Logf("%s: s of len 8, cap 8; p := &s[0]; s = append(s, x): cap %d", runtime.Version(), cap(s))
	t.Logf("p.value = 42: p.value %d, s[0].value %d; p == &s[0]: %v", p.value, s[0].value, p == &s[0])
	if cap(s) <= 8 || p == &s[0] || s[0].value != 100 || p.value != 42 {
		t.Errorf("want the write through p lost to s[0] (s[0].value 100, p.value 42, p != &s[0]), "+
			"got cap %d, s[0].value %d, p.value %d, p == &s[0] %v", cap(s), s[0].value, p.value, p == &s[0])
	}
}

// A pointer into the slot map, kept past a remove and an insert that reuses the slot,
// reads the new object; the handle kept instead resolves to nil. After a growth, every
// handle resolves and a pointer taken before is left on the old array.
func TestHandlesAStaleHandleIsCaughtWhereAPointerReadsTheNewObject(t *testing.T) {
	var m slotMap
	h1 := m.insert(hObj{id: 1, value: 100})
	p := m.get(h1)
	m.remove(h1)
	h2 := m.insert(hObj{id: 2, value: 200})
	t.Logf("%s: insert 1, p := get(h1), remove h1, insert 2 (slot %d again)", runtime.Version(), uint32(h2))
	t.Logf("pointer: p.id %d; handle: get(h1) == nil %v, get(h2).id %d", p.id, m.get(h1) == nil, m.get(h2).id)
	if uint32(h2) != uint32(h1) || p.id != 2 || m.get(h1) != nil || m.get(h2) == nil || m.get(h2).id != 2 {
		t.Errorf("want slot %d reused, p.id 2, get(h1) nil, get(h2).id 2; got slot %d, p.id %d, get(h1) %v",
			uint32(h1), uint32(h2), p.id, m.get(h1))
	}
	if m.remove(h1) {
		t.Errorf("a second remove of h1 was accepted")
	}

	hs := []uint64{h2}
	for len(m.slots) < cap(m.slots) {
		hs = append(hs, m.insert(hObj{id: uint64(len(hs) + 2)}))
	}
	q := m.get(h2)
	hs = append(hs, m.insert(hObj{id: 99}))
	resolved := 0
	for _, h := range hs {
		if m.get(h) != nil {
			resolved++
		}
	}
	t.Logf("growth to %d slots: %d of %d handles resolve; the pointer taken before is on the old array: %v",
		cap(m.slots), resolved, len(hs), q != m.get(h2))
	if resolved != len(hs) || q == m.get(h2) {
		t.Errorf("after the growth: %d of %d handles resolve, pointer moved %v", resolved, len(hs), q != m.get(h2))
	}
}

// The generation that would wrap retires its slot: a handle of the slot's first lifetime
// never resolves again.
func TestHandlesASlotWhoseGenerationWouldWrapIsRetired(t *testing.T) {
	var m slotMap
	m.insert(hObj{id: 1})
	m.slots[0].gen = ^uint32(0) // 2^31 - 1 lifetimes later
	last := hMake(0, ^uint32(0))
	if !m.remove(last) || m.retired != 1 || m.freeHead != 0 {
		t.Fatalf("want the slot retired, got retired %d, freeHead %d", m.retired, m.freeHead)
	}
	if h := m.insert(hObj{id: 2}); uint32(h) != 1 || m.get(hMake(0, 1)) != nil {
		t.Errorf("want a new slot (1) and generation 1 of slot 0 stale, got slot %d", uint32(h))
	}
}

// hGrowths: the arrays n inserts into an empty map make: 8 slots, then doubling.
func hGrowths(n int) uint64 {
	g := uint64(0)
	for c := 0; c < n; g++ {
		if c == 0 {
			c = hMinCap
		} else {
			c *= 2
		}
	}
	return g
}

// Inserts allocate the growths alone; gets, removes and inserts into freed slots allocate
// nothing. Exact on every release: the map grows its slice itself.
func TestHandlesInsertsAllocateOnlyTheGrowthsAndGetRemoveReinsertNothing(t *testing.T) {
	const n = 1000
	fill, _ := measure.PerRun(10, func() {
		var m slotMap
		for i := 0; i < n; i++ {
			m.insert(hObj{id: uint64(i)})
		}
		hSink = m.slots
	})
	var m slotMap
	hs := make([]uint64, n)
	for i := range hs {
		hs[i] = m.insert(hObj{id: uint64(i)})
	}
	get, _ := measure.PerRun(10, func() {
		for _, h := range hs {
			hObjSink = m.get(h)
		}
	})
	cycle, _ := measure.PerRun(10, func() {
		for i := 0; i < n; i += 2 {
			m.remove(hs[i])
		}
		for i := 0; i < n; i += 2 {
			hs[i] = m.insert(hObj{id: uint64(i)})
		}
	})
	caught := 0
	old := append([]uint64(nil), hs...)
	for i := 0; i < n; i += 2 {
		m.remove(hs[i])
		hs[i] = m.insert(hObj{id: uint64(i)})
	}
	for i := 0; i < n; i += 2 {
		if m.get(old[i]) == nil {
			caught++
		}
	}
	t.Logf("%s, %d objects, growths worked out from n: %d", runtime.Version(), n, hGrowths(n))
	t.Logf("%-40s %6s", "", "allocs")
	t.Logf("%-40s %6d", "insert, all of them", fill)
	t.Logf("%-40s %6d", "get, every handle", get)
	t.Logf("%-40s %6d", "remove and reinsert every other one", cycle)
	t.Logf("stale gets caught: %d of %d", caught, n/2)
	if fill != hGrowths(n) || get != 0 || cycle != 0 || caught != n/2 {
		t.Errorf("want %d, 0, 0 allocations and %d caught; got %d, %d, %d and %d",
			hGrowths(n), n/2, fill, get, cycle, caught)
	}
}
