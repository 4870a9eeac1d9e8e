package benchmem

import (
	"runtime"
	"sort"
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

// swissSplit is what one more table costs a Swiss map of 100,000 int keys on Go 1.24: a
// full table of 1,024 slots split into two new ones, each with its groups, and the
// directory doubled (measured on Debian 13's go1.24.4; a second split in the same map finds
// the directory long enough and costs less).
var swissSplit = mapCost{5, 39232}

// swissCosts is what a Swiss map of n int keys costs on Go 1.24, grown and hinted, measured
// on Debian 13's go1.24.4: the least of several maps, which is what nearly every map costs.
// A hinted map of n > 8 keys is one table per 1,024 slots (8-slot groups filled to 7/8,
// rounded up to a power of two): the Map, a directory, and a table and its groups each;
// 1,000 keys: 2 tables, 6 allocations; 100,000 keys: 128 tables, 258 allocations. A table
// that draws more than 7/8 of its slots' keys splits, and which keys it draws follows the
// map's hash seed: a few maps in 1,000 of 100,000 keys cost a split more
// (TestMapSwissSplitsFollowTheSeed).
var swissCosts = map[int][2]mapCost{
	8:      {{2, 192}, {2, 192}},
	1000:   {{22, 74456}, {6, 36992}},
	100000: {{532, 4729528}, {258, 2364592}},
}

func TestMapHintCostsPerSize(t *testing.T) {
	swiss := swissMaps(t)
	// On Go 1.19 every map moves, so the table shows the least and the most; on Go 1.24
	// the least, which the tests assert.
	cell := func(lo, hi uint64) string {
		if swiss {
			return strconv.FormatUint(lo, 10)
		}
		return fromTo(lo, hi)
	}
	which := "least-most"
	if swiss {
		which = "least"
	}
	t.Logf("%s, %d maps each way, %s:", runtime.Version(), mapsPerWay, which)
	t.Logf("%7s  %-24s %10s %18s", "keys", "made by", "allocs", "bytes")
	for _, n := range []int{8, 1000, 100000} {
		g, h := costsOf(fillGrown, n, mapsPerWay), costsOf(fillHinted, n, mapsPerWay)
		t.Logf("%7d  %-24s %10s %18s", n, "make(map[int]int)", cell(g.lo.allocs, g.hi.allocs),
			cell(g.lo.bytes, g.hi.bytes))
		t.Logf("%7s  %-24s %10s %18s", "", "make(map[int]int, "+strconv.Itoa(n)+")",
			cell(h.lo.allocs, h.hi.allocs), cell(h.lo.bytes, h.hi.bytes))
		switch {
		case n == 8:
			// Go 1.19: the hmap and one 8-key bucket, grown or hinted alike; Go 1.24: the Map
			// and one 8-slot group. 48 B + 144 B both.
			if g.lo != g.hi || g.lo != (mapCost{2, 192}) || h.lo != g.lo || h.hi != g.hi {
				t.Errorf("%s, 8 keys: want 2 allocs 192 B both ways, got %s and %s", runtime.Version(), g, h)
			}
		case swiss:
			// The least exactly; the most at most two splits over it at 100,000 keys (a
			// split is about 1 map in 300 there), and none at 1,000 (two tables of 1,024
			// slots for 1,000 keys cannot fill one past 896).
			w := swissCosts[n]
			splits := uint64(0)
			if n == 100000 {
				splits = 2
			}
			for i, s := range []span{g, h} {
				over := mapCost{s.hi.allocs - s.lo.allocs, s.hi.bytes - s.lo.bytes}
				if s.lo != w[i] || over.allocs > splits*swissSplit.allocs || over.bytes > splits*swissSplit.bytes {
					t.Errorf("%s, %d keys, %s: want %d allocs %d B, or up to %d table splits of %s more; got %s",
						runtime.Version(), n, []string{"grown", "hinted"}[i], w[i].allocs, w[i].bytes,
						splits, swissSplit, s)
				}
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

func (c mapCost) String() string {
	return strconv.FormatUint(c.allocs, 10) + " allocs " + strconv.FormatUint(c.bytes, 10) + " B"
}

// A Swiss table's count is fixed by how many tables the map ends with, and that follows the
// hash seed: 1,000 hinted maps of 100,000 keys, each costs what 128 tables cost, or one
// split more (rarely two). The tail of a binomial draw says how rare: 781 keys a table on
// average, 28 either way, and a split past 896.
func TestMapSwissSplitsFollowTheSeed(t *testing.T) {
	if !swissMaps(t) {
		t.Skipf("%s has bucket maps: every map's count moves with its seed (TestMapHintCostsPerSize)", runtime.Version())
	}
	const maps, n = 1000, 100000
	base := swissCosts[n][1] // 128 tables
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	counts := map[mapCost]int{}
	for i := 0; i < maps; i++ {
		counts[costOf(fillHinted, n)]++
	}
	t.Logf("%s, %d maps made by make(map[int]int, %d):", runtime.Version(), maps, n)
	t.Logf("%8s %10s %6s", "allocs", "bytes", "maps")
	costs := make([]mapCost, 0, len(counts))
	for c := range counts {
		costs = append(costs, c)
	}
	sort.Slice(costs, func(i, j int) bool { return costs[i].allocs < costs[j].allocs })
	over := 0
	for _, c := range costs {
		t.Logf("%8d %10d %6d", c.allocs, c.bytes, counts[c])
		if c == base {
			continue
		}
		over += counts[c]
		// One split is swissSplit; a second in the same map costs 4 to 5 allocations more.
		extra := mapCost{c.allocs - base.allocs, c.bytes - base.bytes}
		if c.allocs < base.allocs || c.bytes < base.bytes || extra.allocs < swissSplit.allocs ||
			extra.allocs > 2*swissSplit.allocs || extra.bytes < swissSplit.bytes || extra.bytes > 2*swissSplit.bytes {
			t.Errorf("%s: a map cost %s: want %s, or one or two table splits (%s each) more", runtime.Version(), c, base, swissSplit)
		}
	}
	// A binomial tail gives 2.6 tables in 100,000 over 896 keys, so 3.3 maps in 1,000 with
	// a split; 2% would mean the tables are no longer sized as above.
	if counts[base] == 0 || over > maps/50 {
		t.Errorf("%s: %d of %d maps cost more than %s: want at most 2%%", runtime.Version(), over, maps, base)
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
