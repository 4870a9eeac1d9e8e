package benchmem

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"
)

// The worst insert, in Go: the time of each insert into a map[uint64]uint64 grown from
// empty, into one made with make(map, n), and of each append to a []uint64 grown from nil,
// with the collector off (debug.SetGCPercent(-1)) so that no collection shows up as a
// pause. Go 1.19's maps grow incrementally (a new bucket array at the growing insert, the
// old buckets evacuated two at a time by later writes); Go 1.24's Swiss tables split a
// table of at most 1,024 slots at a time; append copies the whole slice at each growth.
// The times are logged, never asserted: TestInsertPauseTimes runs with GO_TIMING=1.

// pauseKinds are the three ways of inserting n values, each timing every insert into ns.
var pauseKinds = []struct {
	name string
	fill func(n int, ns []int64) (growths []int) // the appends that grew the slice
}{
	{"map grown", func(n int, ns []int64) []int { return pauseFillMap(0, n, ns) }},
	{"map hinted", func(n int, ns []int64) []int { return pauseFillMap(n, n, ns) }},
	{"slice appended", func(n int, ns []int64) []int {
		var s []uint64
		var growths []int
		for i := 0; i < n; i++ {
			c := cap(s)
			t0 := time.Now()
			s = append(s, uint64(i))
			ns[i] = int64(time.Since(t0))
			if cap(s) != c {
				growths = append(growths, i)
			}
		}
		pauseSliceSink = s
		return growths
	}},
}

// pauseFillMap inserts n values into a map made with make(map, hint), each timed into ns:
// hint n is the map made at its size, hint 0 the map grown from empty, as make(map) makes
// it. A hint the compiler cannot see goes to the runtime's makemap, where 0 makes what
// makemap_small makes for make(map): on Go 1.19 the hmap alone, B = 0, its first bucket
// allocated by the first insert; on Go 1.24 (NewMap against NewEmptyMap) a small map, no
// directory, its group of 8 slots allocated by the first insert. Both are timed the same
// way, insert by insert, from that first allocation on.
func pauseFillMap(hint, n int, ns []int64) []int {
	m := make(map[uint64]uint64, hint)
	for i := 0; i < n; i++ {
		t0 := time.Now()
		m[pauseKey(i)] = uint64(i)
		ns[i] = int64(time.Since(t0))
	}
	pauseMapSink = m
	return nil
}

var (
	pauseMapSink   map[uint64]uint64
	pauseSliceSink []uint64
)

// pauseKey is the i-th key: maptab_key's multiplier, so neighbouring keys are far apart.
func pauseKey(i int) uint64 { return uint64(i+1) * 0x9e3779b97f4a7c15 }

// One round of one kind: the median insert, the 99.9th percentile, the worst and its index.
type pauseRound struct {
	median, p999, worst int64
	worstAt             int
	growths             []int // the inserts that grew it: the slice's, a bucket map's doublings
}

// pauseRun fills one kind, n inserts, each timed into ns; points, when not nil, names the
// inserts that grow a map (fill itself names the slice's).
func pauseRun(fill func(int, []int64) []int, points []int, n int, ns, sorted []int64) pauseRound {
	runtime.GC() // the garbage of the rounds before, collected before this one starts
	g := fill(n, ns)
	if points != nil {
		g = points
	}
	r := pauseRound{growths: g}
	for i, v := range ns[:n] {
		if v > ns[r.worstAt] {
			r.worstAt = i
		}
	}
	copy(sorted, ns[:n])
	sort.Slice(sorted[:n], func(a, b int) bool { return sorted[a] < sorted[b] })
	r.median, r.p999, r.worst = sorted[(n-1)/2], sorted[(n*999+999)/1000-1], sorted[n-1]
	return r
}

// bucketGrowths are the inserts among n that double a Go 1.19 bucket map's buckets.
func bucketGrowths(n int) []int {
	var g []int
	for i := 0; i < n; i++ {
		if bucketGrowthAt(i) >= 0 {
			g = append(g, i)
		}
	}
	return g
}

// compareRounds logs a / b, round against round, or that the rounds overlap.
func compareRounds(t *testing.T, what string, a, b []int64) {
	lo, hi := float64(minOf(a))/float64(maxOf(b)), float64(maxOf(a))/float64(minOf(b))
	if lo <= 1 && hi >= 1 {
		t.Logf("  %s: the rounds overlap, no measurable difference", what)
	} else {
		t.Logf("  %s: %s - %sx, round against round", what, ratio(lo), ratio(hi))
	}
}

// spread is the median of v and its range, "12.3 us (11.9 - 13.1)".
func spread(v []int64) string {
	s := append([]int64(nil), v...)
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	return fmt.Sprintf("%s (%s - %s)", dur(s[len(s)/2]), dur(s[0]), dur(s[len(s)-1]))
}

func dur(ns int64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", float64(ns)/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f us", float64(ns)/1e3)
	}
	return fmt.Sprintf("%d ns", ns)
}

// Not a timing: every kind fills n values, times each insert, and the slice's growths are
// where append found the slice full (len == cap), each to a larger capacity.
func TestInsertPauseEachInsertIsTimedAndTheSliceGrowsOnlyWhenFull(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	const n = 20000
	ns, sorted := make([]int64, n), make([]int64, n)
	for _, k := range pauseKinds {
		r := pauseRun(k.fill, nil, n, ns, sorted)
		if r.median <= 0 || r.median > r.p999 || r.p999 > r.worst || ns[r.worstAt] != r.worst {
			t.Errorf("%s: median %d, 99.9th %d, worst %d ns at %d: not in order", k.name,
				r.median, r.p999, r.worst, r.worstAt)
		}
		t.Logf("%s: %d inserts timed, %d growths seen", k.name, n, len(r.growths))
	}
	if len(pauseMapSink) != n || len(pauseSliceSink) != n {
		t.Fatalf("the last map holds %d keys and the slice %d values, want %d", len(pauseMapSink),
			len(pauseSliceSink), n)
	}
	var s []uint64
	for i := 0; i < n; i++ {
		full := len(s) == cap(s)
		c := cap(s)
		s = append(s, 1)
		if grew := cap(s) != c; grew != full || (grew && cap(s) <= c) {
			t.Fatalf("append %d: len %d cap %d before, cap %d after", i, i, c, cap(s))
		}
	}
}

func TestInsertPauseTimes(t *testing.T) {
	if os.Getenv("GO_TIMING") != "1" {
		t.Skip("a timing, not a check (about 5 s): GO_TIMING=1 runs it, as the README's block does")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	const n, rounds = 1000000, 5
	ns, sorted := make([]int64, n), make([]int64, n) // written before any insert is timed
	swiss := swissMaps(t)
	rs := make([][]pauseRound, len(pauseKinds))
	least := make([][]int64, len(pauseKinds)) // each insert's least time over the rounds
	for r := 0; r < rounds; r++ {
		for k, kind := range pauseKinds {
			var points []int
			if k == 0 && !swiss {
				points = bucketGrowths(n)
			}
			rs[k] = append(rs[k], pauseRun(kind.fill, points, n, ns, sorted))
			if r == 0 {
				least[k] = append([]int64(nil), ns...)
			}
			for i, v := range ns {
				if v < least[k][i] {
					least[k][i] = v
				}
			}
		}
	}
	t.Logf("%s, %d inserts from empty, each timed (time.Now around it), GC off,", runtime.Version(), n)
	t.Logf("%d rounds of each, alternated: the median over the rounds (fastest - slowest round)", rounds)
	t.Logf("  %-15s %-26s %-26s %s", "", "median insert", "99.9th percentile", "worst insert")
	col := func(k int, f func(pauseRound) int64) []int64 {
		var v []int64
		for _, r := range rs[k] {
			v = append(v, f(r))
		}
		return v
	}
	for k, kind := range pauseKinds {
		t.Logf("  %-15s %-26s %-26s %s", kind.name, spread(col(k, func(r pauseRound) int64 { return r.median })),
			spread(col(k, func(r pauseRound) int64 { return r.p999 })),
			spread(col(k, func(r pauseRound) int64 { return r.worst })))
	}
	worst := func(k int) []int64 { return col(k, func(r pauseRound) int64 { return r.worst }) }
	compareRounds(t, "worst, map grown / map hinted", worst(0), worst(1))
	compareRounds(t, "99.9th percentile, map grown / map hinted",
		col(0, func(r pauseRound) int64 { return r.p999 }), col(1, func(r pauseRound) int64 { return r.p999 }))
	t.Logf("each insert at its least time over the rounds (the same insert does the same work in")
	t.Logf("every round; a pause of the machine's own falls on another insert each time): the")
	t.Logf("slowest that grew it (an append that grew the slice; an insert that doubles a bucket")
	t.Logf("map's buckets, on Go before 1.24) and the slowest other, with its number")
	for k, kind := range pauseKinds {
		grew := make(map[int]bool)
		for _, g := range rs[k][0].growths {
			grew[g] = true
		}
		sg, so := -1, -1
		for i, v := range least[k] {
			if grew[i] && (sg < 0 || v > least[k][sg]) {
				sg = i
			} else if !grew[i] && (so < 0 || v > least[k][so]) {
				so = i
			}
		}
		g := "  no growth point known"
		if sg >= 0 {
			g = fmt.Sprintf("%3d growths %10s at %7d", len(grew), dur(least[k][sg]), sg)
		}
		t.Logf("  %-15s %-36s  others %10s at %7d", kind.name, g, dur(least[k][so]), so)
	}
	t.Logf("the worst insert of each round, and whether it grew the map or the slice:")
	for k, kind := range pauseKinds {
		var at []string
		for _, r := range rs[k] {
			grew := "-"
			for _, g := range r.growths {
				if g == r.worstAt {
					grew = "grew"
				}
			}
			at = append(at, fmt.Sprintf("%7d %-4s", r.worstAt, grew))
		}
		t.Logf("  %-15s %s", kind.name, strings.Join(at, " "))
	}
}

// bucketGrowthAt is log2 of the buckets a Go 1.19 map grown from empty has before the
// insert numbered i (from 0), when that insert doubles them, else -1. The runtime grows
// when the count after the insert would pass 8 and 6.5 keys a bucket (overLoadFactor):
// at i = 8 from 1 bucket, then at i = 13 * 2^(B-1) from 2^B. Swiss tables (Go 1.24) have
// no buckets; the check then names inserts of no special kind.
func bucketGrowthAt(i int) int {
	if i == 8 {
		return 0
	}
	for b := 1; 13<<(b-1) <= i; b++ {
		if 13<<(b-1) == i {
			return b
		}
	}
	return -1
}

// On Go 1.19 the inserts that double a bucket map's buckets are those bucketGrowthAt
// names: each allocates a bucket array larger than any before it (an overflow bucket is
// one bucket), seen in runtime.MemStats around every insert. Go 1.24 has no buckets.
func TestBucketGrowthPointsAreWhereAGo119MapAllocatesItsNextArray(t *testing.T) {
	if swissMaps(t) {
		t.Skip("Swiss tables (Go 1.24 and later): no bucket array to double")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const n = 2000
	var before, after runtime.MemStats
	var largest uint64
	m := make(map[uint64]uint64)
	for i := 0; i < n; i++ {
		runtime.ReadMemStats(&before)
		m[pauseKey(i)] = uint64(i)
		runtime.ReadMemStats(&after)
		bytes := after.TotalAlloc - before.TotalAlloc
		grew := i > 0 && bytes > largest
		if bytes > largest {
			largest = bytes
		}
		if grew != (bucketGrowthAt(i) >= 0) {
			t.Errorf("insert %d allocated %d bytes (the largest before: %d); bucketGrowthAt says %d",
				i, bytes, largest, bucketGrowthAt(i))
		}
	}
	pauseMapSink = m
}

// ratio is x with the digits it needs: "0.004", "1.4", "958".
func ratio(x float64) string {
	switch {
	case x < 0.1:
		return fmt.Sprintf("%.3f", x)
	case x < 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.0f", x)
}

func minOf(v []int64) int64 {
	m := v[0]
	for _, x := range v {
		if x < m {
			m = x
		}
	}
	return m
}

func maxOf(v []int64) int64 {
	m := v[0]
	for _, x := range v {
		if x > m {
			m = x
		}
	}
	return m
}
