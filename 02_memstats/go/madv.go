// The Go twin of madv.h's question: what the runtime does with the pages of a large slice
// once it is garbage, collected (runtime.GC) and given back (debug.FreeOSMemory), seen in
// the whole process's Anonymous and LazyFree (/proc/self/smaps_rollup). The runtime gives
// pages back with madvise: MADV_DONTNEED by default on Linux since Go 1.16, MADV_FREE with
// GODEBUG=madvdontneed=0, which the runtime reads when it starts; so each way runs in a
// process of its own, this program started again with -madvone and that GODEBUG.
// `go run . -madv MIB`.
package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// madvRollup is the whole process's Anonymous and LazyFree, in bytes.
type madvRollup struct {
	Anon, LazyFree uint64
}

func readRollup() (madvRollup, error) {
	var r madvRollup
	f, err := os.Open("/proc/self/smaps_rollup")
	if err != nil {
		return r, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 || fields[2] != "kB" {
			continue
		}
		n, err := strconv.ParseUint(fields[1], 10, 64)
		if err != nil {
			continue
		}
		switch fields[0] {
		case "Anonymous:":
			r.Anon = n << 10
		case "LazyFree:":
			r.LazyFree = n << 10
		}
	}
	return r, sc.Err()
}

// madvFigures is one run: the rollup before the slice, with it written, and after the
// collection and FreeOSMemory; and the runtime's HeapReleased then.
type madvFigures struct {
	Before, Built, Freed madvRollup
	HeapReleased         uint64
}

var madvSink []byte

// madvDrop makes a []byte of mib MiB, writes a byte a page, drops it, then runtime.GC()
// and debug.FreeOSMemory().
func madvDrop(mib int) (madvFigures, error) {
	var f madvFigures
	var err error
	page := os.Getpagesize()
	runtime.GC()
	debug.FreeOSMemory()
	if f.Before, err = readRollup(); err != nil {
		return f, err
	}
	madvSink = make([]byte, mib<<20)
	for i := 0; i < len(madvSink); i += page {
		madvSink[i] = 1
	}
	if f.Built, err = readRollup(); err != nil {
		return f, err
	}
	madvSink = nil
	runtime.GC()
	debug.FreeOSMemory()
	if f.Freed, err = readRollup(); err != nil {
		return f, err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	f.HeapReleased = ms.HeapReleased
	return f, nil
}

// madvLine is the figures as one line, as -madvone prints them, and read back.
func madvLine(f madvFigures) string {
	return fmt.Sprintf("before=%d,%d built=%d,%d freed=%d,%d released=%d", f.Before.Anon, f.Before.LazyFree,
		f.Built.Anon, f.Built.LazyFree, f.Freed.Anon, f.Freed.LazyFree, f.HeapReleased)
}

func madvParse(line string) (madvFigures, error) {
	var f madvFigures
	_, err := fmt.Sscanf(strings.TrimSpace(line), "before=%d,%d built=%d,%d freed=%d,%d released=%d",
		&f.Before.Anon, &f.Before.LazyFree, &f.Built.Anon, &f.Built.LazyFree, &f.Freed.Anon,
		&f.Freed.LazyFree, &f.HeapReleased)
	return f, err
}

// madvChild runs prog args in a process of its own with godebug as its GODEBUG ("" for
// none), and reads its one line.
func madvChild(prog string, args []string, godebug string) (madvFigures, error) {
	cmd := exec.Command(prog, args...)
	cmd.Env = append(os.Environ(), "GODEBUG="+godebug)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return madvFigures{}, fmt.Errorf("%s %s with GODEBUG=%s: %v", prog, strings.Join(args, " "), godebug, err)
	}
	return madvParse(string(out))
}

func madvMiB(b int64) string {
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

func madvTable(mib int) {
	prog, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "02_memstats: -madv:", err)
		os.Exit(1)
	}
	fmt.Printf("02_memstats, Go twin (%s): make([]byte, %d MiB), a byte written a page, dropped,\n", runtime.Version(), mib)
	fmt.Println("  then runtime.GC() and debug.FreeOSMemory(); the whole process's Anonymous (a change")
	fmt.Println("  from before the slice) and LazyFree, from /proc/self/smaps_rollup; a process each way")
	fmt.Printf("  %-24s %12s %14s %12s %14s\n", "GODEBUG", "Anon built", "Anon returned", "LazyFree", "HeapReleased")
	for _, g := range []string{"", "madvdontneed=1", "madvdontneed=0"} {
		f, err := madvChild(prog, []string{"-madvone", strconv.Itoa(mib)}, g)
		if err != nil {
			fmt.Fprintln(os.Stderr, "02_memstats: -madv:", err)
			os.Exit(1)
		}
		name := g
		if name == "" {
			name = "(none)"
		}
		fmt.Printf("  %-24s %12s %14s %12s %14s\n", name, madvMiB(int64(f.Built.Anon)-int64(f.Before.Anon)),
			madvMiB(int64(f.Freed.Anon)-int64(f.Before.Anon)), madvMiB(int64(f.Freed.LazyFree)),
			madvMiB(int64(f.HeapReleased)))
	}
}

// madvOne is -madvone: the figures of this process, as one line.
func madvOne(mib int) {
	f, err := madvDrop(mib)
	if err != nil {
		fmt.Fprintln(os.Stderr, "02_memstats: -madvone:", err)
		os.Exit(1)
	}
	fmt.Println(madvLine(f))
}
