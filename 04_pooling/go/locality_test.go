package pooling

import (
	"container/list"
	"os"
	"sort"
	"testing"

	"allocaware.local/measure"
)

// The Go side of make locality-04: container/list, Go's linked list, against a slice.

var listSink *list.List

// Each PushBack allocates its Element (next, prev, list and an any: 40 B, a 48 B size
// class), and an int of 256 or more put into the Element's any is boxed: 8 B more.
// list.New is one allocation (the root Element and a length: 48 B).
func TestContainerListAllocatesAnElementPerPushBackAndABoxPerLargeInt(t *testing.T) {
	for _, c := range []struct {
		name          string
		first         int
		allocs, bytes uint64
	}{
		{"0..255", 0, 1 + 256, 48 + 256*48},              // small ints: no box
		{"1000..1255", 1000, 1 + 2*256, 48 + 256*(48+8)}, // every value boxed
	} {
		allocs, bytes := measure.PerRun(10, func() {
			l := list.New()
			for v := c.first; v < c.first+256; v++ {
				l.PushBack(v)
			}
			listSink = l
		})
		t.Logf("list.New and 256 PushBacks of %-10s %4d allocs %6d bytes", c.name+":", allocs, bytes)
		if allocs != c.allocs || bytes != c.bytes {
			t.Errorf("%s: want %d allocs of %d bytes, got %d allocs, %d bytes", c.name, c.allocs,
				c.bytes, allocs, bytes)
		}
	}
}

const walkLen = 1 << 20

var sumSink int

// The walk of a container/list built in a loop (PushBack, values 0..n-1) against a
// []int's, as benchmarks, each run 5 times: the median ns per element and the range.
// Logged, not asserted: the machine decides the times.
func TestAListWalkAgainstASliceWalk(t *testing.T) {
	if os.Getenv("GO_TIMING") != "1" {
		t.Skip("a timing, not a check (about 20 s): GO_TIMING=1 runs it, as the README's block does")
	}
	l := list.New()
	s := make([]int, walkLen)
	for i := 0; i < walkLen; i++ {
		l.PushBack(i)
		s[i] = i
	}
	walkList := func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sum := 0
			for e := l.Front(); e != nil; e = e.Next() {
				sum += e.Value.(int)
			}
			sumSink = sum
		}
	}
	walkSlice := func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sum := 0
			for _, v := range s {
				sum += v
			}
			sumSink = sum
		}
	}
	lm, llo, lhi := perElement(walkList)
	sm, slo, shi := perElement(walkSlice)
	t.Logf("%d elements, ns per element, median of 5 (min - max):", walkLen)
	t.Logf("  container/list  %6.2f ns (%.2f - %.2f)", lm, llo, lhi)
	t.Logf("  []int           %6.2f ns (%.2f - %.2f)", sm, slo, shi)
	if llo/shi <= 1 && lhi/slo >= 1 {
		t.Logf("  list / slice: ~1x (%.1f - %.1f), no measurable difference", llo/shi, lhi/slo)
	} else {
		t.Logf("  list / slice: %.1fx (%.1f - %.1f)", lm/sm, llo/shi, lhi/slo)
	}
	if sumSink != walkLen*(walkLen-1)/2 {
		t.Errorf("the walk's sum: want %d, got %d", walkLen*(walkLen-1)/2, sumSink)
	}
}

// perElement runs f as a benchmark 5 times; the median, fastest and slowest ns per element.
func perElement(f func(*testing.B)) (median, lo, hi float64) {
	var ns []float64
	for r := 0; r < 5; r++ {
		res := testing.Benchmark(f)
		ns = append(ns, float64(res.NsPerOp())/walkLen)
	}
	sort.Float64s(ns)
	return ns[2], ns[0], ns[4]
}
