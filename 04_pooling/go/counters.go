package pooling

import (
	"sync"
	"sync/atomic"
)

// counters.h in Go: two goroutines, each adding to its own counter, packed 8 bytes apart
// (one cache line for both) or padded 128 bytes apart (lines of their own, and not an
// adjacent pair the prefetcher fetches together).

type packedCounters [2]uint64

type paddedCounter struct {
	n uint64
	_ [120]byte
}

type paddedCounters [2]paddedCounter

// countersRun starts two goroutines; goroutine g adds 1 to *at(g) n times, and the sum
// comes back when both are done. Plain, each add is a load, an add and a store (each
// goroutine owns its counter: no race); locked, it is atomic.AddUint64, a locked add.
func countersRun(at func(g int) *uint64, n int, locked bool) uint64 {
	var wg sync.WaitGroup

	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func(c *uint64) {
			defer wg.Done()
			if locked {
				for i := 0; i < n; i++ {
					atomic.AddUint64(c, 1)
				}
				return
			}
			for i := 0; i < n; i++ {
				*c++
			}
		}(at(g))
	}
	wg.Wait()
	return *at(0) + *at(1)
}

// countersNew returns where goroutine g's counter is, in a fresh packed or padded pair.
func countersNew(padded bool) func(g int) *uint64 {
	if padded {
		c := new(paddedCounters)
		return func(g int) *uint64 { return &c[g].n }
	}
	c := new(packedCounters)
	return func(g int) *uint64 { return &c[g] }
}
