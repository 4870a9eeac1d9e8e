package benchmem

import (
	"runtime"
	"strconv"
	"testing"

	"allocaware.local/measure"
)

// Size hints in Go: make(map[int]int) grown key by key against make(map[int]int, n).
// Counted per map with runtime.MemStats (one P, a GC first); the benchmarks give the same
// figures per op. What a map allocates depends on the release: Go 1.24 replaced the
// bucket maps with Swiss tables.

// mapCost is what one map of n keys allocated, as Mallocs and TotalAlloc (size-class bytes).
type mapCost struct{ allocs, bytes uint64 }

func costOf(f func(int), n int) mapCost {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f(n)
	runtime.ReadMemStats(&after)
	return mapCost{after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc}
}

// span is the least and the most of the costs of several maps made the same way.
type span struct{ lo, hi mapCost }

// costsOf makes maps maps of n keys with f and returns the least and most they cost. A
// Go 1.19 map draws a random hash seed, and how many overflow buckets it needs follows
// from it, so its counts move from map to map; a Swiss table (Go 1.24) has none.
func costsOf(f func(int), n, maps int) span {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	s := span{mapCost{^uint64(0), ^uint64(0)}, mapCost{}}
	for i := 0; i < maps; i++ {
		c := costOf(f, n)
		s.lo.allocs, s.hi.allocs = min64(s.lo.allocs, c.allocs), max64(s.hi.allocs, c.allocs)
		s.lo.bytes, s.hi.bytes = min64(s.lo.bytes, c.bytes), max64(s.hi.bytes, c.bytes)
	}
	return s
}

func min64(a, b uint64) uint64 {
	if a < b {
		return a
	}
	return b
}

func max64(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// fromTo is "lo" when lo == hi, else "lo-hi".
func fromTo(lo, hi uint64) string {
	if lo == hi {
		return strconv.FormatUint(lo, 10)
	}
	return strconv.FormatUint(lo, 10) + "-" + strconv.FormatUint(hi, 10)
}

func (s span) String() string {
	return fromTo(s.lo.allocs, s.hi.allocs) + " allocs " + fromTo(s.lo.bytes, s.hi.bytes) + " B"
}

// swissMaps: the running Go has Swiss-table maps (Go 1.24 and later).
func swissMaps(t *testing.T) bool {
	minor, ok := measure.GoMinor()
	if !ok {
		t.Skipf("not a release version: %s", runtime.Version())
	}
	return minor >= 24
}

const mapsPerWay = 10

func TestMapHintCostsPerSize(t *testing.T) {
	swiss := swissMaps(t)
	// Go 1.24 (Swiss tables), measured on Debian 13's go1.24.4: the same every map.
	// A hinted map of n > 8 keys is one table per 1,024 slots (8-slot groups filled to 7/8,
	// rounded up to a power of two): the Map, a directory, and a table and its groups each;
	// 1,000 keys: 2 tables, 6 allocations; 100,000 keys: 128 tables, 258 allocations.
	want124 := map[int][2]mapCost{
		8:      {{2, 192}, {2, 192}},
		1000:   {{22, 74456}, {6, 36992}},
		100000: {{532, 4729528}, {258, 2364592}},
	}
	t.Logf("%s, %d maps each way, least-most:", runtime.Version(), mapsPerWay)
	t.Logf("%7s  %-24s %10s %18s", "keys", "made by", "allocs", "bytes")
	for _, n := range []int{8, 1000, 100000} {
		g, h := costsOf(fillGrown, n, mapsPerWay), costsOf(fillHinted, n, mapsPerWay)
		t.Logf("%7d  %-24s %10s %18s", n, "make(map[int]int)", fromTo(g.lo.allocs, g.hi.allocs),
			fromTo(g.lo.bytes, g.hi.bytes))
		t.Logf("%7s  %-24s %10s %18s", "", "make(map[int]int, "+strconv.Itoa(n)+")",
			fromTo(h.lo.allocs, h.hi.allocs), fromTo(h.lo.bytes, h.hi.bytes))
		switch {
		case n == 8:
			// Go 1.19: the hmap and one 8-key bucket, grown or hinted alike; Go 1.24: the Map
			// and one 8-slot group. 48 B + 144 B both.
			if g.lo != g.hi || g.lo != (mapCost{2, 192}) || h.lo != g.lo || h.hi != g.hi {
				t.Errorf("%s, 8 keys: want 2 allocs 192 B both ways, got %s and %s", runtime.Version(), g, h)
			}
		case swiss:
			w := want124[n]
			if g.lo != g.hi || h.lo != h.hi || g.lo != w[0] || h.lo != w[1] {
				t.Errorf("%s, %d keys: want %d allocs %d B grown and %d allocs %d B hinted, every map; got %s and %s",
					runtime.Version(), n, w[0].allocs, w[0].bytes, w[1].allocs, w[1].bytes, g, h)
			}
		default:
			// Go 1.19: the counts move with the hash seed; the hint halves the bytes (one
			// bucket array at the final size against every size up to it) and saves most
			// of the allocations (no old arrays, overflow buckets made with the array).
			if h.hi.allocs*2 >= g.lo.allocs || h.hi.bytes*100 >= g.lo.bytes*55 {
				t.Errorf("%s, %d keys: want hinted under half the allocations and 55%% of the bytes of grown; got %s and %s",
					runtime.Version(), n, h, g)
			}
		}
	}
}

// Growth keeps the old buckets or tables until the keys are moved: grown maps allocate
// about twice the bytes a hinted one does, on either release.
func TestMapGrownAllocatesAboutTwiceTheBytesOfHinted(t *testing.T) {
	n := 100000
	g, h := costsOf(fillGrown, n, 3), costsOf(fillHinted, n, 3)
	if g.lo.bytes < h.hi.bytes*19/10 || g.hi.bytes > h.lo.bytes*21/10 {
		t.Errorf("%s, %d keys: grown %s against hinted %s: not within 1.9x-2.1x", runtime.Version(), n, g, h)
	}
}

func benchmarkMap(b *testing.B, f func(int), n int) {
	for i := 0; i < b.N; i++ {
		f(n)
	}
}

func BenchmarkMapGrow8(b *testing.B)      { benchmarkMap(b, fillGrown, 8) }
func BenchmarkMapHint8(b *testing.B)      { benchmarkMap(b, fillHinted, 8) }
func BenchmarkMapGrow1000(b *testing.B)   { benchmarkMap(b, fillGrown, 1000) }
func BenchmarkMapHint1000(b *testing.B)   { benchmarkMap(b, fillHinted, 1000) }
func BenchmarkMapGrow100000(b *testing.B) { benchmarkMap(b, fillGrown, 100000) }
func BenchmarkMapHint100000(b *testing.B) { benchmarkMap(b, fillHinted, 100000) }
