package pooling

import (
	"sync"
	"testing"
)

// The benchmarks of bench.c, in Go (tools/go.sh 04_pooling bench).

func BenchmarkWithAlloc(b *testing.B) {
	for i := 0; i < b.N; i++ {
		withAlloc()
	}
}

func BenchmarkWithAllocSink(b *testing.B) {
	for i := 0; i < b.N; i++ {
		withAllocSink()
	}
}

func BenchmarkWithPool(b *testing.B) {
	for i := 0; i < b.N; i++ {
		withPool()
	}
}

func BenchmarkWithPoolSlice(b *testing.B) {
	for i := 0; i < b.N; i++ {
		withPoolSlice()
	}
}

func BenchmarkWithPoolSlicePtr(b *testing.B) {
	for i := 0; i < b.N; i++ {
		withPoolSlicePtr()
	}
}

func BenchmarkMalloc4KiB(b *testing.B) {
	for i := 0; i < b.N; i++ {
		buf := make([]byte, requestBuf)
		buf[0] = byte(i)
		sink = buf
	}
}

func BenchmarkPool4KiB(b *testing.B) {
	for i := 0; i < b.N; i++ {
		buf := requestPool.Get().(*[requestBuf]byte)
		buf[0] = byte(i)
		requestPool.Put(buf)
	}
}

// batch: 64-byte objects live at once, as in bench.c.
const batch = 1000

func BenchmarkMalloc64B(b *testing.B) {
	var live [batch]*node
	k := 0

	for i := 0; i < b.N; i++ {
		nd := new(node)
		nd.key = uint64(i)
		live[k] = nd
		if k++; k == batch {
			live = [batch]*node{} // the batch is garbage now
			k = 0
		}
	}
}

func BenchmarkArena64B(b *testing.B) {
	arena := make([]node, 0, batch)

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		arena = append(arena, node{key: uint64(i)})
		if len(arena) == batch {
			arena = arena[:0]
		}
	}
}

// mutexPool is mpool.h in Go: one free list behind one lock.
type mutexPool struct {
	mu   sync.Mutex
	free []*[requestBuf]byte
}

func (p *mutexPool) get() *[requestBuf]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		buf := p.free[n-1]
		p.free = p.free[:n-1]
		return buf
	}
	return new([requestBuf]byte)
}

func (p *mutexPool) put(buf *[requestBuf]byte) {
	p.mu.Lock()
	p.free = append(p.free, buf)
	p.mu.Unlock()
}

// The 2-thread pair of bench.c: RunParallel runs one goroutine per P (GOMAXPROCS), and
// ns/op is wall time over the get+put pairs of all of them.
func BenchmarkMutexPoolParallel(b *testing.B) {
	var p mutexPool

	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			buf := p.get()
			buf[0] = 1
			p.put(buf)
		}
	})
}

func BenchmarkSyncPoolParallel(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			buf := requestPool.Get().(*[requestBuf]byte)
			buf[0] = 1
			requestPool.Put(buf)
		}
	})
}

// The false-sharing pairs of bench.c: two goroutines, each adding to its own counter
// b.N/2 times, packed or padded, plain or locked (counters.go); ns/op is wall time over
// the adds of both, as for bench.c's.
var sinkCount uint64

func benchCounters(b *testing.B, padded, locked bool) {
	sinkCount = countersRun(countersNew(padded), (b.N+1)/2, locked)
}

func BenchmarkCountersPacked(b *testing.B) { benchCounters(b, false, false) }
func BenchmarkCountersPadded(b *testing.B) { benchCounters(b, true, false) }
func BenchmarkLockedPacked(b *testing.B)   { benchCounters(b, false, true) }
func BenchmarkLockedPadded(b *testing.B)   { benchCounters(b, true, true) }
