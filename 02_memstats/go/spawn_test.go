// The Go twin of test_spawn.c. In a fresh process (this test binary run again for
// TestSpawnChild alone), since THP is turned off for the process and its children: a
// []byte of 8 MiB written, then each way's child, then the slice written again one byte a
// page, counted on the goroutine's own thread. After exec.Command("/bin/true").Run() the
// pass takes no fault: os/exec's clone(CLONE_VFORK | CLONE_VM) copies no page table and
// write-protects nothing. After a raw fork (clone with SIGCHLD alone) it takes one a page,
// and at most spawnSlack more, the runtime's own (a signal frame, a stack page), measured
// 0 or 1: the measure sees faults where there are some. Go 1.19 and 1.24 alike.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

const (
	spawnTestMiB  = 8
	spawnSlack    = 16
	spawnChildEnv = "SPAWN_TEST_CHILD"
)

// TestSpawnChild measures, when run as the child, and prints the figures on a line.
func TestSpawnChild(t *testing.T) {
	if os.Getenv(spawnChildEnv) != "1" {
		t.Skip("the child of TestExecCommandLeavesTheParentNoFaultAndARawForkOneAPage")
	}
	if err := spawnTHPOff(); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, spawnTestMiB<<20)
	pe, fe, err := spawnFaults(b, spawnExec)
	if err != nil {
		t.Fatal(err)
	}
	pf, ff, err := spawnFaults(b, spawnRawFork)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("figures %d %d %d %d\n", pe, fe, pf, ff)
}

func TestExecCommandLeavesTheParentNoFaultAndARawForkOneAPage(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestSpawnChild$", "-test.v")
	cmd.Env = append(os.Environ(), spawnChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the child: %v\n%s", err, out)
	}
	var pe, fe, pf, ff uint64
	var at int
	for at = 0; at < len(out); at++ {
		if n, _ := fmt.Sscanf(string(out[at:]), "figures %d %d %d %d", &pe, &fe, &pf, &ff); n == 4 {
			break
		}
	}
	if at == len(out) {
		t.Fatalf("the child printed no figures:\n%s", out)
	}
	pages := uint64(spawnTestMiB << 20 / spawnPage)
	if pe != pages || pf != pages {
		t.Fatalf("expected %d pages written each time, saw %d and %d", pages, pe, pf)
	}
	if fe != 0 {
		t.Errorf("after exec.Command(...).Run(): expected no fault (clone with CLONE_VFORK | CLONE_VM "+
			"copies no page table), saw %d for %d pages", fe, pages)
	}
	if ff < pages || ff > pages+spawnSlack {
		t.Errorf("after a raw fork: expected a fault a page (%d), and at most %d of the runtime's, saw %d",
			pages, spawnSlack, ff)
	}
}
