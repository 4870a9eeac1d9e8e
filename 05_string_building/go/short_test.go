package strbuild

import (
	"strings"
	"testing"
)

// Short strings: what Go allocates for a + b and for strings.Builder, by length. When
// the result of a + b does not escape the function, the compiler hands the runtime a
// 32-byte buffer on the stack (tmpBuf in runtime/string.go): a result that fits is built
// there, without allocating. A result that escapes (here to a package-level variable)
// is always allocated.

// shortSink is where the escaping concatenation puts its result.
var shortSink string

// halves makes two non-empty parts of n bytes in all, at run time (no constant folding;
// "" + b would return b itself, without building anything).
func halves(n int) (string, string) {
	s := strings.Repeat("x", n)
	return s[:n/2], s[n/2:]
}

// concatLocal reads a + b and returns a number: the result stays in this frame.
//
//go:noinline
func concatLocal(a, b string) int {
	s := a + b
	return len(s) + int(s[len(s)-1])
}

// concatEscapes stores a + b where it outlives the call.
//
//go:noinline
func concatEscapes(a, b string) {
	shortSink = a + b
}

// builderOf writes s into a fresh strings.Builder.
//
//go:noinline
func builderOf(s string) int {
	var b strings.Builder
	b.WriteString(s)
	return b.Len()
}

const stackBuf = 32 // the runtime's tmpBuf: bytes a non-escaping result may take

var shortLengths = []int{2, 15, 31, 32, 33, 64, 100}

func TestShortConcatThatDoesNotEscapeAllocatesOnlyPast32Bytes(t *testing.T) {
	for n := 2; n <= 2*stackBuf; n++ {
		a, b := halves(n)
		got := testing.AllocsPerRun(100, func() { concatLocal(a, b) })
		want := 0.0
		if n > stackBuf {
			want = 1
		}
		if got != want {
			t.Errorf("a + b of %d bytes, used only here: want %v allocations, got %v", n, want, got)
		}
	}
	for _, n := range shortLengths {
		a, b := halves(n)
		t.Logf("s := a + b, %3d bytes, s stays in the function: %v allocs", n,
			testing.AllocsPerRun(100, func() { concatLocal(a, b) }))
	}
}

func TestShortConcatThatEscapesAllocatesAtAnyLength(t *testing.T) {
	for n := 2; n <= 2*stackBuf; n++ {
		a, b := halves(n)
		if got := testing.AllocsPerRun(100, func() { concatEscapes(a, b) }); got != 1 {
			t.Errorf("a + b of %d bytes, kept in a package variable: want 1 allocation, got %v", n, got)
		}
	}
	for _, n := range shortLengths {
		a, b := halves(n)
		t.Logf("sink = a + b, %3d bytes, s escapes:             %v allocs", n,
			testing.AllocsPerRun(100, func() { concatEscapes(a, b) }))
	}
}

func TestShortWriteToAStringsBuilderAllocatesWhateverTheLength(t *testing.T) {
	for n := 1; n <= 2*stackBuf; n++ {
		s := strings.Repeat("x", n)
		if got := testing.AllocsPerRun(100, func() { builderOf(s) }); got != 1 {
			t.Errorf("strings.Builder, one write of %d bytes: want 1 allocation, got %v", n, got)
		}
	}
	for _, n := range append([]int{1}, shortLengths...) {
		s := strings.Repeat("x", n)
		t.Logf("strings.Builder, one write of %3d bytes:         %v allocs", n,
			testing.AllocsPerRun(100, func() { builderOf(s) }))
	}
}
