// Go's allocation sources, one function each, so that main.go can print what each costs
// and basics_test.go can pin it: growing a slice, interface boxing, strings, escape to
// the heap, and the standard library's quiet allocations (libc's in hidden.c).
package main

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// The sinks are where a result goes that must outlive its function. Assigning to a
// package variable is what makes a value escape to the heap; without it the compiler
// keeps a value that does not escape on the stack, and there is nothing to count. Each
// has the result's own type: storing a slice or a string in an `any` would box its
// header, one allocation more than the call itself makes.
var (
	sink       any
	sinkInts   []int64
	sinkAnys   []any
	sinkBytes  []byte
	sinkString string
	sinkInt    int
	sinkPoint  *point
	sinkFields Fields
	sinkReader *bufio.Reader
	sinkWriter *bufio.Writer
)

// ---- growing a slice ----

// appendN appends 0..n-1 to a nil slice: append picks every new capacity.
func appendN(n int) []int64 {
	var s []int64
	for i := 0; i < n; i++ {
		s = append(s, int64(i))
	}
	return s
}

// reservedN sizes the slice first, make([]T, 0, n): one allocation, whatever n.
func reservedN(n int) []int64 {
	s := make([]int64, 0, n)
	for i := 0; i < n; i++ {
		s = append(s, int64(i))
	}
	return s
}

// byOneN grows by exactly one element per append, C's VEC_BY_ONE: n allocations and
// O(n^2) bytes copied.
func byOneN(n int) []int64 {
	var s []int64
	for i := 0; i < n; i++ {
		s = pushByOne(s, int64(i))
	}
	return s
}

// appendCaps is the list of capacities append chooses on the way to n elements: one
// allocation each.
func appendCaps(n int) []int {
	var caps []int
	var s []int64
	for i := 0; i < n; i++ {
		if len(s) == cap(s) {
			s = append(s, int64(i))
			caps = append(caps, cap(s))
			continue
		}
		s = append(s, int64(i))
	}
	return caps
}

// appendSteps reads append's growth from its capacities: the capacity its doubling
// reaches (the first steps are x2), then how much the next step grew it, and the last.
// Go's rule past 256 elements (newcap += (newcap + 3*256) / 4) still doubles at 256, then
// gives a factor that falls toward 1.25 as the slice grows, rounded up to a size class.
func appendSteps(caps []int) (doubledTo int, first, last float64) {
	i := 1
	for i < len(caps) && caps[i] == 2*caps[i-1] {
		i++
	}
	doubledTo = caps[i-1]
	if i < len(caps) {
		first = float64(caps[i]) / float64(caps[i-1])
		last = float64(caps[len(caps)-1]) / float64(caps[len(caps)-2])
	}
	return doubledTo, first, last
}

// ---- interface boxing ----

// boxed puts 0..n-1 into a []any: the runtime keeps the values 0-255 of one byte
// statically, so only values from 256 up need a box of their own.
func boxed(n int) []any {
	s := make([]any, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// values keeps the same numbers as values: one allocation.
func values(n int) []int64 {
	s := make([]int64, n)
	for i := range s {
		s[i] = int64(i)
	}
	return s
}

// ---- the quiet ones: standard library calls that allocate ----

// source is one call measured alone, as hidden.c's rows are.
type source struct {
	call string
	note string // what allocates, and the C row it stands for
	fn   func()
}

var (
	text    = "user000042,7919\n"
	id      = 42
	bigID   = 4200
	label   = make([]byte, 0, 32)
	numbers = make([]int, 100)
)

func sources() []source {
	return []source{
		{"strings.Clone(s)", "the copy (C: strdup)", func() { sinkString = strings.Clone(text) }},
		{"s[:4]", "shares s's bytes (C: a pointer and a length)", func() { sinkString = text[:4] }},
		{"fmt.Sprintf(\"user%06d\", 42)", "the string (C: asprintf)",
			func() { sinkString = fmt.Sprintf("user%06d", id) }},
		{"fmt.Sprintf(\"user%06d\", 4200)", "the string, and 4200 boxed",
			func() { sinkString = fmt.Sprintf("user%06d", bigID) }},
		{"strconv.AppendInt(buf[:0], id, 10)", "the caller's buffer (C: snprintf)",
			func() { label = strconv.AppendInt(label[:0], int64(bigID), 10) }},
		{"bufio.NewReader(r)", "the strings.Reader, the bufio.Reader, 4 KiB (C: getc)",
			func() { sinkReader = bufio.NewReader(strings.NewReader(text)) }},
		{"bufio.NewWriter(w)", "the bufio.Writer, 4 KiB (C: the first printf)",
			func() { sinkWriter = bufio.NewWriter(io.Discard) }},
		{"sort.Ints(100 ints)", "IntSlice into sort.Interface; later Go: slices.Sort",
			func() { sort.Ints(numbers) }},
		{"sort.Slice(100 ints, less)", "the swapper, the closure",
			func() { sort.Slice(numbers, func(i, j int) bool { return numbers[i] < numbers[j] }) }},
	}
}
