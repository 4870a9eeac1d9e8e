// The Go twin of lfstack.h's naive head: a Treiber stack whose head is an
// atomic.Pointer[abaNode] (sync/atomic, Go 1.19 and later) and whose pop is one
// CompareAndSwap of the head. A pop is cut in two, popBegin and popCommit, so that a test
// can replay the ABA interleaving in one goroutine, with no race. aba_test.go replays it
// twice: with the node pushed back reused, and with a new node from new.
package pooling

import "sync/atomic"

// abaNode is a node of the stack; name says which one (A, B, C) in the output.
type abaNode struct {
	next *abaNode
	name string
}

// abaStack's head is a node pointer, as LFSTACK_NAIVE's: CompareAndSwap compares the
// pointer only. (next is a plain field: the replay runs in one goroutine; a stack shared
// by goroutines would need it atomic too.)
type abaStack struct {
	head atomic.Pointer[abaNode]
}

func (s *abaStack) push(n *abaNode) {
	for {
		old := s.head.Load()
		n.next = old
		if s.head.CompareAndSwap(old, n) {
			return
		}
	}
}

// abaPop is a pop in progress: the top node read and its next.
type abaPop struct {
	node, next *abaNode
}

// popBegin reads the head and its next; false when the stack is empty.
func (s *abaStack) popBegin() (abaPop, bool) {
	n := s.head.Load()
	if n == nil {
		return abaPop{}, false
	}
	return abaPop{n, n.next}, true
}

// popCommit swings the head from what popBegin read to its next: one CompareAndSwap.
func (s *abaStack) popCommit(t abaPop) bool {
	return s.head.CompareAndSwap(t.node, t.next)
}

func (s *abaStack) pop() *abaNode {
	for {
		t, ok := s.popBegin()
		if !ok {
			return nil
		}
		if s.popCommit(t) {
			return t.node
		}
	}
}

// newABAStack holds C, B, A, with A on top.
func newABAStack() *abaStack {
	s := &abaStack{}
	for _, name := range []string{"C", "B", "A"} {
		s.push(&abaNode{name: name})
	}
	return s
}

// names lists the stack from the top, at most max nodes (a node met twice stops nothing:
// max bounds a cycle).
func (s *abaStack) names(max int) []string {
	var out []string
	for n := s.head.Load(); n != nil && len(out) < max; n = n.next {
		out = append(out, n.name)
	}
	return out
}
