// The collector's pacing: the Go side of make gcpace-02. A live set of L MiB in 4 KiB
// blocks stays reachable while G MiB of garbage, 4 KiB blocks dropped at once, go through
// it. After each collection the runtime sets a heap goal, NextGC: the live heap plus
// GOGC percent of it (and of the stacks and globals, from Go 1.18), at least 4 MiB at
// GOGC=100. The heap grows to about that before the next collection ends, so at GOGC=100
// it is about twice what it holds. debug.SetGCPercent and debug.SetMemoryLimit (Go 1.19)
// are GOGC and GOMEMLIMIT set from inside the program.
package main

import (
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

const paceBlock = 4096 // bytes: a size class of its own, so TotalAlloc is the bytes asked for

// paceConfig is one row: GOGC (-1: off) and a memory limit in bytes (0: none).
type paceConfig struct {
	name  string
	gogc  int
	limit int64
}

// paceResult is what one row measured.
type paceResult struct {
	live    uint64 // HeapAlloc right after runtime.GC(), the live set held
	goal    uint64 // NextGC then: the heap goal the pacer set
	stacks  uint64 // StackInuse then
	peak    uint64 // the highest heap in objects seen during the churn (sampled)
	held0   uint64 // Sys - HeapReleased then: what the runtime holds, which a limit counts
	held    uint64 // the highest Sys - HeapReleased during the churn (sampled)
	numGC   uint32 // collections during the churn
	garbage uint64 // TotalAlloc during the churn: the garbage's bytes
}

var (
	paceLive [][]byte // the live set
	paceSink []byte   // where each garbage block goes, to be dropped by the next
)

// The samples read during the churn. runtime/metrics reads without stopping the world,
// unlike ReadMemStats, so sampling does not pace the collector itself. Neither has a
// peak of the heap: it has to be sampled (TestNoRuntimeMetricIsAPeakOfTheHeap).
var paceSamples = []metrics.Sample{
	{Name: "/memory/classes/heap/objects:bytes"},  // HeapAlloc
	{Name: "/memory/classes/total:bytes"},         // Sys
	{Name: "/memory/classes/heap/released:bytes"}, // HeapReleased
}

// paceSampleEvery: one sample per this many garbage blocks (64 KiB), so a peak is seen
// to within 64 KiB.
const paceSampleEvery = 16

// paceKeep makes the live set: liveMiB MiB in 4 KiB blocks, with the collector off.
func paceKeep(liveMiB int) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	paceLive = make([][]byte, liveMiB<<20/paceBlock)
	for i := range paceLive {
		paceLive[i] = make([]byte, paceBlock)
	}
}

// paceRun runs one row on one P: the pages of earlier rows handed back
// (debug.FreeOSMemory), GOGC and the limit set, a collection, the goal read, then
// garbageMiB MiB of garbage allocated one block at a time, each filled. GOGC, the limit
// and GOMAXPROCS are put back before it returns.
func paceRun(c paceConfig, garbageMiB int) paceResult {
	var r paceResult
	var m runtime.MemStats
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	debug.FreeOSMemory() // the pages of earlier rows back to the kernel
	debug.SetGCPercent(c.gogc)
	if c.limit > 0 {
		debug.SetMemoryLimit(c.limit)
	}
	runtime.GC() // the goal is set at the end of a collection
	runtime.ReadMemStats(&m)
	r.live, r.goal, r.stacks = m.HeapAlloc, m.NextGC, m.StackInuse
	r.held0 = m.Sys - m.HeapReleased
	gc0, total0 := m.NumGC, m.TotalAlloc
	blocks := garbageMiB << 20 / paceBlock
	for i := 0; i < blocks; i++ {
		paceSink = make([]byte, paceBlock)
		paceFill(paceSink, i) // the work: every byte written, as C's gcpace_churn does
		if i%paceSampleEvery == 0 {
			metrics.Read(paceSamples)
			if v := paceSamples[0].Value.Uint64(); v > r.peak {
				r.peak = v
			}
			if v := paceSamples[1].Value.Uint64() - paceSamples[2].Value.Uint64(); v > r.held {
				r.held = v
			}
		}
	}
	paceSink = nil
	runtime.ReadMemStats(&m)
	r.numGC, r.garbage = m.NumGC-gc0, m.TotalAlloc-total0
	return r
}

// paceRows: GOGC at 50, 100 and 200, off with a memory limit at 2 and at 1.2 times the
// live set, and off.
func paceRows(liveMiB int) []paceConfig {
	live := int64(liveMiB) << 20
	return []paceConfig{
		{"GOGC=50", 50, 0},
		{"GOGC=100", 100, 0},
		{"GOGC=200", 200, 0},
		{"GOGC=off GOMEMLIMIT=2.0L", -1, 2 * live},
		{"GOGC=off GOMEMLIMIT=1.2L", -1, live * 6 / 5},
		{"GOGC=off", -1, 0}, // last: the heap it grows leaves metadata behind
	}
}

// paceTable prints every row: the goal against the live set, the peak, the collections.
func paceTable(liveMiB, garbageMiB int) {
	fmt.Printf("02_memstats, Go twin (%s): a live set of L = %d MiB in %d B blocks, then %d MiB of\n"+
		"garbage through it, one block at a time, filled; GOMAXPROCS 1\n",
		runtime.Version(), liveMiB, paceBlock, garbageMiB)
	paceKeep(liveMiB)
	fmt.Printf("  %-26s %9s %9s %9s %9s %9s %12s %12s\n", "", "live", "goal", "peak", "held0", "held",
		"collections", "MiB per GC")
	for _, c := range paceRows(liveMiB) {
		r := paceRun(c, garbageMiB)
		per := "-"
		if r.numGC > 0 {
			per = fmt.Sprintf("%.1f", float64(r.garbage)/(1<<20)/float64(r.numGC))
		}
		goal := fmt.Sprintf("%.2fL", ofLive(r.goal, liveMiB))
		if c.gogc < 0 && c.limit == 0 {
			goal = "none"
		}
		fmt.Printf("  %-26s %7.2fL %8s %7.2fL %7.2fL %7.2fL %12d %12s\n", c.name,
			ofLive(r.live, liveMiB), goal, ofLive(r.peak, liveMiB),
			ofLive(r.held0, liveMiB), ofLive(r.held, liveMiB), r.numGC, per)
	}
	paceLive = nil
	tiny := paceRun(paceConfig{"", 100, 0}, 1)
	fmt.Printf("  with nothing kept (%s B live), GOGC=100: goal %.1f MiB, the runtime's minimum (4 MiB x GOGC/100)\n",
		commas(tiny.live), float64(tiny.goal)/(1<<20))
	fmt.Println("live: HeapAlloc after runtime.GC(); goal: NextGC then; peak: the highest HeapAlloc")
	fmt.Println("while the garbage goes through, sampled every 64 KiB; held0, held: Sys - HeapReleased")
	fmt.Println("(what a memory limit counts) before, and at its highest; each a multiple of L")
}

// paceFill writes every byte of b.
func paceFill(b []byte, i int) {
	for j := range b {
		b[j] = byte(i + j)
	}
}

func ofLive(b uint64, liveMiB int) float64 { return float64(b) / float64(uint64(liveMiB)<<20) }
