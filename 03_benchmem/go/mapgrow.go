package benchmem

// Size hints: a map grown from empty against one made with make(map, n). The twin of
// maptab.h and demo/mapgrow.c; its tests and benchmarks are in mapgrow_test.go.

// mapSink keeps each map reachable after the call, so that it lives on the heap as a map
// that outlives its function does (a map that does not escape may live on the stack).
var mapSink map[int]int

// fillGrown puts n keys into a map made without a size: it grows as they come.
func fillGrown(n int) {
	m := make(map[int]int)
	for i := 0; i < n; i++ {
		m[i] = i
	}
	mapSink = m
}

// fillHinted puts the same n keys into a map made with room for n.
func fillHinted(n int) {
	m := make(map[int]int, n)
	for i := 0; i < n; i++ {
		m[i] = i
	}
	mapSink = m
}
