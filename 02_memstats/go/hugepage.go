// The Go twin of hugepage.h: a []byte of K huge-page spans, made with make, one byte
// written per span, and what that did to the mapping that holds it: minor faults
// (getrusage), and the mapping's Rss and AnonHugePages from /proc/self/smaps, each a
// change, so that the rest of the Go heap in the same mapping does not count. Whether
// the runtime's heap gets huge pages is the runtime's and the kernel's to decide: Go
// has given its heap MADV_HUGEPAGE or MADV_NOHUGEPAGE differently across releases, and
// the mode is /sys/kernel/mm/transparent_hugepage/enabled. `go run . -hugepage K`.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// hugeSpan is the huge page size the spans are cut at: the kernel's, or 2 MiB.
func hugeSpan() int {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")
	if err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && n > 0 {
			return n
		}
	}
	return 2 << 20
}

// thpMode is the bracketed word of the kernel's THP mode, "missing" without the file.
func thpMode() string {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return "missing"
	}
	s := string(b)
	i, j := strings.IndexByte(s, '['), strings.IndexByte(s, ']')
	if i < 0 || j < i {
		return "missing"
	}
	return s[i+1 : j]
}

// smapsOf adds up the smaps entries of the mappings that overlap [addr, addr+n): how
// many there are, their Rss and their AnonHugePages, in bytes. A Go heap's arena is
// split into several mappings where the runtime gave parts of it different advice.
func smapsOf(addr, n uintptr) (mappings int, rss, anonHuge uint64, err error) {
	text, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, 0, 0, err
	}
	in := false
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(f[0], "-"); ok && !strings.HasSuffix(f[0], ":") {
			l, e1 := strconv.ParseUint(lo, 16, 64)
			h, e2 := strconv.ParseUint(hi, 16, 64)
			if e1 == nil && e2 == nil {
				in = l < uint64(addr+n) && h > uint64(addr)
				if in {
					mappings++
				}
				continue
			}
		}
		if !in || len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseUint(f[1], 10, 64)
		switch f[0] {
		case "Rss:":
			rss += kb << 10
		case "AnonHugePages:":
			anonHuge += kb << 10
		}
	}
	if mappings == 0 {
		return 0, 0, 0, fmt.Errorf("no mapping holds %#x", addr)
	}
	return mappings, rss, anonHuge, nil
}

func minorFaults() uint64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return uint64(ru.Minflt)
}

// hugeFigures is what writing one byte per span did: the mapping's changes.
type hugeFigures struct {
	spans, span   int
	offset        uintptr // where the slice starts within its span
	mappings      int     // the mappings the slice lies in
	faults        uint64
	rss, anonHuge uint64
}

func (f hugeFigures) huge() uint64 { return f.anonHuge / uint64(f.span) }

// hugeSink keeps the slice alive until its figures are read.
var hugeSink []byte

// touchSpans writes one byte per span of b.
//
//go:noinline
func touchSpans(b []byte, span int) {
	for i := 0; i < len(b); i += span {
		b[i] = 1
	}
}

// hugeMeasure makes a []byte of spans x span bytes and writes one byte per span.
func hugeMeasure(spans, span int) (hugeFigures, error) {
	f := hugeFigures{spans: spans, span: span}
	b := make([]byte, spans*span)
	hugeSink = b
	addr := uintptr(unsafe.Pointer(&b[0]))
	f.offset = addr % uintptr(span)
	touchSpans(make([]byte, 1), 1) // its code resident first
	_, rss0, huge0, err := smapsOf(addr, uintptr(len(b)))
	if err != nil {
		return f, err
	}
	minorFaults()
	f0 := minorFaults()
	touchSpans(b, span)
	f1 := minorFaults()
	maps, rss1, huge1, err := smapsOf(addr, uintptr(len(b)))
	if err != nil {
		return f, err
	}
	f.mappings, f.faults, f.rss, f.anonHuge = maps, f1-f0, rss1-rss0, huge1-huge0
	hugeSink = nil
	return f, nil
}

// hugeTable prints what a []byte of spans huge-page spans costs, one byte written a span.
func hugeTable(spans int) {
	span := hugeSpan()
	f, err := hugeMeasure(spans, span)
	if err != nil {
		fmt.Fprintln(os.Stderr, "02_memstats: -hugepage:", err)
		os.Exit(1)
	}
	fmt.Printf("02_memstats, Go twin (%s): make([]byte, %d x %s), one byte written a span\n",
		runtime.Version(), spans, iec(uint64(span)))
	fmt.Printf("  the kernel's THP mode: %s; the slice starts %s into a span\n", thpMode(), iec(uint64(f.offset)))
	fmt.Printf("  it lies in %d of the Go heap's mappings; what the writes added to them:\n", f.mappings)
	fmt.Printf("  %-14s %10s %14s %6s\n", "minor faults", "Rss", "AnonHugePages", "H")
	fmt.Printf("  %-14d %10s %14s %6d\n", f.faults, iec(f.rss), iec(f.anonHuge), f.huge())
}

// iec writes n bytes as B, KiB or MiB with one decimal.
func iec(n uint64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
