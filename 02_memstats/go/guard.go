// The Go twin of guard.h: Go checks every index against the slice's length, so the byte
// past the end of a []byte is a panic at the access, not a fault a page later; recover
// turns it into a value. What Go does not check is a reslice within the capacity:
// b[:cap(b)] reaches bytes past len(b), Go's own slack, where append's size class leaves
// some. `go run . -guard` prints each case.
package main

import (
	"fmt"
	"runtime"
)

// try runs f and returns the message of the panic it raised, or "" when it ran through.
func try(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// guardSink keeps what the probes read, so that the compiler keeps the reads.
var guardSink byte

// guardCase is one access and what it did.
type guardCase struct {
	what, result string
}

func guardCases() []guardCase {
	b := make([]byte, 16)
	a := append([]byte(nil), make([]byte, 13)...) // as a program grows one: cap is the size class
	cases := []guardCase{
		{"b := make([]byte, 16); b[15]", try(func() { guardSink = b[15] })},
		{"b[16]", try(func() { guardSink = b[16] })},
		{"b[:17]", try(func() { guardSink = b[:17][0] })},
		{fmt.Sprintf("a := append(nil, 13 bytes): len %d, cap %d; a[13]", len(a), cap(a)),
			try(func() { guardSink = a[13] })},
		{"a[:cap(a)][13]", try(func() { guardSink = a[:cap(a)][13] })},
		{fmt.Sprintf("a[:cap(a)][%d]", cap(a)), try(func() { guardSink = a[:cap(a)][cap(a)] })},
	}
	for i := range cases {
		if cases[i].result == "" {
			cases[i].result = "no error"
		}
	}
	return cases
}

// guardTable prints each access and what it did.
func guardTable() {
	fmt.Printf("02_memstats, Go twin (%s): the bounds check on each access\n", runtime.Version())
	for _, c := range guardCases() {
		fmt.Printf("  %-51s %s\n", c.what, c.result)
	}
}
