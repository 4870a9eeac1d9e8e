package strbuild

import (
	"bufio"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"allocaware.local/measure"
)

// Materialize or stream, in Go: the job of pipeline.h (keep the WARN and ERROR lines of a
// log, upper-case each, fold them into one FNV-1a digest) written with strings.Split, a
// filtered slice and a slice of strings.ToUpper results, against a strings.Index loop
// that upper-cases each kept line into one reused []byte, and against bufio.Scanner.

const pipeN = 10000 // lines; the tests run pipeN and 2*pipeN

var pipeLevels = []string{"INFO", "WARN", "DEBUG", "ERROR"}
var pipeHosts = []string{"db", "cache", "auth", "frontend", "search"}

// pipeText is n log lines, each ending in '\n', line i written as pipeline_line(i) in C:
// line i is kept exactly when i is odd.
func pipeText(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(pipeLevels[i%4])
		b.WriteString(" request ")
		b.WriteString(strconv.Itoa(i))
		b.WriteString(" from ")
		b.WriteString(pipeHosts[i%5])
		b.WriteString(" took ")
		b.WriteString(strconv.Itoa(i * 7 % 1000))
		b.WriteString(" ms\n")
	}
	return b.String()
}

type pipeResult struct {
	kept, bytes int
	digest      uint64
}

// pipeKeep is the filter, for a string or a []byte alike: passing string(b) to a
// function that takes a string would copy b.
func pipeKeep[T string | []byte](line T) bool {
	return (len(line) >= 5 && string(line[:5]) == "WARN ") ||
		(len(line) >= 6 && string(line[:6]) == "ERROR ")
}

// pipeFold adds a kept line to r: FNV-1a over its bytes and a '\n', as the C side folds
// (common/hash.h).
func pipeFold[T string | []byte](r *pipeResult, line T) {
	h := r.digest
	for i := 0; i < len(line); i++ {
		h = (h ^ uint64(line[i])) * 0x100000001b3
	}
	r.digest = (h ^ '\n') * 0x100000001b3
	r.kept++
	r.bytes += len(line)
}

func newResult() pipeResult { return pipeResult{digest: 0xcbf29ce484222325} }

// pipeMaterialized: each stage a new slice, the filter's sized for every line.
func pipeMaterialized(text string) pipeResult {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	kept := make([]string, 0, len(lines))
	for _, l := range lines {
		if pipeKeep(l) {
			kept = append(kept, l)
		}
	}
	upper := make([]string, 0, len(kept))
	for _, l := range kept {
		upper = append(upper, strings.ToUpper(l))
	}
	r := newResult()
	for _, u := range upper {
		pipeFold(&r, u)
	}
	return r
}

// pipeStreamed: one pass with strings.Index, each line a substring of text (no copy),
// upper-cased into buf, which is returned for the next call to reuse.
func pipeStreamed(text string, buf []byte) (pipeResult, []byte) {
	r := newResult()
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if !pipeKeep(line) {
			continue
		}
		buf = buf[:0]
		for i := 0; i < len(line); i++ {
			c := line[i]
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			buf = append(buf, c)
		}
		pipeFold(&r, buf)
	}
	return r, buf
}

// pipeScanner: bufio.Scanner over the text, one line at a time into one reused []byte.
func pipeScanner(text string, buf []byte) (pipeResult, []byte) {
	r := newResult()
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Bytes()
		if !pipeKeep(line) {
			continue
		}
		buf = append(buf[:0], line...)
		for i, c := range buf {
			if 'a' <= c && c <= 'z' {
				buf[i] = c - ('a' - 'A')
			}
		}
		pipeFold(&r, buf)
	}
	return r, buf
}

var pipeSink pipeResult

func TestPipelineSameResultThreeWays(t *testing.T) {
	for _, n := range []int{1, 2, 1000, pipeN} {
		text := pipeText(n)
		m := pipeMaterialized(text)
		s, _ := pipeStreamed(text, nil)
		sc, _ := pipeScanner(text, nil)
		if m != s || m != sc || m.kept != n/2 {
			t.Fatalf("%d lines: want one result, %d kept; materialized %+v, streamed %+v, scanner %+v",
				n, n/2, m, s, sc)
		}
	}
	text := pipeText(pipeN)
	r := pipeMaterialized(text)
	t.Logf("%d lines (%d bytes): %d kept, %d bytes, digest %016x, the same three ways",
		pipeN, len(text), r.kept, r.bytes, r.digest)
}

func TestPipelineMaterializedAllocatesPerKeptLine(t *testing.T) {
	for _, n := range []int{pipeN, 2 * pipeN} {
		text := pipeText(n)
		k := n / 2
		allocs, bytes := measure.PerRun(5, func() { pipeSink = pipeMaterialized(text) })
		// the lines slice, the kept slice, the upper slice, and one string per kept line
		if want := uint64(3 + k); allocs != want {
			t.Errorf("%d lines: want %d allocations (3 slices and %d ToUpper), got %d on %s",
				n, want, k, allocs, runtime.Version())
		}
		// headers of 16 bytes: n lines and n kept slots, then k; the kept lines' bytes.
		// Size classes round each block up: at most 1/8 more, and a page for a big one.
		keptBytes := 0
		for _, l := range strings.Split(text, "\n") {
			if pipeKeep(l) {
				keptBytes += len(l)
			}
		}
		least := uint64(16*(2*n+k) + keptBytes)
		if bytes < least || bytes > least+least/8+3*8192 {
			t.Errorf("%d lines: want between %d and %d bytes (TotalAlloc) a run, got %d",
				n, least, least+least/8+3*8192, bytes)
		}
		t.Logf("materialized, %5d lines: %5d allocs, %7d bytes a run (TotalAlloc)", n, allocs, bytes)
	}
}

func TestPipelineStreamedAllocatesTheSameWhateverN(t *testing.T) {
	var seen [2][2]uint64
	for i, n := range []int{pipeN, 2 * pipeN} {
		text := pipeText(n)
		var buf, sbuf []byte
		a, b := measure.PerRun(5, func() { pipeSink, buf = pipeStreamed(text, buf) })
		sa, sb := measure.PerRun(5, func() { pipeSink, sbuf = pipeScanner(text, sbuf) })
		if a != 0 || b != 0 {
			t.Errorf("%d lines, strings.IndexByte loop: want 0 allocations once buf has grown, got %d (%d bytes)",
				n, a, b)
		}
		if sa > 4 || sb > 8192 {
			t.Errorf("%d lines, bufio.Scanner: want at most 4 allocations and 8192 bytes, got %d and %d",
				n, sa, sb)
		}
		seen[i] = [2]uint64{sa, sb}
		t.Logf("streamed,     %5d lines: %5d allocs, %7d bytes a run (IndexByte, buf reused)", n, a, b)
		t.Logf("bufio.Scanner %5d lines: %5d allocs, %7d bytes a run (made by the scanner and its reader)", n, sa, sb)
	}
	if seen[0] != seen[1] {
		t.Errorf("bufio.Scanner: want the same allocations at %d and %d lines, got %v and %v",
			pipeN, 2*pipeN, seen[0], seen[1])
	}
}
