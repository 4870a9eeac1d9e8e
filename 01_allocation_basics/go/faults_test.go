package main

import (
	"os"
	"testing"
)

// A 64 MiB []byte made, written a byte a page and dropped by every request; or kept across
// requests; or dropped with debug.FreeOSMemory() after each request. Each way in a fresh
// process (the child below). The runtime's own pages fault beside the buffer's and the
// collector runs when it likes, so the figures are bounds: measured on Go 1.19 and 1.24.
func TestARequestLoopFaultsAsTheHeapKeepsOrReturnsItsPages(t *testing.T) {
	if way := os.Getenv("BASICS_FAULTS_WAY"); way != "" {
		w := faultsDropped
		for ; w <= faultsKept && faultsWayNames[w] != way; w++ {
		}
		faultsChildLine(w)
		os.Exit(0)
	}
	pages := int64((faultsMiB << 20) / os.Getpagesize())
	run := func(way faultsWay) []int64 {
		faults, ok, err := faultsInChild(os.Args[0],
			[]string{"-test.run=^TestARequestLoopFaultsAsTheHeapKeepsOrReturnsItsPages$"},
			"BASICS_FAULTS_WAY="+faultsWayNames[way])
		if err != nil {
			t.Fatalf("%s: the child: %v", faultsWayNames[way], err)
		}
		if !ok {
			t.Fatalf("%s: a byte read back differs from what was written", faultsWayNames[way])
		}
		return faults
	}

	// dropped: the first request maps every page; once the collector has freed a buffer,
	// the next one reuses its pages, still mapped: far fewer than a page each
	dropped := run(faultsDropped)
	if dropped[0] < pages {
		t.Errorf("make, write, drop: request 1 faulted %d times, expected at least one a page (%d)", dropped[0], pages)
	}
	for i := 3; i < faultsRequests; i++ {
		if dropped[i] > pages/4 {
			t.Errorf("make, write, drop: request %d faulted %d times, expected the steady state "+
				"to reuse the freed buffer's pages (far fewer than %d)", i+1, dropped[i], pages)
		}
	}
	// FreeOSMemory returns the freed pages to the kernel: every request maps them again
	freed := run(faultsFreeOS)
	for i := 1; i < faultsRequests; i++ {
		if freed[i] < pages {
			t.Errorf("with FreeOSMemory: request %d faulted %d times, expected at least one a page (%d)", i+1, freed[i], pages)
		}
	}
	// kept: the first request maps every page, and the others find them mapped
	kept := run(faultsKept)
	if kept[0] < pages {
		t.Errorf("kept: request 1 faulted %d times, expected at least %d", kept[0], pages)
	}
	for i := 1; i < faultsRequests; i++ {
		if kept[i] > 64 {
			t.Errorf("kept: request %d faulted %d times, expected the runtime's own few at most (64)", i+1, kept[i])
		}
	}
}
