// The Go twin of threads.h: what a goroutine costs. n goroutines parked on a channel,
// runtime.MemStats read with all of them parked: StackInuse and StackSys (the
// goroutines' stacks, which are not heap), Mallocs and TotalAlloc (each goroutine's
// descriptor and the closure of its go statement). Then one goroutine that calls a
// function with a 1,000-byte frame deeper and deeper: its stack starts small and the
// runtime copies it to one twice the size whenever it runs out, so StackInuse, read while
// it is parked at the bottom, doubles with the depth. `go run . -threads N` prints both.
package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// goroutineCost is what a batch of parked goroutines moved, per goroutine.
type goroutineCost struct {
	stackInuse, stackSys, mallocs, bytes float64
}

func parkOne(wg *sync.WaitGroup, release <-chan struct{}) {
	wg.Done()
	<-release
}

// parkedCost starts n goroutines that park on one channel, reads MemStats with all of
// them parked, then releases them. The collector is off meanwhile, with one P.
func parkedCost(n int) goroutineCost {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	runtime.GC()
	var before, parked runtime.MemStats
	release := make(chan struct{})
	var wg sync.WaitGroup
	runtime.ReadMemStats(&before)
	wg.Add(n)
	for i := 0; i < n; i++ {
		go parkOne(&wg, release)
	}
	wg.Wait()
	runtime.ReadMemStats(&parked)
	close(release)
	per := func(a, b uint64) float64 { return float64(int64(a-b)) / float64(n) }
	return goroutineCost{per(parked.StackInuse, before.StackInuse), per(parked.StackSys, before.StackSys),
		per(parked.Mallocs, before.Mallocs), per(parked.TotalAlloc, before.TotalAlloc)}
}

const frameBytes = 1000 // dive's frame holds this much, and a little more

//go:noinline
func dive(depth int, at chan<- struct{}, release <-chan struct{}) byte {
	var pad [frameBytes]byte
	pad[depth%frameBytes] = byte(depth)
	if depth == 0 {
		at <- struct{}{}
		<-release
		return pad[0]
	}
	return dive(depth-1, at, release) + pad[depth*7%frameBytes]
}

// deepStack is the most of five readings of deepStackOnce: a reading can come out 0 on
// Go 1.24 when the dive's stack reuses memory StackInuse already counted (a stack freed
// meanwhile), never more than the stack.
func deepStack(depth int) uint64 {
	most := uint64(0)
	for i := 0; i < 5; i++ {
		if s := deepStackOnce(depth); s > most {
			most = s
		}
	}
	return most
}

// deepStackOnce is how much StackInuse grows while one goroutine is parked depth calls of
// dive deep: its stack, once past the sizes the runtime serves from its pools of small
// stacks (below 32 KiB), which StackInuse counts by the 32 KiB span.
func deepStackOnce(depth int) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	runtime.GC()
	var before, parked runtime.MemStats
	at, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	runtime.ReadMemStats(&before)
	go func() {
		dive(depth, at, release)
		close(done)
	}()
	<-at
	runtime.ReadMemStats(&parked)
	close(release)
	<-done // its stack freed before the next one starts, not while it is measured
	return parked.StackInuse - before.StackInuse
}

var diveDepths = []int{16, 32, 64, 128, 256, 512, 1024}

func threadsTable(n int) {
	c := parkedCost(n)
	fmt.Printf("02_memstats, Go twin (%s): %s goroutines parked on a channel, GOMAXPROCS(1),\n"+
		"the collector off; runtime.MemStats with all of them parked, per goroutine:\n", runtime.Version(), commas(uint64(n)))
	fmt.Printf("  StackInuse %8.0f B   StackSys %8.0f B   Mallocs %5.2f   TotalAlloc %6.0f B\n",
		c.stackInuse, c.stackSys, c.mallocs, c.bytes)
	fmt.Printf("one goroutine parked at the bottom of depth calls of a %d-byte frame:\n", frameBytes)
	fmt.Printf("  %6s  %12s\n", "depth", "StackInuse")
	for _, d := range diveDepths {
		fmt.Printf("  %6d  %12s\n", d, commas(deepStack(d)))
	}
}
