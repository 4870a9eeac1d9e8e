package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
	"unsafe"
)

// regrowMiB is the slice `go run . -grow` starts from, and then twice it: the sizes of
// make mremap-01 in C.
const regrowMiB = 32

// prSetTHPDisable is prctl's PR_SET_THP_DISABLE (linux/prctl.h): no transparent huge
// pages for this process, so that each page fault is one base page, as in the C demo.
const prSetTHPDisable = 41

// regrowKept holds every array the growths made: nothing is freed, so each new array
// comes from memory the process never touched, whose pages fault when written.
var regrowKept [][]byte

// regrowStep is what one append past a full slice's capacity did.
type regrowStep struct {
	oldLen, newCap int
	moved          bool   // the backing array has another address
	intact         bool   // every page's byte reads what was written
	mallocs, bytes uint64 // runtime.MemStats: Mallocs and TotalAlloc during the append
	faults         int64  // minor page faults during the append (getrusage)
}

func minorFaults() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Minflt
}

// appendPastCap makes a slice of n bytes (len = cap = n), writes a byte in every page,
// and appends one byte: past the capacity, so append makes a new array and copies.
// The collector is off and every array is kept, so nothing is reused.
func appendPastCap(n int) regrowStep {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	page := os.Getpagesize()
	s := make([]byte, n)
	for i := 0; i < n; i += page {
		s[i] = byte(i / page)
	}
	regrowKept = append(regrowKept, s)
	old := uintptr(unsafe.Pointer(&s[0]))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f := minorFaults()
	s = append(s, 1)
	f = minorFaults() - f
	runtime.ReadMemStats(&after)
	regrowKept = append(regrowKept, s)
	st := regrowStep{oldLen: n, newCap: cap(s), moved: uintptr(unsafe.Pointer(&s[0])) != old,
		intact: true, mallocs: after.Mallocs - before.Mallocs,
		bytes: after.TotalAlloc - before.TotalAlloc, faults: f}
	for i := 0; i < n; i += page {
		st.intact = st.intact && s[i] == byte(i/page)
	}
	return st
}

// regrowSteps turns transparent huge pages off and grows a slice of mib MiB and one of
// twice that, in that order, in this process.
func regrowSteps(mib int) [2]regrowStep {
	syscall.Syscall6(syscall.SYS_PRCTL, prSetTHPDisable, 1, 0, 0, 0, 0)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // no other goroutine allocates
	return [2]regrowStep{appendPastCap(mib << 20), appendPastCap(2 * mib << 20)}
}

// regrow prints what `go run . -grow` shows: append past a big slice's capacity always
// makes a new array and writes all of it, the old bytes copied and the rest zeroed.
func regrow() {
	page := os.Getpagesize()
	fmt.Printf("01_allocation_basics, Go twin (%s): a []byte of len = cap, a byte of every page\n"+
		"written, then one append (%d KiB pages, transparent huge pages off)\n", runtime.Version(), page/1024)
	fmt.Printf("  %-10s %12s  %-9s  %-9s  %6s %12s  %11s  %s\n", "len = cap", "new cap", "new array",
		"old bytes", "allocs", "TotalAlloc +", "page faults", "pages of the new array")
	for _, st := range regrowSteps(regrowMiB) {
		fmt.Printf("  %-10s %12s  %-9s  %-9s  %6d %12s  %11s  %s\n", fmt.Sprintf("%d MiB", st.oldLen>>20),
			commas(uint64(st.newCap)), yesNo(st.moved), intactOr(st.intact),
			st.mallocs, commas(st.bytes), commas(uint64(st.faults)), commas(uint64(st.newCap/page)))
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func intactOr(b bool) string {
	if b {
		return "intact"
	}
	return "CHANGED"
}
