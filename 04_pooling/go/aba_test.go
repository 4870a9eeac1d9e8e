package pooling

import (
	"runtime"
	"strings"
	"testing"
)

// The ABA interleaving with atomic.Pointer, replayed in one goroutine: T1 begins a pop
// (reads A, next B) and stops; T2 pops A and B; T1 commits. What T2 pushes in between
// decides the outcome, and the garbage collector helps only in the second case.

// T2 pushes back the very node A it popped, as a free list recycles nodes: the head is
// the same pointer again, T1's CompareAndSwap succeeds and installs B, which T2 holds.
// The collector has nothing to say: no node was ever garbage.
func TestABAWithTheNodeReusedTheCASSucceedsAndBIsHandedOutTwice(t *testing.T) {
	s := newABAStack()
	t1, _ := s.popBegin()
	t.Logf("%s: T1 begins a pop: reads %s, next %s", runtime.Version(), t1.node.name, t1.next.name)
	a := s.pop()
	b := s.pop()
	s.push(a)
	t.Logf("T2 pops %s, pops %s (keeps it), pushes %s back: the head is %s again",
		a.name, b.name, a.name, s.head.Load().name)
	ok := s.popCommit(t1)
	list := strings.Join(s.names(4), " ")
	t.Logf("T1's CompareAndSwap(A, B): %v; the list: %s", ok, list)
	again := s.pop()
	t.Logf("the next pop hands out %s, which T2 holds: %v", again.name, again == b)
	if !ok || list != "B C" || again != b {
		t.Errorf("want the CAS to succeed, the list B C and B handed out again; got %v, %q, %s",
			ok, list, again.name)
	}
}

// T2 drops A and pushes a node made with new. T1 still holds a pointer to A, so the
// collector cannot free A, and no new node can have its address, even after two
// collections: the head is a different pointer, T1's CompareAndSwap fails, and its retry
// takes the new node.
func TestABAWithANewNodeTheCollectorKeepsAAliveAndTheCASFails(t *testing.T) {
	const made = 1000
	s := newABAStack()
	t1, _ := s.popBegin()
	t.Logf("%s: T1 begins a pop: reads %s, next %s", runtime.Version(), t1.node.name, t1.next.name)
	s.pop() // T2 pops A and drops it: only T1's pop still points at it
	b := s.pop()
	runtime.GC()
	runtime.GC()
	same := 0
	var fresh *abaNode
	for i := 0; i < made; i++ {
		fresh = &abaNode{name: "N"}
		if fresh == t1.node {
			same++
		}
		abaSink = fresh
	}
	s.push(fresh)
	t.Logf("T2 pops A, pops %s (keeps it), drops A, 2 GCs, %d new nodes: %d at A's address",
		b.name, made, same)
	ok := s.popCommit(t1)
	t.Logf("T2 pushes a new node N; T1's CompareAndSwap(A, B): %v", ok)
	if ok {
		t.Fatalf("the head is N, not A: the CompareAndSwap must fail")
	}
	got, _ := s.popBegin()
	if !s.popCommit(got) {
		t.Fatalf("nothing moved the head since: the retry must succeed")
	}
	list := strings.Join(s.names(4), " ")
	t.Logf("T1 begins again and takes %s; the list: %s", got.node.name, list)
	if same != 0 || got.node != fresh || list != "C" {
		t.Errorf("want no new node at A's address, the CAS to fail and the retry to take N; "+
			"got %d at A's address, %s taken, list %q", same, got.node.name, list)
	}
}

// abaSink keeps each new node on the heap.
var abaSink *abaNode
