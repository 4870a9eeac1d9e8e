package pooling

import (
	"container/list"
	"runtime"
	"testing"

	"allocaware.local/measure"
)

// The Go side of make queue-04: a FIFO of uint64 on a hot path, four ways. Each op is a
// burst: queueBurst items pushed, then all popped, as in queue.h's qlist_run and
// qring_run. Values from 1,000 on, so that an any must box them (8 B each).

const queueBurst = 64

var (
	chanSink  chan uint64
	queueSum  uint64
	sliceSink []uint64
)

// A buffered channel: make allocates its buffer (with the channel's header, one block for
// a pointer-free element); a send copies into it and a receive out of it.
func chanBurst(ch chan uint64, first uint64) {
	for i := uint64(0); i < queueBurst; i++ {
		ch <- first + i
	}
	for i := 0; i < queueBurst; i++ {
		queueSum += <-ch
	}
}

// container/list: PushBack allocates an Element; the uint64 goes into its any.
func listBurst(l *list.List, first uint64) {
	for i := uint64(0); i < queueBurst; i++ {
		l.PushBack(first + i)
	}
	for l.Len() > 0 {
		queueSum += l.Remove(l.Front()).(uint64)
	}
}

// A slice as a queue: append at the back, reslice past the front. The slice drifts
// along its array and loses the capacity behind it.
func sliceBurst(q []uint64, first uint64) []uint64 {
	for i := uint64(0); i < queueBurst; i++ {
		q = append(q, first+i)
	}
	for len(q) > 0 {
		queueSum += q[0]
		q = q[1:]
	}
	return q
}

// The fix: pop by an index into the slice, and when the queue is empty, start again at
// the front of the same array (q[:0]): the array is reused.
func sliceResetBurst(q []uint64, first uint64) []uint64 {
	for i := uint64(0); i < queueBurst; i++ {
		q = append(q, first+i)
	}
	for head := 0; head < len(q); head++ {
		queueSum += q[head]
	}
	return q[:0]
}

func TestQueueChannelAllocatesItsBufferOnceAtMakeAndNothingPerItem(t *testing.T) {
	allocs, bytes := measure.PerRun(10, func() { chanSink = make(chan uint64, queueBurst) })
	t.Logf("%s: make(chan uint64, %d): %d allocs, %d bytes", runtime.Version(), queueBurst,
		allocs, bytes)
	if allocs != 1 || bytes < queueBurst*8 {
		t.Errorf("make(chan uint64, %d): want 1 alloc of at least %d B, got %d allocs, %d B",
			queueBurst, queueBurst*8, allocs, bytes)
	}
	ch := make(chan uint64, queueBurst)
	perOp := testing.AllocsPerRun(100, func() { chanBurst(ch, 1000) })
	t.Logf("%d sends and %d receives: %v allocs", queueBurst, queueBurst, perOp)
	if perOp != 0 {
		t.Errorf("a burst through a buffered channel: want 0 allocs, got %v", perOp)
	}
}

func TestQueueOnAListAllocatesAnElementAndABoxPerPush(t *testing.T) {
	l := list.New()
	allocs, bytes := measure.PerRun(10, func() { listBurst(l, 1000) })
	t.Logf("%s: %d PushBack and Remove: %d allocs, %d bytes", runtime.Version(), queueBurst,
		allocs, bytes)
	if allocs != 2*queueBurst || bytes != queueBurst*(48+8) {
		t.Errorf("a burst through container/list: want %d allocs of %d B, got %d allocs, %d B",
			2*queueBurst, queueBurst*(48+8), allocs, bytes)
	}
}

// allocsPerBursts: the allocations of `bursts` bursts through a slice queue from nil,
// each burst done by burst.
func allocsPerBursts(bursts int, burst func([]uint64, uint64) []uint64) uint64 {
	allocs, _ := measure.PerRun(5, func() {
		var q []uint64
		for b := 0; b < bursts; b++ {
			q = burst(q, 1000)
		}
		sliceSink = q
	})
	return allocs
}

// The slice drifts: each burst starts with no capacity left, so its appends grow a new
// array from nothing, every burst, however many have gone through. Reset, it stays put.
func TestQueueSliceKeepsAllocatingUnlessResetWhenEmpty(t *testing.T) {
	t.Logf("%s, bursts of %d pushes then %d pops:", runtime.Version(), queueBurst, queueBurst)
	t.Logf("%-26s %8s %10s", "queue", "bursts", "allocs")
	var prev uint64
	for _, bursts := range []int{10, 100, 1000} {
		allocs := allocsPerBursts(bursts, sliceBurst)
		t.Logf("%-26s %8d %10d", "q = q[1:]", bursts, allocs)
		if allocs == 0 || allocs%uint64(bursts) != 0 || (prev != 0 && allocs != 10*prev) {
			t.Errorf("%d bursts: want the same allocations each burst, got %d in all", bursts,
				allocs)
		}
		prev = allocs
	}
	for _, bursts := range []int{10, 100, 1000} {
		allocs := allocsPerBursts(bursts, sliceResetBurst)
		t.Logf("%-26s %8d %10d", "q = q[:0] when empty", bursts, allocs)
		if allocs != prev/1000 {
			t.Errorf("%d bursts reset: want one burst's %d allocations and no more, got %d",
				bursts, prev/1000, allocs)
		}
	}
}
