package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// C's realloc grows a big block by moving its pages (make mremap-01); Go has no realloc:
// append past the capacity makes a new array, copies the old bytes and zeroes the rest,
// so it writes every page of the new array. Measured in a fresh process (the child
// below), where no freed memory can serve the new array with pages already touched.
func TestAppendPastABigSlicesCapacityWritesEveryPageOfANewArray(t *testing.T) {
	if os.Getenv("BASICS_REGROW_CHILD") == "1" {
		for _, st := range regrowSteps(regrowMiB) {
			fmt.Printf("%d %d %t %t %d %d %d\n", st.oldLen, st.newCap, st.moved, st.intact,
				st.mallocs, st.bytes, st.faults)
		}
		return
	}
	// Mallocs and TotalAlloc are the whole process's: a goroutine that runs while the
	// appending one is preempted or in a system call (on a loaded machine) can add an
	// allocation of its own. The append alone is deterministic, so a child whose count is
	// above 1 is run again, up to 3 times in all, and one clean run is the measurement.
	for run := 1; ; run++ {
		intruded, failed := regrowChild(t)
		if failed || !intruded {
			return
		}
		if run == 3 {
			t.Errorf("append's allocation count was not 1 in any of %d runs", run)
			return
		}
		t.Logf("run %d: another allocation during the append; running the child again", run)
	}
}

// regrowChild runs the child once and checks its two steps: intruded when the only
// fault was a count above 1 with at least the new capacity allocated, failed (the test
// marked so) for anything else wrong.
func regrowChild(t *testing.T) (intruded, failed bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAppendPastABigSlicesCapacityWritesEveryPageOfANewArray$")
	cmd.Env = append(os.Environ(), "BASICS_REGROW_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the child failed (%v):\n%.400s", err, out)
	}
	page := os.Getpagesize()
	lines := strings.Split(string(out), "\n")
	for i, want := range []int{regrowMiB << 20, 2 * regrowMiB << 20} {
		var st regrowStep
		if i >= len(lines) {
			t.Fatalf("the child printed %d lines:\n%.400s", len(lines), out)
		}
		if _, err := fmt.Sscanf(lines[i], "%d %d %t %t %d %d %d", &st.oldLen, &st.newCap, &st.moved,
			&st.intact, &st.mallocs, &st.bytes, &st.faults); err != nil || st.oldLen != want {
			t.Fatalf("line %d of the child: %q (%v)", i+1, lines[i], err)
		}
		if st.newCap <= st.oldLen || !st.moved || !st.intact {
			t.Errorf("%d MiB: new cap %d, moved %t, intact %t: expected a larger array elsewhere, the bytes copied",
				want>>20, st.newCap, st.moved, st.intact)
			failed = true
		}
		if st.mallocs != 1 || st.bytes != uint64(st.newCap) {
			if st.mallocs > 1 && st.bytes > uint64(st.newCap) {
				t.Logf("%d MiB: append made %d allocations of %d bytes, expected 1 of the new capacity, %d",
					want>>20, st.mallocs, st.bytes, st.newCap)
				intruded = true
			} else {
				t.Errorf("%d MiB: append made %d allocations of %d bytes, expected 1 of the new capacity, %d",
					want>>20, st.mallocs, st.bytes, st.newCap)
				failed = true
			}
		}
		// every page of the new array written: the copy of the old bytes and the zeroed rest
		if pages := int64(st.newCap / page); st.faults < pages {
			t.Errorf("%d MiB: %d page faults, expected at least one per page of the %d-byte new array, %d",
				want>>20, st.faults, st.newCap, pages)
			failed = true
		}
	}
	return intruded, failed
}
