package main

import (
	"fmt"
	"runtime"
	"unsafe"
)

// C's three ways of a rows x cols matrix of doubles (matrix.h), in Go. [][]float64 is a
// slice of row slices: made row by row it is 1 + rows allocations, as C's malloc per
// row; cut from one backing slice it is 2, as C's values and pointers; a flat []float64
// indexed m[i*cols+j] is 1.

const matrixRows, matrixCols = 1000, 1000 // as make matrix-01

var (
	sinkMatrix [][]float64
	sinkFloats []float64
)

// matrixByRow makes the rows one make each.
func matrixByRow(rows, cols int) [][]float64 {
	m := make([][]float64, rows)
	for i := range m {
		m[i] = make([]float64, cols)
	}
	return m
}

// matrixBacked cuts the rows from one backing slice: row i+1 starts where row i ends.
func matrixBacked(rows, cols int) [][]float64 {
	m := make([][]float64, rows)
	values := make([]float64, rows*cols)
	for i := range m {
		m[i] = values[i*cols : (i+1)*cols : (i+1)*cols]
	}
	return m
}

// matrixFlat is one slice of rows*cols values, m[i*cols+j].
func matrixFlat(rows, cols int) []float64 { return make([]float64, rows*cols) }

// rowsAdjacent counts the rows-1 neighbours where row i+1 starts at the address just past
// row i's last element (compared as numbers: Go has no pointer arithmetic).
func rowsAdjacent(m [][]float64) int {
	n := 0
	for i := 0; i+1 < len(m); i++ {
		end := uintptr(unsafe.Pointer(&m[i][0])) + uintptr(len(m[i]))*unsafe.Sizeof(m[i][0])
		if uintptr(unsafe.Pointer(&m[i+1][0])) == end {
			n++
		}
	}
	return n
}

// matrix prints what `go run . -matrix` shows: allocations and bytes (size-class bytes,
// runtime.MemStats) of each way, and how many rows are adjacent.
func matrix() {
	r, c := matrixRows, matrixCols
	fmt.Printf("a %s x %s matrix of float64 (%s): allocations per matrix, runtime.ReadMemStats\n",
		commas(uint64(r)), commas(uint64(c)), runtime.Version())
	fmt.Printf("  %-44s %9s %12s %14s\n", "", "allocs", "bytes", "rows adjacent")
	ways := []struct {
		name string
		f    func()
		adj  int
	}{
		{"[][]float64, a make per row", func() { sinkMatrix = matrixByRow(r, c) }, rowsAdjacent(matrixByRow(r, c))},
		{"[][]float64 cut from one []float64", func() { sinkMatrix = matrixBacked(r, c) }, rowsAdjacent(matrixBacked(r, c))},
		{"[]float64, m[i*cols+j]", func() { sinkFloats = matrixFlat(r, c) }, r - 1},
	}
	for _, w := range ways {
		m := measure(1, w.f)
		fmt.Printf("  %-44s %9s %12s %14s\n", w.name, commas(m.allocs), commas(m.bytes),
			commas(uint64(w.adj))+" of "+commas(uint64(r-1)))
	}
	sinkMatrix, sinkFloats = nil, nil
}
