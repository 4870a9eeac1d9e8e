package pooling

import "sync"

// One op each of the benchmarks WithAlloc and WithPool (bench.c), in Go. Where a value
// lives is the compiler's decision: `tools/go.sh 04_pooling escape` prints it.

// sink is package-level: whatever is stored in it outlives any call, so it must be on
// the heap. A benchmark stores its result here to keep the allocation it measures.
var sink []byte

// withAlloc is the body most often written for "allocate 1 KiB per op". The slice never
// leaves the function, so the compiler puts it on the stack: 0 allocations.
func withAlloc() {
	_ = make([]byte, 1024)
}

// withAllocSink keeps the slice: 1 allocation of 1,024 bytes per call.
func withAllocSink() {
	sink = make([]byte, 1024)
}

// slicePool holds []byte values. Put takes an interface (any): a slice header (pointer,
// length, capacity: 24 bytes) does not fit in one, so each Put boxes it on the heap.
var slicePool = sync.Pool{New: func() any { return make([]byte, 1024) }}

func withPoolSlice() {
	buf := slicePool.Get().([]byte)
	buf[0] = 1
	slicePool.Put(buf) // 1 allocation: the boxed slice header
}

// arrayPool holds *[1024]byte: a pointer fits in an interface as it is, no boxing.
var arrayPool = sync.Pool{New: func() any { return new([1024]byte) }}

func withPool() {
	buf := arrayPool.Get().(*[1024]byte)
	buf[0] = 1
	arrayPool.Put(buf) // no allocation
}

// slicePtrPool holds *[]byte, the other pointer shape: also no boxing per Put.
var slicePtrPool = sync.Pool{New: func() any { b := make([]byte, 1024); return &b }}

func withPoolSlicePtr() {
	bp := slicePtrPool.Get().(*[]byte)
	(*bp)[0] = 1
	slicePtrPool.Put(bp) // no allocation
}
