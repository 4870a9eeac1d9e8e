package pooling

import (
	"bytes"
	"runtime"
	"testing"

	"allocaware.local/measure"
)

// The caller passes the memory: make allocif-04's question in Go. Each pair does the same
// work, once into memory the callee allocates, once into the caller's buffer, reused.

var (
	textSink  string
	bytesSink []byte
)

// strconv.Itoa of 0..99 returns a string from a table in the binary; from 100 on, a new
// string every call. strconv.AppendInt into a reused slice: never.
func TestCallerBufferItoaAllocatesFrom100AndAppendIntNever(t *testing.T) {
	scratch := make([]byte, 0, 32)
	t.Logf("%s: allocations per call", runtime.Version())
	t.Logf("%-22s %8s %12s", "n", "Itoa", "AppendInt")
	for _, n := range []int{0, 7, 99, 100, 12345, 1 << 40} {
		n := n
		itoa := testing.AllocsPerRun(100, func() { textSink = formatNew(n) })
		into := testing.AllocsPerRun(100, func() { scratch = formatInto(scratch, n) })
		t.Logf("%-22d %8v %12v", n, itoa, into)
		want := 1.0
		if n < 100 {
			want = 0
		}
		if itoa != want || into != 0 {
			t.Errorf("n = %d: want Itoa %v allocs and AppendInt 0, got %v and %v", n, want,
				itoa, into)
		}
		if string(scratch) != formatNew(n) {
			t.Errorf("n = %d: AppendInt wrote %q", n, scratch)
		}
	}
}

// io.ReadAll's allocations for a reader of size bytes: a slice of 512 bytes, then a new
// array each time it fills. The same on go1.19.8 and go1.24.4, the releases measured.
var readAllAllocs = map[int]uint64{100: 1, 4096: 7, 65536: 16}
var readAllMeasured = map[int]bool{19: true, 24: true}

// io.ReadAll allocates as the data grows, every call; io.ReadFull into the caller's
// buffer allocates nothing, whatever the size.
func TestCallerBufferReadAllAllocatesAsItGrowsAndReadFullNever(t *testing.T) {
	minor, release := measure.GoMinor()
	t.Logf("%s: allocations per call, reading a bytes.Reader to its end", runtime.Version())
	t.Logf("%-10s %10s %12s", "bytes", "ReadAll", "ReadFull")
	for _, size := range []int{100, 4096, 65536} {
		data := bytes.Repeat([]byte{'x'}, size)
		dst := make([]byte, size)
		r := bytes.NewReader(data)
		all, allBytes := measure.PerRun(20, func() {
			r.Reset(data)
			bytesSink, _ = readNew(r)
		})
		full, _ := measure.PerRun(20, func() {
			r.Reset(data)
			if n, err := readInto(r, dst); n != size || err != nil {
				t.Fatalf("ReadFull of %d bytes: %d, %v", size, n, err)
			}
		})
		t.Logf("%-10d %10d %12d", size, all, full)
		if !bytes.Equal(bytesSink, data) || !bytes.Equal(dst, data) {
			t.Fatalf("%d bytes: a read lost bytes", size)
		}
		if full != 0 {
			t.Errorf("%d bytes: io.ReadFull into the caller's buffer: want 0 allocs, got %d",
				size, full)
		}
		if allBytes < uint64(size) {
			t.Errorf("%d bytes: io.ReadAll allocated %d B, less than it returned", size, allBytes)
		}
		if want := readAllAllocs[size]; readAllMeasured[minor] && release {
			if all != want {
				t.Errorf("%s, %d bytes: io.ReadAll: want %d allocs, got %d", runtime.Version(),
					size, want, all)
			}
		} else if all < 1 {
			t.Errorf("%d bytes: io.ReadAll: want at least 1 alloc, got %d", size, all)
		}
	}
}
