// The Go twin of test_guard.c: an index one past a slice's length panics at the access,
// with the index and the length in the message, and recover catches it; a reslice within
// the capacity is no error, so the bytes between len and cap (append's size class leaves
// some) are read without a check, and the first index past the capacity panics. Every
// figure comes from the slice itself or from sizeClass; the messages are the same on
// Go 1.19 and 1.24.
package main

import (
	"fmt"
	"runtime"
	"testing"
)

// panicOf runs f and returns what it panicked with, nil if it did not.
func panicOf(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

func TestAnIndexOnePastTheLengthPanicsWithTheIndexAndTheLength(t *testing.T) {
	for _, n := range []int{1, 13, 16, 1000} {
		b := make([]byte, n)
		if r := panicOf(func() { guardSink = b[n-1] }); r != nil {
			t.Errorf("b[%d] of %d bytes: %v, expected no error", n-1, n, r)
		}
		r := panicOf(func() { guardSink = b[n] })
		err, ok := r.(runtime.Error)
		if !ok {
			t.Fatalf("b[%d] of %d bytes: %v, expected a runtime.Error panic", n, n, r)
		}
		if want := fmt.Sprintf("runtime error: index out of range [%d] with length %d", n, n); err.Error() != want {
			t.Errorf("b[%d]: %q, expected %q", n, err.Error(), want)
		}
		if r := panicOf(func() { b[n] = 1 }); r == nil {
			t.Errorf("a write to b[%d] of %d bytes went through", n, n)
		}
	}
}

func TestAResliceWithinTheCapacityReadsPastTheLengthWithoutError(t *testing.T) {
	for _, n := range []int{1, 13, 100, 1000} {
		a := append([]byte(nil), make([]byte, n)...)
		if uint64(cap(a)) != sizeClass(n) {
			t.Fatalf("append of %d bytes: cap %d, expected its size class %d", n, cap(a), sizeClass(n))
		}
		for k := len(a); k < cap(a); k++ {
			if r := panicOf(func() { guardSink = a[:cap(a)][k] }); r != nil {
				t.Errorf("a[:cap(a)][%d] (len %d, cap %d): %v, expected no error", k, len(a), cap(a), r)
			}
		}
		want := fmt.Sprintf("runtime error: index out of range [%d] with length %d", cap(a), cap(a))
		if r := panicOf(func() { guardSink = a[:cap(a)][cap(a)] }); fmt.Sprint(r) != want {
			t.Errorf("a[:cap(a)][cap(a)]: %v, expected %q", r, want)
		}
		want = fmt.Sprintf("runtime error: slice bounds out of range [:%d] with capacity %d", cap(a)+1, cap(a))
		if r := panicOf(func() { guardSink = a[:cap(a)+1][0] }); fmt.Sprint(r) != want {
			t.Errorf("a[:cap(a)+1]: %v, expected %q", r, want)
		}
	}
	if a := append([]byte(nil), make([]byte, 13)...); cap(a) == len(a) {
		t.Errorf("13 bytes appended: cap %d, expected a size class above 13", cap(a))
	}
}

func TestTheTableShowsAPanicPastTheLengthAndNoneInTheSlack(t *testing.T) {
	want := []bool{false, true, true, true, false, true} // panicked, case by case
	cases := guardCases()
	if len(cases) != len(want) {
		t.Fatalf("%d cases, expected %d", len(cases), len(want))
	}
	for i, c := range cases {
		if panicked := c.result != "no error"; panicked != want[i] {
			t.Errorf("%s: %s", c.what, c.result)
		}
	}
}
