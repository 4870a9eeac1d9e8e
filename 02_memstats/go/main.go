// The Go twin of lesson 02: `go run .` runs heavy and light and reads
// runtime.ReadMemStats after each phase, the Go side of make run-02's "program's view".
// The garbage collector is off (debug.SetGCPercent(-1)) so that it runs only where the
// program calls runtime.GC(): every figure is then exact, and the table shows what a
// collection changes. `go run . -views` adds the runtime's and the kernel's views,
// which vary from run to run.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
)

// phase is one column of the table: what ran, then the MemStats read right after.
type phase struct {
	name string
	m    runtime.MemStats
	rss  uint64 // VmRSS, bytes
}

// Results outlive the phases in package variables, as the C stores do.
var (
	heavyRecs []*Record
	lightRecs []Record
)

// read fills p without allocating: ReadMemStats writes into the caller's struct, and
// VmRSS comes from a file opened once, read into a fixed buffer.
func read(p *phase, name string) {
	p.name = name
	runtime.ReadMemStats(&p.m)
	p.rss = rss.read()
}

// run does one side's phases into ps: build, drop, runtime.GC(), with views
// debug.FreeOSMemory() (malloc_trim's counterpart), then forget the survivors and
// collect. Nothing between two reads allocates but the job. Returns the phases used.
func run(ps *[6]phase, views bool, build, drop, forget func()) []phase {
	// A warm-up round first. After a collection frees memory the runtime's background
	// scavenger wakes up, returns pages to the kernel and goes back to sleep on a timer,
	// and its first sleep allocates (8 bytes); this lets that happen before the table.
	build()
	drop()
	forget()
	runtime.GC()
	time.Sleep(100 * time.Millisecond)
	// A clean start: two collections, because sync.Pool (fmt keeps its printers in one)
	// lets go of its objects at the second GC after their last use.
	runtime.GC()
	runtime.GC()
	read(&ps[0], "start")
	build()
	read(&ps[1], "built")
	drop()
	read(&ps[2], "dropped")
	runtime.GC()
	read(&ps[3], "runtime.GC()")
	i := 4
	if views {
		// returns idle pages to the kernel; the runtime's background work after it
		// allocates a little, so the program's view is exact only without it
		debug.FreeOSMemory()
		read(&ps[i], "FreeOSMemory")
		i++
	}
	forget()
	runtime.GC()
	read(&ps[i], "all gone, GC")
	return ps[:i+1]
}

func main() {
	flags := flag.NewFlagSet("02_memstats", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // one line of our own on bad input, not the usage text
	n := flags.Int("n", 200000, "records to build (1 to 10,000,000)")
	views := flags.Bool("views", false, "add the runtime's and the kernel's views (absolute, vary by run)")
	side := flags.String("side", "", "run one side only: heavy or light (each runs in a process of its own)")
	record := flags.Bool("record", false, "what one record costs in two field orders (record.go), instead")
	aligned := flags.Bool("aligned", false, "the alignment of new(T), and an aligned []byte by hand (aligned.go), instead")
	gcpace := flags.Bool("gcpace", false, "the collector's pacing: the heap goal, GOGC and GOMEMLIMIT (gcpace.go), instead")
	live := flags.Int("live", 32, "with -gcpace: the live set, MiB (1 to 1,024)")
	garbage := flags.Int("garbage", 256, "with -gcpace: the garbage through it, MiB (1 to 65,536)")
	mapfile := flags.Int("mapfile", 0, "KiB: a file of that size read whole, mapped and streamed (mapfile.go), instead")
	threads := flags.Int("threads", 0, "goroutines: that many parked, and one whose stack grows (threads.go), instead")
	guard := flags.Bool("guard", false, "an index past a slice's length, and a reslice within its capacity (guard.go), instead")
	hugepage := flags.Int("hugepage", 0, "spans: a []byte of that many huge-page spans, a byte written a span (hugepage.go), instead")
	signals := flags.Int("signals", 0, "SIGUSR1s: that many, received through signal.Notify by a goroutine that allocates (sigsafe.go), instead")
	madv := flags.Int("madv", 0, "MiB: a []byte of that many MiB dropped, collected and given back, by GODEBUG=madvdontneed (madv.go), instead")
	madvone := flags.Int("madvone", 0, "MiB: -madv's measurement in this process alone, as one line (madv.go)")
	spawn := flags.Int("spawn", 0, "MiB: /bin/true started from a heap of that many MiB written, timed, and the faults after (spawn.go), instead")
	spawnOnce := flags.String("spawnonce", "", "exec or fork: /bin/true started once with exec.Command, or a raw fork started and reaped (spawn.go; clones.sh runs it under strace), instead")
	if err := flags.Parse(os.Args[1:]); err != nil || flags.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "02_memstats: expected [-n RECORDS] [-views] [-side heavy|light] [-record] [-aligned] [-gcpace [-live MIB] [-garbage MIB]] [-mapfile KIB] [-threads N] [-guard] [-hugepage SPANS] [-signals N] [-spawn MIB] [-spawnonce exec|fork] [-madv MIB]")
		os.Exit(2)
	}
	if *n < 1 || *n > 10000000 {
		fmt.Fprintln(os.Stderr, "02_memstats: -n: expected a number of records from 1 to 10,000,000")
		os.Exit(2)
	}
	if *gcpace {
		if *live < 1 || *live > 1024 || *garbage < 1 || *garbage > 65536 {
			fmt.Fprintln(os.Stderr, "02_memstats: -live: expected 1 to 1,024 MiB; -garbage: expected 1 to 65,536 MiB")
			os.Exit(2)
		}
		paceTable(*live, *garbage)
		return
	}
	if *mapfile != 0 {
		if *mapfile < 1 || *mapfile > 262144 {
			fmt.Fprintln(os.Stderr, "02_memstats: -mapfile: expected a file size in KiB from 1 to 262,144")
			os.Exit(2)
		}
		mapfileTable(*mapfile)
		return
	}
	if *threads != 0 {
		if *threads < 1 || *threads > 1000000 {
			fmt.Fprintln(os.Stderr, "02_memstats: -threads: expected a number of goroutines from 1 to 1,000,000")
			os.Exit(2)
		}
		threadsTable(*threads)
		return
	}
	if *guard {
		guardTable()
		return
	}
	if *madv != 0 || *madvone != 0 {
		m := *madv + *madvone
		if m < 1 || m > 1024 || (*madv != 0 && *madvone != 0) {
			fmt.Fprintln(os.Stderr, "02_memstats: -madv: expected a size in MiB from 1 to 1,024")
			os.Exit(2)
		}
		if *madvone != 0 {
			madvOne(m)
		} else {
			madvTable(m)
		}
		return
	}
	if *hugepage != 0 {
		if *hugepage < 1 || *hugepage > 512 {
			fmt.Fprintln(os.Stderr, "02_memstats: -hugepage: expected a number of spans from 1 to 512")
			os.Exit(2)
		}
		hugeTable(*hugepage)
		return
	}
	if *signals != 0 {
		if *signals < 1 || *signals > 100000 {
			fmt.Fprintln(os.Stderr, "02_memstats: -signals: expected a number of signals from 1 to 100,000")
			os.Exit(2)
		}
		signalsTable(*signals)
		return
	}
	if *spawnOnce != "" {
		start := map[string]func() error{"exec": spawnExec, "fork": spawnRawFork}[*spawnOnce]
		if start == nil {
			fmt.Fprintln(os.Stderr, "02_memstats: -spawnonce: expected exec or fork")
			os.Exit(2)
		}
		if err := start(); err != nil {
			fmt.Fprintln(os.Stderr, "02_memstats: -spawnonce:", err)
			os.Exit(1)
		}
		return
	}
	if *spawn != 0 {
		if *spawn < 1 || *spawn > 4096 {
			fmt.Fprintln(os.Stderr, "02_memstats: -spawn: expected a heap size in MiB from 1 to 4,096")
			os.Exit(2)
		}
		spawnTable(*spawn)
		return
	}
	if *aligned {
		alignedTable(*n)
		return
	}
	if *record {
		recordTable(*n)
		return
	}
	switch *side {
	case "heavy", "light":
		oneSide(*side, *n, *views)
		return
	case "":
	default:
		fmt.Fprintln(os.Stderr, "02_memstats: -side: expected heavy or light")
		os.Exit(2)
	}
	fmt.Printf("02_memstats, Go twin (%s): %s records of %d B, the drop keeps 1 in %d (%s)\n",
		runtime.Version(), commas(uint64(*n)), recordSize, keepEvery, commas(uint64(kept(*n))))
	fmt.Println("GC off but where runtime.GC() is called; changes since the start, runtime.ReadMemStats")
	// Each side in a process of its own, as main.c does: a fresh runtime, whose
	// background work after the other side's collections cannot land in this one's figures.
	for _, s := range []string{"heavy", "light"} {
		cmd := exec.Command(os.Args[0], "-side", s, "-n", strconv.Itoa(*n), "-views="+strconv.FormatBool(*views))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "02_memstats: the %s side: %v\n", s, err)
			os.Exit(1)
		}
	}
}

// oneSide runs heavy or light and prints its table.
func oneSide(side string, n int, views bool) {
	debug.SetGCPercent(-1) // collect only where runtime.GC() is called
	// One P, as testing.AllocsPerRun runs: with more, the GC's workers sometimes wait on
	// each other and the runtime allocates for the wait, a few bytes in a few runs.
	runtime.GOMAXPROCS(1)
	rss.open()
	var ps [6]phase
	if side == "heavy" {
		table("heavy: new(Record) each", run(&ps, views,
			func() { heavyRecs = heavyBuild(n) },
			func() { heavyRecs = heavyDrop(heavyRecs) },
			func() { heavyRecs = nil }), views)
		return
	}
	table("light: one []Record", run(&ps, views,
		func() { lightRecs = lightBuild(n) },
		func() { lightRecs = lightDrop(lightRecs) },
		func() { lightRecs = nil }), views)
}

// table prints one side: the program's view as changes since the start (exact), then,
// with views, the runtime's and the kernel's (absolute).
func table(title string, ps []phase, views bool) {
	start := ps[0].m
	fmt.Printf("\n%-30s", title)
	for _, p := range ps[1:] {
		fmt.Printf(" %14s", p.name)
	}
	fmt.Println()
	delta := func(name string, f func(m *runtime.MemStats) uint64) {
		fmt.Printf("  %-28s", name)
		for _, p := range ps[1:] {
			fmt.Printf(" %14s", signed(int64(f(&p.m)-f(&start))))
		}
		fmt.Println()
	}
	delta("HeapAlloc", func(m *runtime.MemStats) uint64 { return m.HeapAlloc })
	delta("HeapObjects", func(m *runtime.MemStats) uint64 { return m.HeapObjects })
	delta("TotalAlloc", func(m *runtime.MemStats) uint64 { return m.TotalAlloc })
	delta("Mallocs", func(m *runtime.MemStats) uint64 { return m.Mallocs })
	delta("Frees", func(m *runtime.MemStats) uint64 { return m.Frees })
	delta("NumGC", func(m *runtime.MemStats) uint64 { return uint64(m.NumGC) })
	if !views {
		return
	}
	abs := func(name string, f func(p *phase) uint64) {
		fmt.Printf("  %-28s", name)
		for _, p := range ps[1:] {
			fmt.Printf(" %14s", mib(f(&p)))
		}
		fmt.Println()
	}
	fmt.Println(" the runtime's (absolute)")
	abs("HeapInuse", func(p *phase) uint64 { return p.m.HeapInuse })
	abs("HeapIdle", func(p *phase) uint64 { return p.m.HeapIdle })
	abs("HeapReleased", func(p *phase) uint64 { return p.m.HeapReleased })
	abs("Sys", func(p *phase) uint64 { return p.m.Sys })
	fmt.Println(" the kernel's (absolute)")
	abs("VmRSS", func(p *phase) uint64 { return p.rss })
}

// statusFile reads VmRSS from /proc/self/status: the file is opened once, and each read
// goes into the same buffer, so that reading allocates nothing. 0 where there is no /proc.
type statusFile struct {
	f   *os.File
	buf [8192]byte
}

var rss statusFile

// open opens the file and reads it once: the first read may set up the descriptor.
func (s *statusFile) open() {
	s.f, _ = os.Open("/proc/self/status")
	s.read()
}

func (s *statusFile) read() uint64 {
	if s.f == nil {
		return 0
	}
	n, _ := s.f.ReadAt(s.buf[:], 0)
	text := s.buf[:n]
	i := bytes.Index(text, []byte("VmRSS:"))
	if i < 0 {
		return 0
	}
	var kb uint64
	for _, c := range text[i+len("VmRSS:"):] {
		switch {
		case c >= '0' && c <= '9':
			kb = kb*10 + uint64(c-'0')
		case c == '\n':
			return kb * 1024
		}
	}
	return kb * 1024
}

// commas writes n with thousands separators, as the C programs print counts.
func commas(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// signed is a change: +1,234 or -1,234; 0 alone.
func signed(d int64) string {
	switch {
	case d > 0:
		return "+" + commas(uint64(d))
	case d < 0:
		return "-" + commas(uint64(-d))
	}
	return "0"
}

func mib(b uint64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + " MiB" }
