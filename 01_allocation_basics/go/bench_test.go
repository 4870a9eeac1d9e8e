// The Go twin's benchmarks, the pairs of bench.c (go test -bench . -benchmem). The Grow
// benchmarks append 10,000 elements per op, not bench.c's 100,000: growing by one copies
// n^2/2 elements, and Go's copy, unlike glibc's realloc, never extends a block in place.
package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

const (
	benchGrowN  = 10000
	benchBoxN   = 10000
	benchLinesN = 10000
)

func BenchmarkGrowByOne(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkInts = byOneN(benchGrowN)
	}
}

func BenchmarkGrowAppend(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkInts = appendN(benchGrowN)
	}
}

func BenchmarkGrowReserved(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkInts = reservedN(benchGrowN)
	}
}

func BenchmarkBoxed(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkAnys = boxed(benchBoxN)
	}
}

func BenchmarkValues(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkInts = values(benchBoxN)
	}
}

func BenchmarkCollectHeavy(b *testing.B) {
	text := makeInput(benchLinesN)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sinkFields, _ = heavyCollect(strings.NewReader(text))
	}
}

func BenchmarkCollectLight(b *testing.B) {
	text := makeInput(benchLinesN)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sinkFields, _ = lightCollect(strings.NewReader(text))
	}
}

func BenchmarkSprintf(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkString = fmt.Sprintf("user%06d", i)
	}
}

func BenchmarkAppendInt(b *testing.B) {
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf = strconv.AppendInt(append(buf[:0], "user"...), int64(i), 10)
	}
	sinkBytes = buf
}

func BenchmarkByValue(b *testing.B) {
	var big Big
	for i := 0; i < b.N; i++ {
		sinkInt += int(pickValue(big, i))
	}
}

func BenchmarkByPointer(b *testing.B) {
	var big Big
	for i := 0; i < b.N; i++ {
		sinkInt += int(pickPointer(&big, i))
	}
}
