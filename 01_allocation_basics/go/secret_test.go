package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// Each case runs in a process of its own, this test binary run again for
// TestSecretCaseChild: a case run after another in one process would find what the other
// left. The child prints one line "copies WHOLE HEAD TAIL" per step.
func secretCaseCounts(t *testing.T, k int) []secretCopies {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecretCaseChild$")
	cmd.Env = append(os.Environ(), "SECRET_CASE="+strconv.Itoa(k))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("case %d: %v\n%s", k, err, out)
	}
	var counts []secretCopies
	for _, line := range splitLines(string(out)) {
		var c secretCopies
		if n, _ := fmt.Sscanf(line, "copies %d %d %d", &c.whole, &c.head, &c.tail); n == 3 {
			counts = append(counts, c)
		}
	}
	return counts
}

func splitLines(s string) []string {
	var lines []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		lines = append(lines, s[:i])
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	return lines
}

func TestSecretCaseChild(t *testing.T) {
	k, err := strconv.Atoi(os.Getenv("SECRET_CASE"))
	if err != nil {
		t.Skip("run by secretCaseCounts only")
	}
	steps, err := secretCase(k)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		fmt.Printf("copies %d %d %d\n", st.c.whole, st.c.head, st.c.tail)
	}
}

func wantCopies(t *testing.T, k int, want []int, why []string) {
	t.Helper()
	got := secretCaseCounts(t, k)
	if len(got) != len(want) {
		t.Fatalf("case %d: %d steps counted, want %d", k, len(got), len(want))
	}
	for i := range want {
		if got[i].whole != want[i] || got[i].head != 0 || got[i].tail != 0 {
			t.Errorf("case %d, %s: %d whole copies, %d first and %d last halves alone; want %d whole",
				k, why[i], got[i].whole, got[i].head, got[i].tail, want[i])
		}
	}
}

// The instrument both ways: 0 before the secret is put anywhere (it keeps the secret
// masked, its buffer in a mapping the search skips), 1 once it is put in a slice, 0 once
// the slice is zeroed with a loop. Go 1.19 and 1.24 alike.
func TestAZeroedSliceLeavesNoCopyAndTheSearchFindsTheOneThatWasPut(t *testing.T) {
	wantCopies(t, 0, []int{0, 1, 0}, []string{"nothing put", "put in a slice", "the slice zeroed"})
}

// string(b) copies the bytes into memory the program cannot write; zeroing b leaves it, and
// the collector frees it without clearing it (Go clears memory when it hands it out). Go
// 1.19 and 1.24 alike.
func TestStringOfASecretIsACopyThatNoZeroingReachesNotEvenTheCollectors(t *testing.T) {
	wantCopies(t, 1, []int{1, 1}, []string{"string(b), b zeroed", "the string dropped, runtime.GC()"})
}

// append past the capacity moves the bytes to a new array and leaves the old one as it
// was: zeroing the new slice leaves the old array's copy, before a collection and after.
// Go 1.19 and 1.24 alike.
func TestAppendPastTheCapacityLeavesTheOldArrayWithTheSecret(t *testing.T) {
	wantCopies(t, 2, []int{1, 1}, []string{"append, the new slice zeroed", "runtime.GC()"})
}
