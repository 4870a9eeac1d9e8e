package main

import "testing"

// factor.go pinned: a slice grown by append leaves every array it outgrew in the heap
// until a collection, and that collection frees them all. The counts follow from the
// capacities append picks (appendCaps), worked out here, never typed in; Go 1.19 and 1.24
// pick different capacities past 256 elements, and the tests hold on both.

func TestAGrowingSliceHoldsEveryArrayItOutgrewUntilACollection(t *testing.T) {
	for _, n := range []int{1000, factorN} {
		caps := appendCaps(n)
		var total uint64 = 16 - 8 // the first array, 8 bytes, takes a 16-byte tiny block
		for _, c := range caps {
			total += 8 * uint64(c) // append's capacities fill their size class or pages
		}
		g := growBy(n)
		if g.arrays != uint64(len(caps)) {
			t.Errorf("%d appends: expected %d backing arrays (one per capacity), saw %d", n, len(caps), g.arrays)
		}
		if g.total != total || g.heapGrew != total || g.frees != 0 {
			t.Errorf("%d appends, the collector off: expected %d B allocated and all of it still in the heap, 0 frees; saw %d B, %d B, %d frees",
				n, total, g.total, g.heapGrew, g.frees)
		}
		if g.freesAtGC != uint64(len(caps)-1) || g.heapAfterGC != g.last {
			t.Errorf("%d appends, after runtime.GC(): expected %d frees (every array but the last) and the last array's %d B in use; saw %d frees, %d B",
				n, len(caps)-1, g.last, g.freesAtGC, g.heapAfterGC)
		}
	}
}

// The addresses depend on the collector's background work: only what holds on every run.
func TestEveryGrowthAfterTheFirstIsCheckedForReuse(t *testing.T) {
	growths, reused := reuse(factorN)
	if growths != len(appendCaps(factorN))-1 || reused < 0 || reused > growths {
		t.Errorf("expected %d growths and at most as many reused; saw %d, %d", len(appendCaps(factorN))-1, growths, reused)
	}
}
