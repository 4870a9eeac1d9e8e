package strbuild

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"

	"allocaware.local/measure"
)

var (
	thousand = makeParts(1000, 10)     // 1,000 parts of 10 B, as main.c's parts
	mebibyte = makeParts(1<<20/16, 16) // 1 MiB of 16-byte parts, as bench.c's
)

func TestEveryWayGivesTheSameString(t *testing.T) {
	for _, n := range []int{0, 1, 2, 1000} {
		parts := makeParts(n, 10)
		want := strings.Join(parts, "")
		for name, got := range map[string]string{
			"concat": concat(parts), "builder": builder(parts), "appendAll": string(appendAll(parts)),
			"reserve": reserve(parts), "sprintf": sprintf(parts), "buffer": buffer(parts),
		} {
			if got != want {
				t.Errorf("%s of %d parts: got %d bytes, want %d", name, n, len(got), len(want))
			}
		}
	}
}

// Allocations per join, exact. sprintf's count depends on whether a GC empties fmt's
// own pool of printers during the join, so the GC is off while measuring.
func TestEachWayAllocatesAsTheLessonSays(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	for _, c := range []struct {
		name   string
		parts  []string
		f      func([]string)
		allocs uint64
		why    string
	}{
		{"concat", thousand, func(p []string) { concat(p) }, 999, "one per part; the first += returns the part itself"},
		{"builder", thousand, func(p []string) { builder(p) }, 15, "append's growth from 8 bytes"},
		{"reserve", thousand, func(p []string) { reserve(p) }, 1, "Grow(total)"},
		{"sprintf", thousand, func(p []string) { sprintf(p) }, 2999, "per part: the result and the boxed part; s boxed unless empty"},
		{"buffer", thousand, func(p []string) { buffer(p) }, 10, "bytes.Buffer's growth, then String()'s copy"},
		{"builder", mebibyte, func(p []string) { builder(p) }, 32, "append's growth, to 1 MiB"},
		{"appendAll", mebibyte, func(p []string) { appendAll(p) }, 32, "not one per part: append over-allocates"},
		{"buffer", mebibyte, func(p []string) { buffer(p) }, 16, "doubling, then String()'s copy"},
	} {
		allocs, bytes := measure.PerRun(3, func() { c.f(c.parts) })
		t.Logf("%-9s %6d parts of %2d B: %5d allocs %6d KiB  (%s)",
			c.name, len(c.parts), len(c.parts[0]), allocs, bytes>>10, c.why)
		if allocs != c.allocs {
			t.Errorf("%s of %d parts: want %d allocations (%s), got %d",
				c.name, len(c.parts), c.allocs, c.why, allocs)
		}
	}
}

// s += part copies all of s every time: the bytes allocated are at least the sum of
// every prefix, n²/2 parts' worth.
func TestConcatAllocatesTheSumOfEveryPrefix(t *testing.T) {
	_, bytes := measure.PerRun(3, func() { concat(thousand) })
	prefixes := uint64(0)
	for i := 1; i <= len(thousand); i++ {
		prefixes += uint64(10 * i)
	}
	t.Logf("concat of 1,000 parts of 10 B: %d KiB allocated, sum of prefixes %d KiB", bytes>>10, prefixes>>10)
	if bytes < prefixes || bytes > prefixes*5/4 {
		t.Errorf("want the sum of prefixes (%d) rounded up to size classes, got %d", prefixes, bytes)
	}
}

// Reusing one builder: strings.Builder.Reset drops its buffer (the next string must
// not share the last one's memory), bytes.Buffer.Reset keeps it.
func TestResetDropsAStringsBuilderBufferAndKeepsABytesBuffer(t *testing.T) {
	// The collector off while measuring (runtime.GC still runs when PerRun calls it): a
	// join makes 2 MiB of garbage, and with collections in the middle of the joins, Go
	// 1.24 on a loaded machine read 33 allocations a join in 4 runs of 55 (the whole
	// package run again and again), and 0 of 30 with the collector off.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var sb strings.Builder
	sbAllocs, _ := measure.PerRun(3, func() {
		sb.Reset()
		for _, p := range mebibyte {
			sb.WriteString(p)
		}
	})
	var bb bytes.Buffer
	bbAllocs, _ := measure.PerRun(3, func() {
		bb.Reset()
		for _, p := range mebibyte {
			bb.WriteString(p)
		}
	})
	t.Logf("1 MiB of 16 B parts into a reused strings.Builder: %d allocs per join", sbAllocs)
	t.Logf("1 MiB of 16 B parts into a reused bytes.Buffer:    %d allocs per join", bbAllocs)
	if sbAllocs != 32 || bbAllocs != 0 {
		t.Errorf("want 32 allocations per join with strings.Builder, 0 with bytes.Buffer; got %d and %d",
			sbAllocs, bbAllocs)
	}
}
