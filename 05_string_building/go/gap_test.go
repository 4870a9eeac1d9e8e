package strbuild

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"testing"

	"allocaware.local/measure"
)

// Editing in the middle, in Go: K keystrokes typed at the middle of a text of N bytes, into
// a string (s[:i] + "x" + s[i:]), a []byte (append, then copy of the tail) and a gap
// buffer (gap.go). Allocations and bytes from runtime.MemStats; the bytes each keystroke
// moves from copy's own count. The string's bytes are its size class (a large object is
// whole 8 KiB pages), so the test bounds them by a page above N+1; the rest is exact.

const (
	gapN    = 1000000
	gapK    = 1000
	gapRoom = 1024
)

var gapSinkStr string

func gapText() []byte {
	b := make([]byte, gapN)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}

// allocsDuring returns the allocations and bytes f makes, setup run before each of three
// tries and not counted, one P, a GC first; the least of the three (the runtime's own
// blocks now and then are never fewer).
func allocsDuring(setup, f func()) (allocs, bytes uint64) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	allocs, bytes = math.MaxUint64, math.MaxUint64
	for try := 0; try < 3; try++ {
		var before, after runtime.MemStats
		setup()
		runtime.GC()
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		if a := after.Mallocs - before.Mallocs; a < allocs {
			allocs = a
		}
		if b := after.TotalAlloc - before.TotalAlloc; b < bytes {
			bytes = b
		}
	}
	return allocs, bytes
}

func TestGapKeystrokesIntoAStringASliceAndAGapBuffer(t *testing.T) {
	text := gapText()
	at := gapN / 2
	want := string(text[:at]) + string(bytes.Repeat([]byte("x"), gapK)) + string(text[at:])
	t.Logf("N = %d bytes, K = %d keystrokes typed at byte %d, on %s:", gapN, gapK, at, runtime.Version())
	t.Logf("%-22s %-18s %-22s %s", "", "allocs", "bytes allocated", "bytes moved a key")

	// a string: every keystroke a new string of N+1 bytes (and more, later on)
	s := string(text)
	allocs, bytesPer := measure.PerRun(20, func() { gapSinkStr = insertString(s, at, 'x') })
	if allocs != 1 || bytesPer < gapN+1 || bytesPer >= gapN+1+8192 {
		t.Errorf("s[:i] + \"x\" + s[i:] at N = %d: want 1 alloc of N+1 bytes rounded up to a page, got %d of %d bytes",
			gapN, allocs, bytesPer)
	}
	t.Logf("%-22s %-18s %-22s %s", `s[:i] + "x" + s[i:]`, fmt.Sprintf("%d a key", allocs),
		fmt.Sprintf("%d a key", bytesPer), "(a new string)")
	if typed := insertString(insertString(s, at, 'x'), at+1, 'x'); typed != want[:at+2]+s[at:] {
		t.Errorf("string: the text typed is wrong")
	}

	// a []byte of len = cap = N: append grows it when full; copy moves the tail each time
	var b []byte
	var moved, growths int
	allocs, total := allocsDuring(func() {
		b = make([]byte, gapN)
		copy(b, text)
		moved, growths = 0, 0
	}, func() {
		for k := 0; k < gapK; k++ {
			c := cap(b)
			var m int
			b, m = insertBytes(b, at+k, 'x')
			moved += m
			if cap(b) != c {
				growths++
			}
		}
	})
	if string(b) != want {
		t.Errorf("[]byte: the text typed is wrong")
	}
	if allocs != uint64(growths) || moved != gapK*(gapN-at) {
		t.Errorf("[]byte append + copy: want an alloc per growth (%d) and N-i = %d bytes moved a keystroke, got %d allocs and %d bytes moved in %d keystrokes",
			growths, gapN-at, allocs, moved, gapK)
	}
	t.Logf("%-22s %-18s %-22s %d", "[]byte append + copy", fmt.Sprintf("%d in %d keys", allocs, gapK),
		fmt.Sprintf("%d in %d keys", total, gapK), moved/gapK)
	t.Logf("%-22s %d growth in K keystrokes: cap %d for %d bytes", "", growths, cap(b), len(b))

	// a gap buffer: the gap brought to the cursor once (N-i bytes), then nothing moved
	var g *gapBuf
	var toCursor int
	allocs, total = allocsDuring(func() {
		g = newGapBuf(text, gapRoom)
		g.Move(at)
		toCursor = g.moved
	}, func() {
		for k := 0; k < gapK; k++ {
			g.Insert('x')
		}
	})
	if g.String() != want {
		t.Errorf("gap buffer: the text typed is wrong")
	}
	if toCursor != gapN-at || g.moved != toCursor || allocs != 0 || g.grows != 0 {
		t.Errorf("gap buffer: want N-i = %d bytes moved once, then none and no alloc for K = %d <= room %d, got %d, %d more, %d allocs",
			gapN-at, gapK, gapRoom, toCursor, g.moved-toCursor, allocs)
	}
	t.Logf("%-22s %-18s %-22s %d", "gap buffer", fmt.Sprintf("%d in %d keys", allocs, gapK),
		fmt.Sprintf("%d in %d keys", total, gapK), (g.moved-toCursor)/gapK)
	t.Logf("%-22s %d bytes moved once, to bring the gap to the cursor", "", toCursor)
}

// A jump of the cursor by D moves D bytes in the gap buffer, none in a []byte; the text
// stays the same.
func TestGapAJumpByDMovesDBytes(t *testing.T) {
	text := gapText()[:5000]
	g := newGapBuf(text, 16)
	at := len(text)
	for _, to := range []int{3000, 100, 100, 0, 5000, 2500} {
		d := to - at
		if d < 0 {
			d = -d
		}
		m := g.moved
		g.Move(to)
		if g.moved-m != d || g.String() != string(text) {
			t.Errorf("the cursor from %d to %d: want D = %d bytes moved and the text unchanged, got %d", at, to, d, g.moved-m)
		}
		at = to
	}
}
