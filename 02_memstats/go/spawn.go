// The Go twin of spawner.h: exec.Command("/bin/true").Run() from a process whose heap
// holds a []byte of M MiB, every page written, then the slice written again one byte a
// page: the goroutine's minor faults during that pass (getrusage RUSAGE_THREAD, the
// goroutine locked to its thread), and the time of a run. Beside it, a raw fork
// (clone with SIGCHLD alone, the child exiting at once), which copies the page tables as
// C's fork does: the same pass must see a fault a page after it, so the measure can see
// what os/exec leaves. Go's os/exec starts its child with clone(CLONE_VFORK | CLONE_VM)
// on Linux (syscall/exec_linux.go); what that costs the parent is measured here, not
// assumed. `go run . -spawn MIB`.
package main

import (
	"fmt"
	"os/exec"
	"runtime"
	"sort"
	"syscall"
	"time"
)

const spawnPage = 4096

// spawnThreadFaults is this thread's minor faults so far.
func spawnThreadFaults() uint64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return uint64(ru.Minflt)
}

// spawnTouch writes v into one byte a page of b; returns the pages written.
//
//go:noinline
func spawnTouch(b []byte, v byte) uint64 {
	n := uint64(0)
	for i := 0; i < len(b); i += spawnPage {
		b[i] = v
		n++
	}
	return n
}

// spawnRawFork forks with clone(SIGCHLD): the child exits at once, touching nothing;
// the parent waits for it. The child is this thread alone, a copy of the runtime that
// must not run: RawSyscall, and nothing else, in it.
func spawnRawFork() error {
	syscall.ForkLock.Lock()
	pid, _, errno := syscall.RawSyscall6(syscall.SYS_CLONE, uintptr(syscall.SIGCHLD), 0, 0, 0, 0, 0)
	if errno == 0 && pid == 0 {
		syscall.RawSyscall(syscall.SYS_EXIT_GROUP, 0, 0, 0)
	}
	syscall.ForkLock.Unlock()
	if errno != 0 {
		return errno
	}
	var ws syscall.WaitStatus
	for {
		_, err := syscall.Wait4(int(pid), &ws, 0, nil)
		if err != syscall.EINTR {
			return err
		}
	}
}

// spawnExec is the way the twin measures: exec.Command("/bin/true").Run().
func spawnExec() error {
	return exec.Command("/bin/true").Run()
}

// spawnFaults writes every page of b, starts a child with start, then writes every page
// again: the pages, and the minor faults of that second pass. The goroutine stays on its
// thread throughout, so that the thread's faults are the pass's.
func spawnFaults(b []byte, start func() error) (pages, faults uint64, err error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	spawnTouch(b, 1)
	if err := start(); err != nil {
		return 0, 0, err
	}
	spawnTouch(b[:0], 2) // the calls made once first: the stack they use resident
	spawnThreadFaults()
	f0 := spawnThreadFaults()
	pages = spawnTouch(b, 2)
	return pages, spawnThreadFaults() - f0, nil
}

// spawnTime is the median of rounds of runs starts each, each round's figure the median
// of its starts; and the fastest and slowest round.
func spawnTime(start func() error, rounds, runs int) (med, lo, hi time.Duration, err error) {
	meds := make([]time.Duration, rounds)
	one := make([]time.Duration, runs)
	for r := 0; r < rounds; r++ {
		for i := 0; i < runs; i++ {
			t0 := time.Now()
			if err := start(); err != nil {
				return 0, 0, 0, err
			}
			one[i] = time.Since(t0)
		}
		sort.Slice(one, func(i, j int) bool { return one[i] < one[j] })
		meds[r] = one[runs/2]
	}
	sort.Slice(meds, func(i, j int) bool { return meds[i] < meds[j] })
	return meds[rounds/2], meds[0], meds[rounds-1], nil
}

// spawnTimes prints each way's time, the heap as it is now.
func spawnTimes(label string, ways []spawnWay) bool {
	const rounds, runs = 5, 20
	for _, w := range ways {
		med, lo, hi, err := spawnTime(w.start, rounds, runs)
		if err != nil {
			fmt.Printf("  %s: %v\n", w.name, err)
			return false
		}
		fmt.Printf("  %-10s %-30s %10v (%v - %v)\n", label, w.name, med.Round(time.Microsecond),
			lo.Round(time.Microsecond), hi.Round(time.Microsecond))
	}
	return true
}

type spawnWay struct {
	name  string
	start func() error
}

// spawnTHPOff turns transparent huge pages off for the process (prctl
// PR_SET_THP_DISABLE), as the C side does, so that a fault maps one 4 KiB page: Go 1.19
// gives its heap MADV_HUGEPAGE, and a span mapped huge faults once after a fork, not 512
// times.
func spawnTHPOff() error {
	const prSetTHPDisable = 41
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetTHPDisable, 1, 0); errno != 0 {
		return errno
	}
	return nil
}

func spawnTable(mib int) {
	if err := spawnTHPOff(); err != nil {
		fmt.Printf("02_memstats: prctl(PR_SET_THP_DISABLE): %v\n", err)
		return
	}
	ways := []spawnWay{{"exec.Command(...).Run()", spawnExec}, {"a raw fork (clone, SIGCHLD)", spawnRawFork}}
	fmt.Printf("02_memstats, Go twin (%s): starting /bin/true from a heap of %d MiB written, THP off\n", runtime.Version(), mib)
	fmt.Printf("  the time of a start and its wait, median of 5 rounds of 20 (min - max of the rounds):\n")
	if !spawnTimes("no slice", ways) {
		return
	}
	b := make([]byte, mib<<20)
	spawnTouch(b, 1)
	if !spawnTimes(fmt.Sprintf("%d MiB", mib), ways) {
		return
	}
	fmt.Printf("  the goroutine writes one byte a page of the slice after the child has run:\n")
	for _, w := range ways {
		pages, faults, err := spawnFaults(b, w.start)
		if err != nil {
			fmt.Printf("  %s: %v\n", w.name, err)
			return
		}
		fmt.Printf("  %-30s %9s pages, %9s minor faults\n", w.name, commas(pages), commas(faults))
	}
	runtime.KeepAlive(b)
}
