package benchmem

import (
	"bufio"
	"io"
	"runtime"
	"strconv"
)

// The traps of the README, one op each. Where a value lives is the compiler's decision:
// `tools/go.sh 03_benchmem escape` prints it.

// sink is package-level: what is stored in it outlives every call, so it is on the heap.
var sink []byte

// makeNoSink is "allocate 1 KiB per op" as often written. The slice never leaves the
// function, so it lives on the stack: 0 allocations, a benchmark of nothing.
func makeNoSink() {
	_ = make([]byte, 1024)
}

// makeKeepAlive: runtime.KeepAlive keeps a value reachable until that point (for
// finalizers); it does not move it to the heap. Still 0 allocations.
func makeKeepAlive() {
	buf := make([]byte, 1024)
	runtime.KeepAlive(buf)
}

// makeSink stores the slice where it outlives the call: 1 allocation of 1,024 bytes.
func makeSink() {
	sink = make([]byte, 1024)
}

// out is made on its first use, as stdio makes a stream's buffer on its first write.
var (
	out *bufio.Writer
	num [20]byte // scratch for the digits: package-level, so it costs nothing per call
)

// writeLine writes i to out: the first call allocates out and its 4 KiB buffer, later
// calls allocate nothing.
func writeLine(i int) {
	if out == nil {
		out = bufio.NewWriterSize(io.Discard, 4096)
	}
	out.Write(strconv.AppendInt(num[:0], int64(i), 10))
	out.WriteByte('\n')
}
