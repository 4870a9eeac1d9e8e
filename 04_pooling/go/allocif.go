package pooling

import (
	"io"
	"strconv"
)

// The Go side of make allocif-04. Go has no allocator parameter: the runtime owns every
// allocation, and the garbage collector every free. The allocation-aware shape of a Go
// API is that the caller passes the memory: a buffer the function writes into, or a
// slice it appends to, which the caller keeps and reuses (allocif_test.go measures each
// pair).

// formatNew returns n in decimal as a new string (strconv.Itoa).
func formatNew(n int) string {
	return strconv.Itoa(n)
}

// formatInto writes n in decimal into dst's array from its start (strconv.AppendInt), and
// returns the bytes written: no allocation while they fit in cap(dst).
func formatInto(dst []byte, n int) []byte {
	return strconv.AppendInt(dst[:0], int64(n), 10)
}

// readNew reads r to its end into a new slice (io.ReadAll), grown as it fills.
func readNew(r io.Reader) ([]byte, error) {
	return io.ReadAll(r)
}

// readInto fills the caller's dst from r (io.ReadFull): the caller chose the memory.
func readInto(r io.Reader, dst []byte) (int, error) {
	return io.ReadFull(r, dst)
}
