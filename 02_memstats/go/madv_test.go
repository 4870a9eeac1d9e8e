package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// The Go twin of test_madv.c's question, within bounds worked out from the slice's size
// (the runtime's own pages move beside it): a []byte of madvTestMiB MiB written a byte a
// page makes the process's Anonymous grow by at least its size; dropped, collected and
// given back with debug.FreeOSMemory, by default (Go 1.16 and later on Linux: MADV_DONTNEED)
// Anonymous falls back to within a quarter of the size (the runtime keeps a few MiB of its
// own, more on Go 1.24 than on Go 1.19) and LazyFree stays below an eighth;
// with GODEBUG=madvdontneed=0 (MADV_FREE) Anonymous stays within an eighth of the size,
// LazyFree holds all but an eighth of it, and HeapReleased says at least the size was
// given back. Measured the same on Go 1.19 and Go 1.24. Each way runs in a process of its
// own (the runtime reads GODEBUG when it starts): this test binary, started again to run
// TestMadvChild alone.

const madvTestMiB = 32

func TestMadvChild(t *testing.T) {
	if os.Getenv("GO_MADV_CHILD") != "1" {
		t.Skip("run by the madv tests in a process of its own")
	}
	f, err := madvDrop(madvTestMiB)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(madvLine(f))
	os.Exit(0)
}

func madvInChild(t *testing.T, godebug string) madvFigures {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestMadvChild$")
	cmd.Env = append(os.Environ(), "GO_MADV_CHILD=1", "GODEBUG="+godebug)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the child with GODEBUG=%s: %v", godebug, err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "before=") {
			f, err := madvParse(line)
			if err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			return f
		}
	}
	t.Fatalf("the child with GODEBUG=%s printed no figures: %q", godebug, out)
	return madvFigures{}
}

func TestByDefaultFreeOSMemoryDropsThePagesAndNothingIsLazilyFree(t *testing.T) {
	size := uint64(madvTestMiB << 20)
	for _, g := range []string{"", "madvdontneed=1"} {
		f := madvInChild(t, g)
		if grew := f.Built.Anon - f.Before.Anon; grew < size {
			t.Errorf("GODEBUG=%s: the slice written a byte a page adds its size to Anonymous: %d < %d", g, grew, size)
		}
		if int64(f.Freed.Anon)-int64(f.Before.Anon) > int64(size/4) {
			t.Errorf("GODEBUG=%s: FreeOSMemory gives the pages back with MADV_DONTNEED (%s): Anonymous "+
				"before %d, after %d", g, runtime.Version(), f.Before.Anon, f.Freed.Anon)
		}
		if f.Freed.LazyFree > size/8 {
			t.Errorf("GODEBUG=%s: nothing lazily free, saw LazyFree %d", g, f.Freed.LazyFree)
		}
	}
}

func TestWithMadvdontneed0FreeOSMemoryLeavesThePagesInRssAsLazyFree(t *testing.T) {
	size := uint64(madvTestMiB << 20)
	f := madvInChild(t, "madvdontneed=0")
	if f.Freed.LazyFree < size-size/8 {
		t.Errorf("GODEBUG=madvdontneed=0: MADV_FREE puts the slice's pages in LazyFree: %d < %d",
			f.Freed.LazyFree, size-size/8)
	}
	if int64(f.Freed.Anon)-int64(f.Before.Anon) < int64(size-size/8) {
		t.Errorf("GODEBUG=madvdontneed=0: Anonymous (RSS) stays: before %d, after %d", f.Before.Anon, f.Freed.Anon)
	}
	if f.HeapReleased < size {
		t.Errorf("the runtime counts the pages released all the same: HeapReleased %d < %d", f.HeapReleased, size)
	}
}

func TestTheFiguresLineReadsBackAsWritten(t *testing.T) {
	f := madvFigures{Before: madvRollup{1, 2}, Built: madvRollup{3, 4}, Freed: madvRollup{5, 6}, HeapReleased: 7}
	g, err := madvParse(madvLine(f))
	if err != nil || g != f {
		t.Fatalf("%+v read back as %+v (%v)", f, g, err)
	}
	if _, err := madvParse("before=1,2"); err == nil {
		t.Fatal("a line cut short is an error")
	}
}
