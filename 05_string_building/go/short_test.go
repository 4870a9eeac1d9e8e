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

var shortLengths = []int{1, 2, 15, 31, 32, 33, 64, 100}

// perLength checks f's allocations for every length from `from` to 64 bytes against
// want, then logs them for the lengths of shortLengths.
func perLength(t *testing.T, what string, from int, want func(n int) float64, f func(n int) func()) {
	for n := from; n <= 2*stackBuf; n++ {
		if got := testing.AllocsPerRun(100, f(n)); got != want(n) {
			t.Errorf("%s, %d bytes: want %v allocations, got %v", what, n, want(n), got)
		}
	}
	for _, n := range shortLengths {
		if n >= from {
			t.Logf("%-40s %3d bytes: %v allocs", what+",", n, testing.AllocsPerRun(100, f(n)))
		}
	}
}

func TestShortConcatThatDoesNotEscapeAllocatesOnlyPast32Bytes(t *testing.T) {
	perLength(t, "s := a + b, s stays in the function", 2,
		func(n int) float64 {
			if n > stackBuf {
				return 1
			}
			return 0
		},
		func(n int) func() {
			a, b := halves(n)
			return func() { concatLocal(a, b) }
		})
}

func TestShortConcatThatEscapesAllocatesAtAnyLength(t *testing.T) {
	perLength(t, "sink = a + b, s escapes", 2, func(int) float64 { return 1 },
		func(n int) func() {
			a, b := halves(n)
			return func() { concatEscapes(a, b) }
		})
}

func TestShortWriteToAStringsBuilderAllocatesWhateverTheLength(t *testing.T) {
	perLength(t, "strings.Builder, one write", 1, func(int) float64 { return 1 },
		func(n int) func() {
			s := strings.Repeat("x", n)
			return func() { builderOf(s) }
		})
}
