package strbuild

import (
	"bytes"
	"strings"
	"testing"
)

// The benchmarks of bench.c, in Go (tools/go.sh 05_string_building bench).

var (
	sinkString string // results are stored here, so that no join is optimised away
	sinkBytes  []byte
	big        = makeParts(1<<20/64, 64) // 1 MiB of 64-byte parts, for naive concat
)

// run times one way on parts; MB/s is bytes joined per second.
func run(b *testing.B, parts []string, join func([]string) string) {
	b.SetBytes(int64(total(parts)))
	for i := 0; i < b.N; i++ {
		sinkString = join(parts)
	}
}

// MemcpyFloor copies the parts into a buffer made before the timer: no builder can beat it.
func BenchmarkMemcpyFloor(b *testing.B) {
	buf := make([]byte, total(mebibyte))
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		for _, p := range mebibyte {
			n += copy(buf[n:], p)
		}
		sinkBytes = buf[:n]
	}
}

func BenchmarkBuilder(b *testing.B)        { run(b, mebibyte, builder) }
func BenchmarkBuilderReserve(b *testing.B) { run(b, mebibyte, reserve) }
func BenchmarkBuffer(b *testing.B)         { run(b, mebibyte, buffer) }

// Append is where C has ReallocExact: Go has no exact-size growth, append over-allocates.
func BenchmarkAppend(b *testing.B) {
	b.SetBytes(int64(total(mebibyte)))
	for i := 0; i < b.N; i++ {
		sinkBytes = appendAll(mebibyte)
	}
}

// BuilderReuse resets one strings.Builder per join: Reset drops the buffer, so every
// join grows a new one, warm-up or not.
func BenchmarkBuilderReuse(b *testing.B) {
	var sb strings.Builder
	sb.Grow(total(mebibyte)) // warm-up, outside the timer: Reset throws it away
	b.SetBytes(int64(total(mebibyte)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sb.Reset()
		for _, p := range mebibyte {
			sb.WriteString(p)
		}
		sinkString = sb.String()
	}
}

// BufferReuse resets one bytes.Buffer per join: Reset keeps the buffer, 0 allocs/op.
func BenchmarkBufferReuse(b *testing.B) {
	var bb bytes.Buffer
	bb.Grow(total(mebibyte)) // warm-up, outside the timer, as bench.c's BuilderReuse
	b.SetBytes(int64(total(mebibyte)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bb.Reset()
		for _, p := range mebibyte {
			bb.WriteString(p)
		}
		sinkBytes = bb.Bytes()
	}
}

func BenchmarkConcat64B(b *testing.B)  { run(b, big, concat) }
func BenchmarkBuilder64B(b *testing.B) { run(b, big, builder) }

func BenchmarkConcatNaive(b *testing.B)       { run(b, thousand, concat) }
func BenchmarkConcatBuilder(b *testing.B)     { run(b, thousand, builder) }
func BenchmarkConcatBuilderGrow(b *testing.B) { run(b, thousand, reserve) }
func BenchmarkSprintf(b *testing.B)           { run(b, thousand, sprintf) }
