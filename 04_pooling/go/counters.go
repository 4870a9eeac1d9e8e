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

// countersRun starts two goroutines; goroutine g adds 1 to *c[g] n times, and the sum
// comes back when both are done. Plain, each add is a load, an add and a store (each
// goroutine owns its counter: no race); locked, it is atomic.AddUint64, a locked add.
func countersRun(c [2]*uint64, n int, locked bool) uint64 {
	var wg sync.WaitGroup

	for _, own := range c {
		wg.Add(1)
		go func(own *uint64) {
			defer wg.Done()
			if locked {
				for i := 0; i < n; i++ {
					atomic.AddUint64(own, 1)
				}
				return
			}
			for i := 0; i < n; i++ {
				*own++
			}
		}(own)
	}
	wg.Wait()
	return *c[0] + *c[1]
}

// countersNew returns the two counters of a fresh packed or padded pair.
func countersNew(padded bool) [2]*uint64 {
	if padded {
		c := new(paddedCounters)
		return [2]*uint64{&c[0].n, &c[1].n}
	}
	c := new(packedCounters)
	return [2]*uint64{&c[0], &c[1]}
}
