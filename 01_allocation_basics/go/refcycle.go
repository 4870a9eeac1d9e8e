package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync/atomic"
)

// rcNode is demo/refcount.c's node without the count: Go's collector traces pointers
// from the roots (globals, stacks) and frees whatever it did not reach, so a node needs
// no count, and a cycle is garbage like any other.
type rcNode struct {
	parent *rcNode   // the back-pointer: an ordinary pointer, a cycle when set
	kids   []*rcNode // one array of pointers, as the C parent's kids block
}

var (
	sinkNode  *rcNode      // the one outside reference: a package variable, so on the heap
	finalized atomic.Int64 // finalizers run
)

// newRcTree is a parent and n children on the heap: n + 2 objects (the nodes and the
// kids array). With back, each child points at its parent: a cycle.
func newRcTree(n int, back bool) *rcNode {
	p := &rcNode{kids: make([]*rcNode, n)}
	for i := range p.kids {
		p.kids[i] = &rcNode{}
		if back {
			p.kids[i].parent = p
		}
	}
	return p
}

func countFinalizer(*rcNode) { finalized.Add(1) }

// rcSteps is what the heap held beyond the start after each step (HeapObjects), and how
// many finalizers had run by the end.
type rcSteps struct {
	built, dropped, gc1, gc2 int64
	finalized                int64
}

// heapObjects is runtime.MemStats.HeapObjects: allocated and not yet swept free.
func heapObjects() int64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapObjects)
}

// afterGC runs a collection, then yields until the finalizer goroutine has had its turn
// (Gosched allocates nothing, a timer would).
func afterGC() {
	runtime.GC()
	for i := 0; i < 100; i++ {
		runtime.Gosched()
	}
}

// quietHeap collects until the heap holds the same objects twice running, and returns
// their number: the garbage of what ran before, and what the finalizers queued by then (a
// test's files, say) kept for one more collection, gone first.
func quietHeap() int64 {
	last := int64(-1)
	for i := 0; i < 10; i++ {
		afterGC()
		h := heapObjects()
		if h == last {
			break
		}
		last = h
	}
	return last
}

// rcCollect is rcCollectOnce repeated until two runs running agree (at most five): the
// heap is the process's, and a goroutine of the runtime or of the testing package that
// allocates while this one yields is counted with the tree. Such a run is rare, and the
// next one does not repeat it.
func rcCollect(n int, back, fin bool) rcSteps {
	last := rcCollectOnce(n, back, fin)
	for i := 1; i < 5; i++ {
		s := rcCollectOnce(n, back, fin)
		if s == last {
			break
		}
		last = s
	}
	return last
}

// rcCollectOnce builds a tree of n children (a cycle when back), a finalizer on its parent
// when fin, drops the only reference, and collects twice: the first collection queues
// the finalizers of what it found unreachable and keeps their objects, the second frees
// them. The collector runs only when asked, on one P, as measure does.
func rcCollectOnce(n int, back, fin bool) rcSteps {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	settle.Do(settleRuntime)
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	if fin { // one finalizer run first: the runtime's goroutine and frame for them, kept
		sinkNode = &rcNode{}
		runtime.SetFinalizer(sinkNode, countFinalizer)
		sinkNode = nil
	}
	var s rcSteps
	base := quietHeap()
	finalized.Store(0) // after the warm-up's finalizer has run
	sinkNode = newRcTree(n, back)
	if fin {
		runtime.SetFinalizer(sinkNode, countFinalizer)
	}
	s.built = heapObjects() - base
	sinkNode = nil
	s.dropped = heapObjects() - base
	afterGC()
	s.gc1 = heapObjects() - base
	afterGC()
	s.gc2 = heapObjects() - base
	s.finalized = finalized.Load()
	if s.gc2 > 0 { // the objects it kept are still there: nothing more to do with them
		afterGC()
	}
	return s
}

const rcKids = 8 // children, as make refcount-01

// refcycle prints what `go run . -refcycle` shows.
func refcycle() {
	fmt.Printf("01_allocation_basics, Go twin (%s): a parent and %d children, runtime.ReadMemStats'\n"+
		"HeapObjects beyond the start after each step, the collector run only by runtime.GC()\n",
		runtime.Version(), rcKids)
	fmt.Printf("  %-44s %7s %9s %9s %9s %11s\n", "", "built", "dropped", "GC", "GC again", "finalizers")
	cases := []struct {
		what      string
		back, fin bool
	}{
		{"a tree, no pointer back", false, false},
		{"a cycle, each child pointing back", true, false},
		{"the tree, a finalizer on the parent", false, true},
		{"the cycle, a finalizer on the parent", true, true},
	}
	var steps [4]rcSteps
	for i, c := range cases { // all measured first: printing allocates
		steps[i] = rcCollect(rcKids, c.back, c.fin)
	}
	for i, c := range cases {
		s := steps[i]
		fmt.Printf("  %-44s %7d %9d %9d %9d %11d\n", c.what, s.built, s.dropped, s.gc1, s.gc2, s.finalized)
	}
}
