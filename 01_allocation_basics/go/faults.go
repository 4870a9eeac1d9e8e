package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
)

// faultsMiB is the buffer each request of `go run . -faults` takes: past glibc's mmap
// threshold in C (make faults-01), a large object for Go's heap.
const faultsMiB = 64

// faultsRequests is how many requests each way serves: the first ones, then the steady state.
const faultsRequests = 6

// faultsSink holds the request's buffer while it is written, so that the compiler keeps it
// on the heap and the writes in place.
var faultsSink []byte

// faultsWay is how a request gets its buffer.
type faultsWay int

const (
	faultsDropped faultsWay = iota // make([]byte, n) each request, dropped after it
	faultsFreeOS                   // the same, and debug.FreeOSMemory() after each request
	faultsKept                     // one buffer made by the first request, kept
)

var faultsWayNames = [...]string{
	"make, write, drop",
	"make, write, drop, FreeOSMemory",
	"one buffer kept across requests",
}

// request writes a byte in every page of buf and reads them back; false if one differs.
func request(buf []byte, v byte) bool {
	page := os.Getpagesize()
	for i := 0; i < len(buf); i += page {
		buf[i] = v
	}
	ok := true
	for i := 0; i < len(buf); i += page {
		ok = ok && buf[i] == v
	}
	return ok
}

// faultsLoop serves n requests of bytes each, way, and returns each request's minor page
// faults (getrusage). Transparent huge pages are off, as in the C demo, so a fault is a page.
func faultsLoop(bytes, n int, way faultsWay) ([]int64, bool) {
	syscall.Syscall6(syscall.SYS_PRCTL, prSetTHPDisable, 1, 0, 0, 0, 0)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	faults := make([]int64, n)
	ok := true
	var kept []byte
	for i := 0; i < n; i++ {
		f := minorFaults()
		buf := kept
		if buf == nil {
			buf = make([]byte, bytes)
			faultsSink = buf
		}
		ok = request(buf, byte(i+1)) && ok
		if way == faultsKept {
			kept = buf
		}
		faultsSink, buf = nil, nil
		if way == faultsFreeOS {
			debug.FreeOSMemory()
		}
		faults[i] = minorFaults() - f
	}
	return faults, ok
}

// faultsChildLine runs faultsLoop for way in this process and prints its faults on one
// line, then "ok" or "CHANGED": what `-faults-way N` prints for faultsInChild.
func faultsChildLine(way faultsWay) {
	faults, ok := faultsLoop(faultsMiB<<20, faultsRequests, way)
	for _, f := range faults {
		fmt.Print(f, " ")
	}
	if ok {
		fmt.Println("ok")
	} else {
		fmt.Println("CHANGED")
	}
}

// faultsInChild runs `exe args...` with env added (this program with -faults-way N, or a
// test binary that reads its way from env) and reads its faultsChildLine: each way in a
// fresh process, so that none reuses the memory another one freed.
func faultsInChild(exe string, args []string, env string) ([]int64, bool, error) {
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), env)
	out, err := cmd.Output()
	if err != nil {
		return nil, false, fmt.Errorf("%v: %.300s", err, out)
	}
	fields := strings.Fields(string(out))
	if len(fields) != faultsRequests+1 {
		return nil, false, fmt.Errorf("the child printed %q", out)
	}
	faults := make([]int64, faultsRequests)
	for i := range faults {
		if faults[i], err = strconv.ParseInt(fields[i], 10, 64); err != nil {
			return nil, false, err
		}
	}
	return faults, fields[faultsRequests] == "ok", nil
}

// faultsDemo prints what `go run . -faults` shows: the faults of each request, each way.
func faultsDemo() {
	page := os.Getpagesize()
	bytes := faultsMiB << 20
	fmt.Printf("01_allocation_basics, Go twin (%s): each request a []byte of %d MiB (%s pages),\n"+
		"a byte of every page written; page faults of each request, each way in a process of its\n"+
		"own (transparent huge pages off)\n",
		runtime.Version(), faultsMiB, commas(uint64(bytes/page)))
	fmt.Printf("  %-34s", "")
	for i := 1; i <= faultsRequests; i++ {
		fmt.Printf(" %8s", fmt.Sprintf("#%d", i))
	}
	fmt.Println()
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "01_allocation_basics:", err)
		os.Exit(1)
	}
	for way := faultsDropped; way <= faultsKept; way++ {
		faults, ok, err := faultsInChild(exe, []string{"-faults-way", strconv.Itoa(int(way))}, "")
		if err != nil {
			fmt.Fprintln(os.Stderr, "01_allocation_basics: -faults:", err)
			os.Exit(1)
		}
		fmt.Printf("  %-34s", faultsWayNames[way])
		for _, f := range faults {
			fmt.Printf(" %8s", commas(uint64(f)))
		}
		if !ok {
			fmt.Print("  a byte read back CHANGED")
		}
		fmt.Println()
	}
}
