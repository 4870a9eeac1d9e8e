// The Go twin of test_gcpace.c: what the README says of the collector's pacing, pinned on
// Go 1.19 and 1.24. The goal is exact to what the runtime adds for stacks and globals;
// the collections and the peak depend on when each collection runs, so they are bounds
// taken from the pacer's own rule (it starts a cycle between 45/64 and 61/64 of the way
// from the live heap to the goal, on both versions) with the rows run on one P.
package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
)

const (
	testLiveMiB    = 16
	testGarbageMiB = 128
	minTrigger     = 45.0 / 64 // the pacer's earliest trigger, of the way to the goal
	globalsBound   = 64 << 10  // this test binary's globals, and more
)

// withLive keeps a live set of liveMiB for the test, then drops it.
func withLive(t *testing.T, liveMiB int) {
	paceKeep(liveMiB)
	t.Cleanup(func() { paceLive = nil; runtime.GC() })
}

func TestTheHeapGoalIsTheLiveHeapPlusGOGCPercentOfItAndOfTheStacks(t *testing.T) {
	withLive(t, testLiveMiB)
	for _, g := range []int{50, 100, 200} {
		r := paceRun(paceConfig{"", g, 0}, 1)
		pct := float64(g) / 100
		// Go 1.18 added the stacks and globals to what GOGC is a percentage of: the
		// goal is live + (live + stacks + globals) * GOGC/100. 1.19 counts the stacks
		// in use whole (StackInuse), 1.24 the part of them scanned, less.
		extra := float64(r.goal) - float64(r.live)*(1+pct)
		if extra <= 0 || extra/pct > float64(r.stacks+globalsBound) {
			t.Errorf("GOGC=%d: goal %d with %d live: expected live x %.1f plus GOGC%% of the stacks (%d) and globals (< %d), saw %+.0f over live x %.1f",
				g, r.goal, r.live, 1+pct, r.stacks, globalsBound, extra, 1+pct)
		}
	}
}

func TestATinyHeapStillGetsAGoalOfFourMiBTimesGOGCPercent(t *testing.T) {
	for _, g := range []int{50, 100, 200} {
		r := paceRun(paceConfig{"", g, 0}, 1)
		if want := uint64(4<<20) * uint64(g) / 100; r.goal != want || r.live >= want/4 {
			t.Errorf("GOGC=%d, %d B live: goal %d, expected the runtime's minimum, 4 MiB x GOGC/100 = %d",
				g, r.live, r.goal, want)
		}
	}
}

func TestTheHeapGrowsToTheTriggerAtLeastBeforeACollection(t *testing.T) {
	withLive(t, testLiveMiB)
	for _, g := range []int{50, 100, 200} {
		r := paceRun(paceConfig{"", g, 0}, testGarbageMiB)
		headroom := float64(r.goal - r.live)
		if min := float64(r.live) + minTrigger*headroom - paceBlock*paceSampleEvery; float64(r.peak) < min {
			t.Errorf("GOGC=%d: the heap peaked at %.2fL, expected at least %.2fL (45/64 of the way to the goal, %.2fL)",
				g, ofLive(r.peak, testLiveMiB), min/float64(testLiveMiB<<20), ofLive(r.goal, testLiveMiB))
		}
	}
}

func TestAHigherGOGCCollectsLessOftenNeverMoreThanItsGoalAllows(t *testing.T) {
	withLive(t, testLiveMiB)
	last := uint32(math.MaxUint32)
	for _, g := range []int{50, 100, 200} {
		r := paceRun(paceConfig{"", g, 0}, testGarbageMiB)
		// a cycle needs at least 45/64 of the headroom allocated before it starts
		most := float64(r.garbage)/(minTrigger*float64(r.goal-r.live)) + 1
		if r.numGC == 0 || float64(r.numGC) > most {
			t.Errorf("GOGC=%d: %d collections for %d MiB of garbage, expected 1 to %.1f", g, r.numGC,
				r.garbage>>20, most)
		}
		if r.numGC >= last {
			t.Errorf("GOGC=%d: %d collections, expected fewer than at the lower GOGC (%d)", g, r.numGC, last)
		}
		last = r.numGC
	}
}

func TestAMemoryLimitCollectsWithGOGCOffAndMoreOftenTheLowerItIs(t *testing.T) {
	// Before GOGC=off's test: the heap that one grows leaves the runtime's metadata larger,
	// and a limit counts it. 32 MiB live, so that the runtime's own memory is a small part.
	const liveMiB = 2 * testLiveMiB
	withLive(t, liveMiB)
	live := int64(liveMiB) << 20
	high := paceRun(paceConfig{"", -1, 2 * live}, testGarbageMiB)
	low := paceRun(paceConfig{"", -1, live * 6 / 5}, testGarbageMiB)
	// 2L: the goal is what the limit leaves the heap once the runtime's own memory is
	// counted, above the live set; 1.2L is below what the runtime holds with L live
	// (held0), so it cannot be met: the goal is the live heap and it collects on and on.
	if high.numGC == 0 || high.goal <= high.live || high.goal >= uint64(2*live) {
		t.Errorf("GOGC=off, limit 2L: %d collections, goal %.2fL; expected collections and a goal between L and 2L",
			high.numGC, ofLive(high.goal, liveMiB))
	}
	if low.held0 <= uint64(live*6/5) || low.numGC < 3*high.numGC {
		t.Errorf("GOGC=off, limit 1.2L: held %.2fL before the churn, %d collections; expected more than 1.2L held "+
			"and at least 3 times the collections at 2L (%d)", ofLive(low.held0, liveMiB), low.numGC, high.numGC)
	}
	// The limit is soft: a run on Go 1.24 peaked a few percent past it.
	if high.held > uint64(2*live)*5/4 {
		t.Errorf("GOGC=off, limit 2L: the runtime held %.2fL at its peak, expected within a quarter of the limit",
			ofLive(high.held, liveMiB))
	}
}

func TestGOGCOffNeverCollectsAndTheHeapHoldsEveryGarbageByte(t *testing.T) {
	withLive(t, testLiveMiB)
	r := paceRun(paceConfig{"", -1, 0}, testGarbageMiB)
	if r.numGC != 0 || r.peak < r.live+r.garbage-paceBlock*paceSampleEvery {
		t.Errorf("GOGC=off: %d collections, peak %.2fL; expected 0 and the live set plus all %d MiB of garbage",
			r.numGC, ofLive(r.peak, testLiveMiB), r.garbage>>20)
	}
}

func TestNoRuntimeMetricIsAPeakOfTheHeap(t *testing.T) {
	for _, d := range metrics.All() {
		n := strings.ToLower(d.Name)
		if strings.HasPrefix(n, "/memory/") && (strings.Contains(n, "peak") || strings.Contains(n, "max") ||
			strings.Contains(n, "high")) {
			t.Errorf("%s: a high-water mark of memory; the README says there is none to read, only to sample", d.Name)
		}
	}
	if _, ok := any(runtime.MemStats{}).(interface{ Peak() uint64 }); ok {
		t.Error("MemStats has a peak")
	}
	_ = debug.SetGCPercent // GOGC and GOMEMLIMIT's setters, both in runtime/debug since 1.19
	_ = debug.SetMemoryLimit
}
