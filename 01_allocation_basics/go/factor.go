package main

// factor.go: the Go side of demo/factor (go run . -factor). append never grows a backing
// array where it is: when the slice is full it allocates a new array, copies, and leaves
// the old one to the collector. So while a slice grows, every array it outgrew stays in
// the heap until a collection, and whether a freed array's space serves a later one is
// the collector's and the page heap's business, not the growth factor's alone.

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"unsafe"
)

const factorN = 100000 // elements appended, one at a time, to a nil []int64

// growth is what growing a []int64 to n elements by append cost, as runtime.MemStats
// counts it, with the collector off, then after one runtime.GC().
type growth struct {
	arrays      uint64 // allocations: one backing array per capacity append picked
	total       uint64 // TotalAlloc: every array's bytes (size class, or whole pages)
	last        uint64 // the last array's bytes: its capacity fills its size class or pages
	heapGrew    uint64 // HeapAlloc after the appends less before: the old arrays still held
	frees       uint64 // Frees during the appends: 0, the collector is off
	heapAfterGC uint64 // HeapAlloc after runtime.GC() less before the appends
	freesAtGC   uint64 // Frees by that collection
}

// growBy appends 0..n-1 to a nil []int64 and measures it. One P, the collector off
// during the appends; sinkInts keeps the final slice alive through the collection.
func growBy(n int) growth {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	settle.Do(settleRuntime)
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var before, grown, collected runtime.MemStats
	sinkInts = nil
	runtime.GC() // earlier garbage; a second time for what the first left to finalizers
	runtime.GC()
	runtime.ReadMemStats(&before)
	sinkInts = appendN(n)
	runtime.ReadMemStats(&grown)
	runtime.GC()
	runtime.ReadMemStats(&collected)
	return growth{
		arrays:      grown.Mallocs - before.Mallocs,
		total:       grown.TotalAlloc - before.TotalAlloc,
		last:        8 * uint64(cap(sinkInts)),
		heapGrew:    grown.HeapAlloc - before.HeapAlloc,
		frees:       grown.Frees - before.Frees,
		heapAfterGC: collected.HeapAlloc - before.HeapAlloc,
		freesAtGC:   collected.Frees - grown.Frees,
	}
}

// reuse appends 0..n-1 to a nil []int64 with the collector running a full collection
// after every growth (runtime.GC: the arrays outgrown so far are freed), and counts the
// growths whose new array starts inside the address range of one the slice outgrew. The
// addresses are kept as numbers, never used to reach memory.
func reuse(n int) (growths, reused int) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	settle.Do(settleRuntime)
	type span struct{ start, end uintptr }
	var old []span
	var s []int64
	runtime.GC()
	for i := 0; i < n; i++ {
		if len(s) < cap(s) {
			s = append(s, int64(i))
			continue
		}
		if cap(s) > 0 {
			start := uintptr(unsafe.Pointer(&s[0]))
			old = append(old, span{start, start + uintptr(cap(s))*8})
		}
		s = append(s, int64(i))
		if len(old) > 0 {
			growths++
			p := uintptr(unsafe.Pointer(&s[0]))
			for _, o := range old {
				if p >= o.start && p < o.end {
					reused++
					break
				}
			}
		}
		runtime.GC()
	}
	sinkInts = s
	return growths, reused
}

func factor() {
	g := growBy(factorN)
	fmt.Printf("%s: a nil []int64 grown by append to %s elements, one P, the collector off:\n",
		runtime.Version(), commas(factorN))
	fmt.Printf("  backing arrays allocated    %12s (one per capacity; append never grows one in place)\n", commas(g.arrays))
	fmt.Printf("  bytes allocated             %12s B (TotalAlloc)\n", commas(g.total))
	fmt.Printf("  the last array              %12s B\n", commas(g.last))
	fmt.Printf("  the arrays outgrown         %12s B, %.2fx the last one\n", commas(g.total-g.last),
		float64(g.total-g.last)/float64(g.last))
	fmt.Printf("  heap in use grew by         %12s B (HeapAlloc), frees %s: every array still held\n",
		commas(g.heapGrew), commas(g.frees))
	fmt.Printf("after runtime.GC():\n")
	fmt.Printf("  heap in use, from before    %12s B, frees %s: the arrays outgrown, freed at once\n",
		commas(g.heapAfterGC), commas(g.freesAtGC))
}

// factorReuse prints reuse's count (go run . -factor-reuse): it differs from run to run,
// as the collector's background work places things.
func factorReuse() {
	growths, reused := reuse(factorN)
	fmt.Printf("%s: %s appends, runtime.GC() after every growth (the outgrown arrays freed each time):\n",
		runtime.Version(), commas(factorN))
	fmt.Printf("  of %d growths, %d got a new array at an address an outgrown one had held\n", growths, reused)
}
