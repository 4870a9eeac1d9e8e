package main

import (
	"fmt"
	"runtime"
)

// Go's counterpart of cleanup.c's four ways is defer: the call is written right after
// the acquisition and runs when the function returns, the last deferred first, as a goto
// ladder's labels do. (A failed allocation is not among the failures it cleans up after:
// out of memory ends the program, see outOfMemory.)

// cleanupCount is what was acquired and not yet released: 0 between calls.
var cleanupCount int

func release() { cleanupCount-- }

// deferOrder defers three calls, in the order a function acquires three resources, and
// returns the order in which they ran.
func deferOrder() []string {
	var ran []string
	func() {
		defer func() { ran = append(ran, "release 1 (deferred first)") }()
		defer func() { ran = append(ran, "release 2") }()
		defer func() { ran = append(ran, "release 3 (deferred last)") }()
	}()
	return ran
}

// withDefer is one defer in a function's body.
func withDefer() {
	cleanupCount++
	defer release()
}

// deferInLoop defers n calls from a loop: each needs a record of its own.
func deferInLoop(n int) {
	for i := 0; i < n; i++ {
		cleanupCount++
		defer release()
	}
}

// cleanupAllocs is what one call of each allocates, testing.AllocsPerRun.
func cleanupAllocs() (one, loop8 uint64) {
	return allocsPerRun(100, withDefer), allocsPerRun(100, func() { deferInLoop(8) })
}

func cleanup() {
	fmt.Printf("defer (%s):\n", runtime.Version())
	for _, s := range deferOrder() {
		fmt.Println("  " + s)
	}
	one, loop8 := cleanupAllocs()
	fmt.Printf("  allocations per call, one defer in the body:   %d\n", one)
	fmt.Printf("  allocations per call, 8 defers from a loop:    %d\n", loop8)
}
