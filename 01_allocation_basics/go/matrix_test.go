package main

import (
	"fmt"
	"testing"
)

// C's matrix.h in Go: the same three ways, counted with testing.AllocsPerRun (exact).

var matrixShapes = [][2]int{{1, 1000}, {10, 10}, {100, 3}, {64, 200}, {1000, 1000}}

func TestAMakePerRowIsOnePlusRowsAllocations(t *testing.T) {
	for _, s := range matrixShapes {
		r, c := s[0], s[1]
		wantAllocs(t, fmt.Sprintf("%d x %d, a make per row", r, c),
			allocsPerRun(5, func() { sinkMatrix = matrixByRow(r, c) }), uint64(1+r))
	}
}

func TestRowsCutFromOneBackingSliceAreTwoAllocations(t *testing.T) {
	for _, s := range matrixShapes {
		r, c := s[0], s[1]
		wantAllocs(t, fmt.Sprintf("%d x %d, cut from one slice", r, c),
			allocsPerRun(5, func() { sinkMatrix = matrixBacked(r, c) }), 2)
	}
}

func TestAFlatSliceIsOneAllocation(t *testing.T) {
	for _, s := range matrixShapes {
		r, c := s[0], s[1]
		wantAllocs(t, fmt.Sprintf("%d x %d, flat", r, c),
			allocsPerRun(5, func() { sinkFloats = matrixFlat(r, c) }), 1)
	}
}

// 1,000 x 1,000: a row of 8,000 bytes takes the 8,192-byte size class, the 1,000 slice
// headers (24 bytes each, 24,000) the 24,576-byte one, and 8,000,000 values whole 8 KiB
// pages.
func TestTheBytesOfEachWayAreItsSizeClasses(t *testing.T) {
	const r, c = 1000, 1000
	const rowClass, headerClass = 8192, 24576
	values := largeObject(8 * r * c)
	wantCost(t, "a make per row", measure(1, func() { sinkMatrix = matrixByRow(r, c) }), 1+r, headerClass+r*rowClass)
	wantCost(t, "cut from one slice", measure(1, func() { sinkMatrix = matrixBacked(r, c) }), 2, headerClass+values)
	wantCost(t, "flat", measure(1, func() { sinkFloats = matrixFlat(r, c) }), 1, values)
	sinkMatrix, sinkFloats = nil, nil
}

// Each row's 8,000 bytes sit in an 8,192-byte slot, and slots start 8,192 bytes apart on
// page boundaries: a row made on its own never starts where another ends. Rows cut from
// one slice always do.
func TestOnlyRowsCutFromOneSliceAreAdjacent(t *testing.T) {
	const r, c = 1000, 1000
	if n := rowsAdjacent(matrixByRow(r, c)); n != 0 {
		t.Errorf("a make per row: expected 0 adjacent rows of %d, saw %d", r-1, n)
	}
	if n := rowsAdjacent(matrixBacked(r, c)); n != r-1 {
		t.Errorf("cut from one slice: expected %d adjacent rows, saw %d", r-1, n)
	}
}

func TestAllThreeWaysHoldTheSameValues(t *testing.T) {
	const r, c = 7, 5
	a, b, f := matrixByRow(r, c), matrixBacked(r, c), matrixFlat(r, c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			a[i][j], b[i][j], f[i*c+j] = float64(i+j), float64(i+j), float64(i+j)
		}
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if a[i][j] != f[i*c+j] || b[i][j] != f[i*c+j] {
				t.Fatalf("(%d, %d): %v %v %v", i, j, a[i][j], b[i][j], f[i*c+j])
			}
		}
	}
	// the rows cut from one slice have no room past their end: an append copies, and
	// the next row is untouched
	b[0] = append(b[0], -1)
	if b[1][0] != 1 {
		t.Errorf("an append to row 0 wrote into row 1: %v", b[1][0])
	}
}
