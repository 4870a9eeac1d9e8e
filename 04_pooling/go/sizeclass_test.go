package pooling

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"testing"
)

// The Go side of make buddy-04: Go's allocator is not a buddy system for small objects. It
// rounds each object of up to 32 KiB up to one of its size classes (a span of pages is cut
// into objects of one class), so the waste of a request is its class less the request,
// not the next power of two less the request. Two ways to read the class a request lands
// in, which must agree:
//   - MemStats: N escaping []byte of n bytes each; Mallocs rises by N and TotalAlloc by N
//     times the class;
//   - append: a nil []byte grown to n bytes gets the capacity of n's class (growslice
//     rounds the capacity it allocates up to the class, roundupsize).
// The buddy's block is the C side's (buddy.h with blocks from 16 B): the smallest power of
// two that holds n, at least 16.

var classSizes = []int{33, 49, 65, 129, 257, 1025, 2049, 4097, 9000}

const (
	classN    = 100  // objects per size, for MemStats
	classTop  = 4096 // every request from 1 to this, as make buddy-04
	classPast = 64   // the worst class per byte asked is also shown from this request up
	buddyMin  = 16
)

var (
	classSink [classN][]byte
	classSrc  [9000]byte
)

// classByMemStats: the Mallocs and TotalAlloc of N []byte of n bytes, all kept.
func classByMemStats(n int) (mallocs, total uint64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range classSink {
		classSink[i] = make([]byte, n)
	}
	runtime.ReadMemStats(&after)
	for i := range classSink {
		classSink[i] = nil
	}
	return after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc
}

// classByAppend: the capacity a nil []byte gets when n bytes are appended to it.
func classByAppend(n int) int {
	return cap(append([]byte(nil), classSrc[:n]...))
}

func buddyBlock(n int) int {
	b := buddyMin
	for b < n {
		b *= 2
	}
	return b
}

func perByte(block, n int) string { return fmt.Sprintf("%.3f", float64(block)/float64(n)) }

func TestSizeClassOfEachRequestReadTwoWays(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	t.Logf("%s: %d []byte of each size kept; class: TotalAlloc / Mallocs, and cap after append",
		runtime.Version(), classN)
	t.Logf("%8s %8s %8s %9s %8s %9s", "request", "Mallocs", "class", "per byte", "buddy", "per byte")
	for _, n := range classSizes {
		mallocs, total := classByMemStats(n)
		if mallocs != classN || total%classN != 0 {
			t.Fatalf("%d B: want %d mallocs and a multiple of %d bytes, got %d mallocs of %d B",
				n, classN, classN, mallocs, total)
		}
		class := int(total / classN)
		if class != classByAppend(n) || class < n {
			t.Errorf("%d B: MemStats says a class of %d B, append's capacity %d", n, class,
				classByAppend(n))
		}
		t.Logf("%8d %8d %8d %9s %8d %9s", n, mallocs, class, perByte(class, n), buddyBlock(n),
			perByte(buddyBlock(n), n))
	}
}

func TestSizeClassWastesLessThanTheBuddyOverEveryRequest(t *testing.T) {
	var asked, handed, buddyHanded uint64
	worst, worstAt, buddyWorst, buddyWorstAt := 0.0, 0, 0.0, 0
	classes, prev, buddyClasses, buddyPrev := 0, 0, 0, 0
	for n := 1; n <= classTop; n++ {
		class, block := classByAppend(n), buddyBlock(n)
		if class < n || class < prev {
			t.Fatalf("%d B: a class of %d B, after %d B for %d B", n, class, prev, n-1)
		}
		if class != prev {
			classes++
		}
		prev = class
		if block != buddyPrev {
			buddyClasses++
		}
		buddyPrev = block
		asked += uint64(n)
		handed += uint64(class)
		buddyHanded += uint64(block)
		if r := float64(class) / float64(n); n >= classPast && r > worst {
			worst, worstAt = r, n
		}
		if r := float64(block) / float64(n); n >= classPast && r > buddyWorst {
			buddyWorst, buddyWorstAt = r, n
		}
	}
	t.Logf("%s: every request from 1 to %d B (the class: cap after append)", runtime.Version(), classTop)
	t.Logf("%-40s %14s %14s", "", "Go's classes", "buddy")
	t.Logf("%-40s %14d %14d", "blocks of different sizes", classes, buddyClasses)
	t.Logf("%-40s %14.3f %14.3f", "bytes handed out per byte asked",
		float64(handed)/float64(asked), float64(buddyHanded)/float64(asked))
	t.Logf("%-40s %14s %14s", fmt.Sprintf("worst block per byte asked, from %d B", classPast),
		fmt.Sprintf("%.3f (%d B)", worst, worstAt), fmt.Sprintf("%.3f (%d B)", buddyWorst, buddyWorstAt))
	if handed >= buddyHanded || worst >= buddyWorst {
		t.Errorf("the size classes should waste less than powers of two")
	}
	if 10*handed >= 11*asked || 3*buddyHanded <= 4*asked-asked/100 {
		t.Errorf("the classes should hand out under 1.1 bytes per byte asked, the buddy about 4/3")
	}
}
