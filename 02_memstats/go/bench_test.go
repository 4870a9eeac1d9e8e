// The Go twin's benchmarks, bench.c's pairs (go test -bench . -benchmem): 1,000 records
// built and dropped per op. ReadMemStats is timed too: it stops the world to read.
package main

import (
	"runtime"
	"testing"
)

const benchN = 1000

func BenchmarkHeavyBuildDrop(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkHeavy = heavyDrop(heavyBuild(benchN))
	}
}

func BenchmarkLightBuildDrop(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkLight = lightDrop(lightBuild(benchN))
	}
}

func BenchmarkReadMemStats(b *testing.B) {
	var m runtime.MemStats
	for i := 0; i < b.N; i++ {
		runtime.ReadMemStats(&m)
	}
}
