// The Go twin of test_threads.c. A goroutine's stack starts at 2 KiB and is copied to one
// twice the size whenever it runs out: while a goroutine is parked d calls of dive deep,
// StackInuse has grown by a power of two at least d frames long and under four times
// that, and twice the depth is exactly twice the stack (Go 1.19 and 1.24). Parked
// goroutines are counted within bounds, since earlier tests leave dead goroutines whose
// descriptors and stacks the runtime reuses: a few KiB of stack and a few allocations
// each, against a thread's 8 MiB mapped.
package main

import "testing"

func TestAGoroutinesStackDoublesWithTheDepth(t *testing.T) {
	defer gcByHand()()
	prev := uint64(0)
	for _, d := range diveDepths {
		got := deepStack(d) // the most of several readings: a stack freed meanwhile may be reused
		if got&(got-1) != 0 || got < uint64(d*frameBytes) || got >= uint64(4*d*frameBytes) {
			t.Errorf("depth %d: StackInuse grew by %d B, expected a power of two from %d to %d B",
				d, got, d*frameBytes, 4*d*frameBytes)
		}
		if prev != 0 && got != 2*prev {
			t.Errorf("depth %d: %d B, expected twice the stack at half the depth (%d B)", d, got, 2*prev)
		}
		prev = got
	}
}

func TestAParkedGoroutineCostsAFewKiBOfStackAndAFewAllocations(t *testing.T) {
	defer gcByHand()()
	const n = 10000
	c := parkedCost(n)
	if c.stackInuse < 1024 || c.stackInuse > 8192 {
		t.Errorf("StackInuse per goroutine %.0f B, expected 1 to 8 KiB (it starts at 2 KiB)", c.stackInuse)
	}
	if c.mallocs > 4 || c.bytes > 1024 {
		t.Errorf("per goroutine %.2f allocations of %.0f B, expected at most 4 and 1 KiB "+
			"(a new goroutine's descriptor, unless a dead one is reused)", c.mallocs, c.bytes)
	}
	if c.mallocs < 0.99 {
		t.Errorf("per goroutine %.2f allocations, expected at least one", c.mallocs)
	}
}
